// The FMA id table. Only numbers read from a public reference are listed; a structure whose id
// was not found there (the gluteal and investing fasciae: docs/anatomy.md has the list) has
// none rather than a guess. Paired structures use the general id (e.g. "Trapezius"; both eighth
// ribs get that of "rib 8"), as reference infoboxes do, not FMA's separate "Left ..." /
// "Right ..." classes.

#include "fma_ids.h"

#include <array>

namespace fascia::anatomy {

namespace {

// Sources: "Wikipedia" means the article's infobox (Identifiers: FMA) as read in a stored copy
// of the article; "Uberon" means the FMA cross-reference of the Uberon class, as shown by an
// ontology lookup service (EBI OLS and its mirrors); "anatomyfyi.com" means the "FMA ID" row of
// that site's page for the structure; "Uberon bridge" means the FMA class that Uberon's bridge
// file to FMA (uberon-bridge-to-fma.obo, data-version 2013-11-12, as stored from the
// obophenotype/uberon repository) declares equivalent to the named Uberon class, where the FMA
// number and the class name stand in the same entry.
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
    // Uberon names serratus anterior "serratus ventralis", as in animals.
    FmaEntry{"serratus_anterior", "FMA:13397", "Uberon bridge: UBERON:0001125 serratus ventralis"},
    // Uberon names the serrati posteriores "serratus dorsalis"; its superior entry pairs with
    // the FMA:13401 that Wikipedia gives for serratus posterior superior.
    FmaEntry{"serratus_posterior_inferior", "FMA:13402",
             "Uberon bridge: UBERON:0001127 serratus dorsalis inferior muscle"},
    FmaEntry{"rhomboid_minor", "FMA:13380", "Wikipedia: Rhomboid minor muscle"},
    FmaEntry{"rhomboid_major", "FMA:13379", "Wikipedia: Rhomboid major muscle"},
    FmaEntry{"infraspinatus", "FMA:32546", "Wikipedia: Infraspinatus muscle"},
    FmaEntry{"teres_minor", "FMA:32550", "Wikipedia: Teres minor muscle (infobox, via piglix.com)"},
    // The heads of triceps carry the id of the whole muscle, like the parts of trapezius.
    FmaEntry{"triceps_long_head", "FMA:37688",
             "Wikipedia: Triceps (infobox: triceps brachii); Uberon bridge: UBERON:0001509 "
             "triceps brachii"},
    FmaEntry{"triceps_lateral_head", "FMA:37688",
             "Wikipedia: Triceps (infobox: triceps brachii); Uberon bridge: UBERON:0001509 "
             "triceps brachii"},
    FmaEntry{"biceps_brachii", "FMA:37670", "Uberon bridge: UBERON:0001507 biceps brachii"},
    FmaEntry{"coracobrachialis", "FMA:37664",
             "Uberon bridge: UBERON:0001505 coracobrachialis muscle"},
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
    // Read from Uberon's bridge to FMA; the same file gives the ids above for gluteus maximus and
    // medius, deltoid, infraspinatus, teres major, trapezius, rectus abdominis, levator scapulae,
    // piriformis, spinalis, superficial fascia and C7, which is why it is trusted for the rest.
    // Each single rib and vertebra has the id bridged to the Uberon class of that one level
    // (e.g. "rib 8", "thoracic vertebra 8"), never the id of "rib" or "thoracic vertebra".
    FmaEntry{"femur", "FMA:9611", "Uberon bridge: UBERON:0000981 femur"},
    FmaEntry{"humerus", "FMA:13303", "Uberon bridge: UBERON:0000976 humerus"},
    FmaEntry{"psoas_major", "FMA:18060", "Uberon bridge: UBERON:0001298 psoas major muscle"},
    FmaEntry{"iliacus", "FMA:22310", "Uberon bridge: UBERON:0001369 iliacus muscle"},
    FmaEntry{"gluteus_minimus", "FMA:22317", "Uberon bridge: UBERON:0008521 gluteus minimus"},
    FmaEntry{"external_oblique", "FMA:13335", "Uberon bridge: UBERON:0005442 external oblique"},
    FmaEntry{"supraspinatus", "FMA:9629", "Uberon bridge: UBERON:0002383 supraspinatus muscle"},
    FmaEntry{"rib_1", "FMA:7597", "Uberon bridge: UBERON:0004601 rib 1"},
    FmaEntry{"rib_2", "FMA:7620", "Uberon bridge: UBERON:0004602 rib 2"},
    FmaEntry{"rib_3", "FMA:7638", "Uberon bridge: UBERON:0004603 rib 3"},
    FmaEntry{"rib_4", "FMA:7749", "Uberon bridge: UBERON:0004604 rib 4"},
    FmaEntry{"rib_5", "FMA:7776", "Uberon bridge: UBERON:0004605 rib 5"},
    FmaEntry{"rib_6", "FMA:8147", "Uberon bridge: UBERON:0004606 rib 6"},
    FmaEntry{"rib_7", "FMA:7830", "Uberon bridge: UBERON:0004607 rib 7"},
    FmaEntry{"rib_8", "FMA:8120", "Uberon bridge: UBERON:0010757 rib 8"},
    FmaEntry{"rib_9", "FMA:8337", "Uberon bridge: UBERON:0004608 rib 9"},
    FmaEntry{"rib_10", "FMA:8418", "Uberon bridge: UBERON:0004609 rib 10"},
    FmaEntry{"rib_11", "FMA:8499", "Uberon bridge: UBERON:0004610 rib 11"},
    FmaEntry{"rib_12", "FMA:8515", "Uberon bridge: UBERON:0004611 rib 12"},
    FmaEntry{"vertebra_t1", "FMA:9165", "Uberon bridge: UBERON:0004626 thoracic vertebra 1"},
    FmaEntry{"vertebra_t2", "FMA:9187", "Uberon bridge: UBERON:0004627 thoracic vertebra 2"},
    FmaEntry{"vertebra_t3", "FMA:9209", "Uberon bridge: UBERON:0004628 thoracic vertebra 3"},
    FmaEntry{"vertebra_t4", "FMA:9248", "Uberon bridge: UBERON:0004629 thoracic vertebra 4"},
    FmaEntry{"vertebra_t5", "FMA:9922", "Uberon bridge: UBERON:0004630 thoracic vertebra 5"},
    FmaEntry{"vertebra_t6", "FMA:9945", "Uberon bridge: UBERON:0004631 thoracic vertebra 6"},
    FmaEntry{"vertebra_t7", "FMA:9968", "Uberon bridge: UBERON:0004632 thoracic vertebra 7"},
    FmaEntry{"vertebra_t8", "FMA:9991", "Uberon bridge: UBERON:0011050 thoracic vertebra 8"},
    FmaEntry{"vertebra_t9", "FMA:10014", "Uberon bridge: UBERON:0004633 thoracic vertebra 9"},
    FmaEntry{"vertebra_t10", "FMA:10037", "Uberon bridge: UBERON:0004634 thoracic vertebra 10"},
    FmaEntry{"vertebra_t11", "FMA:10059", "Uberon bridge: UBERON:0004635 thoracic vertebra 11"},
    FmaEntry{"vertebra_t12", "FMA:10081", "Uberon bridge: UBERON:0004636 thoracic vertebra 12"},
    FmaEntry{"vertebra_l1", "FMA:13072", "Uberon bridge: UBERON:0004617 lumbar vertebra 1"},
    FmaEntry{"vertebra_l2", "FMA:13073", "Uberon bridge: UBERON:0004618 lumbar vertebra 2"},
    FmaEntry{"vertebra_l3", "FMA:13074", "Uberon bridge: UBERON:0004619 lumbar vertebra 3"},
    FmaEntry{"vertebra_l4", "FMA:13075", "Uberon bridge: UBERON:0004620 lumbar vertebra 4"},
    FmaEntry{"vertebra_l5", "FMA:13076", "Uberon bridge: UBERON:0004621 lumbar vertebra 5"},
    // The back of the neck. Semispinalis capitis has the same number in the bridge file and in
    // the Wikipedia infobox. No page searched gave an Uberon id for splenius cervicis, so the
    // sorted bridge file could not be looked up for it; its id is the infobox's, on which two
    // stored copies of the article agree.
    FmaEntry{"splenius_capitis", "FMA:22653", "Uberon bridge: UBERON:0000711 splenius capitis"},
    FmaEntry{"splenius_cervicis", "FMA:22681", "Wikipedia: Splenius cervicis muscle"},
    FmaEntry{"semispinalis_capitis", "FMA:22830",
             "Uberon bridge: UBERON:0001409 semispinalis capitis; Wikipedia: Semispinalis capitis"},
    // The front of the chest. Both sides' costal cartilages share the id of "costal cartilage".
    FmaEntry{"sternum", "FMA:7485", "Uberon bridge: UBERON:0000975 sternum"},
    FmaEntry{"costal_cartilages", "FMA:7591", "Uberon bridge: UBERON:0002236 costal cartilage"},
    FmaEntry{"pectoralis_major", "FMA:9627", "Uberon bridge: UBERON:0002381 pectoralis major"},
    FmaEntry{"nuchal_ligament", "FMA:13427", "Uberon bridge: UBERON:0000351 nuchal ligament"},
    // Two stored copies of the article agree on the infobox's number.
    FmaEntry{"supraspinous_ligament", "FMA:13425", "Wikipedia: Supraspinous ligament"},
    // BodyParts3D's parts list (parts_list_e.txt: FMA id and English name per part) gives the
    // same ids as the table for trapezius, latissimus dorsi, longissimus, spinalis, teres minor,
    // sternum and pectoralis major; the two whole columns below come from it alone (multifidus
    // is not an Uberon class). For iliocostalis the bridge agrees: FMA:77177 is its
    // "iliocostalis muscle", UBERON:0002251.
    FmaEntry{"iliocostalis", "FMA:77177",
             "BodyParts3D parts list: iliocostalis; Uberon bridge: UBERON:0002251"},
    FmaEntry{"multifidus", "FMA:22827", "BodyParts3D parts list: multifidus"},
    FmaEntry{"linea_alba", "FMA:11336", "BodyParts3D parts list: linea alba"},
    // Every disc carries the id of the general class, as paired structures do (FMA's classes
    // for each disc were not looked up). Read in the bridge file's 2021-11-12 version.
    FmaEntry{"intervertebral_disc", "FMA:10446",
             "Uberon bridge: UBERON:0001066 intervertebral disk"},
};

} // namespace

std::span<const FmaEntry> fmaTable() { return kTable; }

std::string_view fmaTableKey(std::string_view id) {
  if (id.starts_with("intervertebral_disc_")) return "intervertebral_disc";
  for (std::string_view suffix : {std::string_view("_left"), std::string_view("_right")})
    if (id.ends_with(suffix)) return id.substr(0, id.size() - suffix.size());
  return id;
}

std::string fmaIdFor(std::string_view structureId) {
  const std::string_view base = fmaTableKey(structureId);
  for (const FmaEntry& e : kTable)
    if (e.structure == base) return std::string(e.fmaId);
  return {};
}

} // namespace fascia::anatomy
