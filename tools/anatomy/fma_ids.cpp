// The FMA id table. Only numbers read from a public reference are listed; a structure whose id
// was not found there (the vertebrae below C7, the ribs, the femur, the humerus, psoas major,
// iliacus, gluteus minimus, three back muscles, the gluteal and investing fasciae:
// docs/anatomy.md has the list) has none rather than a guess. Paired structures use the general id (e.g.
// "Trapezius"), as reference infoboxes do, not FMA's separate "Left ..." / "Right ..." classes.

#include "fma_ids.h"

#include <array>

namespace fascia::anatomy {

namespace {

// Sources: "Wikipedia" means the article's infobox (Identifiers: FMA) as read in a stored copy
// of the article; "Uberon" means the FMA cross-reference of the Uberon class, as shown by an
// ontology lookup service (EBI OLS and its mirrors); "anatomyfyi.com" means the "FMA ID" row of
// that site's page for the structure.
constexpr std::array kTable{
    FmaEntry{"sacrum", "FMA:16202", "earlier manifest (kept, not re-checked)"},
    FmaEntry{"hip_bone", "FMA:16585", "Uberon UBERON:0001272 hip bone (latin term os coxae)"},
    FmaEntry{"scapula", "FMA:13394", "Wikipedia: Scapula"},
    FmaEntry{"clavicle", "FMA:13321", "Wikipedia: Clavicle; Uberon UBERON:0001105"},
    FmaEntry{"quadratus_lumborum", "FMA:15569", "Wikipedia: Quadratus lumborum muscle"},
    FmaEntry{"gluteus_medius", "FMA:22315", "Wikipedia: Gluteus medius"},
    FmaEntry{"piriformis", "FMA:19082", "Uberon UBERON:0008529 piriformis muscle"},
    FmaEntry{"levator_scapulae", "FMA:32519", "Wikipedia: Levator scapulae muscle"},
    FmaEntry{"teres_major", "FMA:32549", "Wikipedia: Teres major muscle"},
    FmaEntry{"deltoid", "FMA:32521", "Uberon UBERON:0001476 deltoid"},
    FmaEntry{"rectus_abdominis", "FMA:9628", "Wikipedia: Rectus abdominis muscle"},
    FmaEntry{"serratus_posterior_superior", "FMA:13401",
             "Wikipedia: Serratus posterior superior muscle"},
    FmaEntry{"rhomboid_minor", "FMA:13380", "Wikipedia: Rhomboid minor muscle"},
    FmaEntry{"rhomboid_major", "FMA:13379", "Wikipedia: Rhomboid major muscle"},
    FmaEntry{"infraspinatus", "FMA:32546", "Wikipedia: Infraspinatus muscle"},
    FmaEntry{"latissimus_dorsi", "FMA:13357", "Uberon UBERON:0001112 latissimus dorsi muscle"},
    // The three parts carry the id of the whole muscle: no id for the parts was found.
    FmaEntry{"trapezius_lower", "FMA:9626", "Uberon trapezius muscle (via anatomyfyi.com)"},
    FmaEntry{"trapezius_middle", "FMA:9626", "Uberon trapezius muscle (via anatomyfyi.com)"},
    FmaEntry{"trapezius_upper", "FMA:9626", "Uberon trapezius muscle (via anatomyfyi.com)"},
    // The model shows the posterior layer; the id is that of the whole thoracolumbar fascia.
    FmaEntry{"thoracolumbar_fascia", "FMA:25072", "Wikipedia: Thoracolumbar fascia"},
    FmaEntry{"skin", "FMA:7163", "earlier manifest (kept, not re-checked)"},
    FmaEntry{"vertebra_c7", "FMA:12525",
             "Wikipedia: Vertebra prominens; Uberon UBERON:0004616 cervical vertebra 7"},
    FmaEntry{"gluteus_maximus", "FMA:22314", "anatomyfyi.com: Gluteus maximus"},
    FmaEntry{"longissimus", "FMA:77178", "Wikipedia: Longissimus"},
    FmaEntry{"spinalis", "FMA:77179", "Wikipedia: Spinalis"},
    // The reference names subcutaneous tissue and superficial fascia as one layer.
    FmaEntry{"superficial_fascia", "FMA:9630",
             "Wikipedia: Subcutaneous tissue (also called superficial fascia)"},
};

std::string_view withoutSide(std::string_view id) {
  for (std::string_view suffix : {std::string_view("_left"), std::string_view("_right")})
    if (id.ends_with(suffix)) return id.substr(0, id.size() - suffix.size());
  return id;
}

} // namespace

std::span<const FmaEntry> fmaTable() { return kTable; }

std::string fmaIdFor(std::string_view structureId) {
  const std::string_view base = withoutSide(structureId);
  for (const FmaEntry& e : kTable)
    if (e.structure == base) return std::string(e.fmaId);
  return {};
}

} // namespace fascia::anatomy
