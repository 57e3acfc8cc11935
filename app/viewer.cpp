#include "viewer.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include "commands.h"
#include "fascia/error.h"
#include "fascia/log.h"
#include "fascia/renderer.h"
#include "gl_context.h"
#include "headless.h"
#include "model_loading.h"
#include "panels.h"
#include "paths.h"
#include "scene_setup.h"
#include "section_view.h"
#include "state.h"
#include "technique_panel.h"
#include "technique_render.h"
#include "technique_setup.h"
#include "trigger_panels.h"
#include "trigger_render.h"
#include "trigger_view.h"
#include "user_files.h"

namespace fascia::app {
namespace {

// Taken as early as static initialisation allows: close enough to process start for the
// start-up benchmark (the dynamic loader's work before it is not counted).
const std::chrono::steady_clock::time_point kProcessStart = std::chrono::steady_clock::now();
std::chrono::steady_clock::time_point processStart() { return kProcessStart; }

constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr float kBaseFontSize = 16.0f;
// A press that moves less than this many pixels before release is a click, not a drag.
constexpr float kClickSlop = 4.0f;

/// ImGui's context and platform/renderer backends, torn down in reverse order.
class ImGuiSession {
public:
  ImGuiSession(GLFWwindow* window, float scale) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // panels are laid out by code; nothing to persist
    setupStyle(scale);
    if (std::filesystem::exists(kFontPath)) {
      // Latin with accents, Greek and Cyrillic: patients' names and notes are not all English.
      // (DejaVu Sans has no CJK; such characters show as '?'. The file keeps them intact.)
      static const ImWchar kRanges[] = {0x0020, 0x024F, 0x0370, 0x03FF, 0x0400, 0x052F,
                                        0x1E00, 0x1EFF, 0x2000, 0x206F, 0x20A0, 0x20CF,
                                        0x2100, 0x218F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0};
      io.Fonts->AddFontFromFileTTF(kFontPath, kBaseFontSize * scale, nullptr, kRanges);
    } else {
      log::warn(std::string("font ") + kFontPath +
                " not found (install fonts-dejavu-core); using ImGui's built-in font");
      ImFontConfig config;
      config.SizePixels = 13.0f * scale;
      io.Fonts->AddFontDefault(&config);
    }
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 410 core");
  }
  ~ImGuiSession() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  ImGuiSession(const ImGuiSession&) = delete;
  ImGuiSession& operator=(const ImGuiSession&) = delete;

private:
  static void setupStyle(float scale) {
    ImGui::StyleColorsDark();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowRounding = 6.0f;
    style.FrameRounding = 4.0f;
    style.GrabRounding = 4.0f;
    style.WindowBorderSize = 0.0f;
    style.Colors[ImGuiCol_WindowBg].w = 0.90f;
    style.Colors[ImGuiCol_Header] = ImVec4(0.20f, 0.45f, 0.50f, 0.55f);
    style.Colors[ImGuiCol_HeaderHovered] = ImVec4(0.22f, 0.55f, 0.60f, 0.80f);
    style.Colors[ImGuiCol_HeaderActive] = ImVec4(0.20f, 0.60f, 0.65f, 1.00f);
    style.Colors[ImGuiCol_SliderGrab] = ImVec4(0.35f, 0.75f, 0.80f, 1.00f);
    style.Colors[ImGuiCol_CheckMark] = ImVec4(0.45f, 0.85f, 0.90f, 1.00f);
    style.Colors[ImGuiCol_FrameBg] = ImVec4(0.18f, 0.22f, 0.26f, 0.90f);
    style.ScaleAllSizes(scale);
  }
};

/// Mouse state for orbit / pan / zoom / hover / click.
struct MouseTracker {
  bool dragging = false;
  int button = -1;
  glm::vec2 pressPosition{0.0f};
  glm::vec2 lastPosition{0.0f};
  float travelled = 0.0f;
  /// ImGui reports a double-click on the frame of the second press, not at its release.
  bool doubleClick = false;
  /// The trigger-point marker the press started on: dragging moves that point.
  std::optional<PointRef> marker;
  /// The press started a referral-zone brush stroke.
  bool painting = false;
  /// Alt+drag moves the section plane along its normal: the plane and pixel at the press.
  bool movingSection = false;
  SectionPlane sectionAtPress;
  glm::vec2 sectionPressPixel{0.0f};
};

GlWindow::Options windowOptions(const CommandLine& options) {
  GlWindow::Options window;
  if (options.sizeGiven) {
    window.width = options.size.x;
    window.height = options.size.y;
  }
  return window;
}

class Viewer {
public:
  explicit Viewer(const CommandLine& options)
      : options_(options),
        // Loading starts before the window and GL set-up, which take about as long.
        loading_(std::make_unique<BackgroundLoad>(modelPathOf(options))),
        window_(windowOptions(options)), renderer_(shaderDir()) {
    float xScale = 1.0f;
    float yScale = 1.0f;
    glfwGetWindowContentScale(window_.handle(), &xScale, &yScale);
    // Installed before ImGui's, which chains to it: ImGui 1.86 samples key state once a frame
    // and loses a press and release that both fall between two slow (software-rendered) frames.
    glfwSetWindowUserPointer(window_.handle(), this);
    glfwSetKeyCallback(window_.handle(), [](GLFWwindow* window, int key, int, int action, int mods) {
      auto* viewer = static_cast<Viewer*>(glfwGetWindowUserPointer(window));
      if (action == GLFW_PRESS || action == GLFW_REPEAT) {
        viewer->keyPresses_.push_back(KeyPress{key, mods, action == GLFW_REPEAT});
      }
    });
    glfwSetWindowCloseCallback(window_.handle(), [](GLFWwindow* window) {
      auto* viewer = static_cast<Viewer*>(glfwGetWindowUserPointer(window));
      if (viewer->state_.points.dirty()) {
        // Ask first; the prompt quits (or not) through the same path as File > Quit.
        glfwSetWindowShouldClose(window, GLFW_FALSE);
        viewer->ui_.guarded = UiState::Guarded::Quit;
      }
    });
    pixelScale_ = std::max(1.0f, xScale);
    imgui_ = std::make_unique<ImGuiSession>(window_.handle(), pixelScale_);
    glfwSwapInterval(1);
    setUpTriggerPoints();
    driver_ = renderer_.driverDescription();
    log::info("renderer: " + driver_);
  }

  int run() {
    auto last = std::chrono::steady_clock::now();
    while (!glfwWindowShouldClose(window_.handle()) && !quit_) {
      glfwPollEvents();
      const auto now = std::chrono::steady_clock::now();
      const float dt = std::chrono::duration<float>(now - last).count();
      last = now;
      // Nothing throws out of the frame loop: show the message and keep going.
      try {
        frame(dt);
      } catch (const std::exception& error) {
        ui_.errorMessage = error.what();
      }
      frameMs_ = 0.9f * frameMs_ + 0.1f * dt * 1000.0f;
    }
    // Workers still running are waited for as members are destroyed; the window goes first so
    // the user never sees a frozen one.
    glfwHideWindow(window_.handle());
    // A clean exit leaves no recovery file of its own, unless the work in it is still unsaved.
    // A crash's recovery file that was offered but not answered stays for the next start.
    if (discardRecoveryOnExit_ || !state_.points.dirty()) recovery_.discard();
    return exitCode_;
  }

private:
  void setUpTriggerPoints() {
    if (auto problem = loadLibraryInto(state_)) {
      log::warn("trigger-point library: " + *problem);
      libraryProblem_ = *problem;
    }
    applyTriggerPointOptions(options_, state_);
    if (!options_.annotationsPath.empty()) recent_.add(options_.annotationsPath);
    autosaveSeenRevision_ = state_.points.revision;
    offerRecovery();
  }

  // Work a crashed session left behind (its recovery file, no longer locked by a running copy)
  // is offered for restoring, newest first, one per start. Our own recovery file is separate
  // (recovery-<pid>.json), so two copies open at once never touch each other's.
  void offerRecovery() {
    for (const std::filesystem::path& file : abandonedRecoveryFiles(recovery_.file().parent_path())) {
      RecoveryStore store(file);
      try {
        if (auto recovery = store.read()) {
          ui_.recoveryOffer = std::move(recovery);
          offeredRecovery_ = file;
          return;
        }
      } catch (const InputError& error) {
        const std::filesystem::path aside = setAsideUnreadable(file);
        ui_.errorMessage = std::string(error.what()) + "\n\nThe file was kept as " +
                           aside.string() +
                           "; open it with File > Open annotations to see what it holds.";
        return;
      }
    }
  }

  // The crash's recovery file is done with: restored into this session or discarded.
  void dropOfferedRecovery() {
    if (offeredRecovery_.empty()) return;
    RecoveryStore(offeredRecovery_).discard();
    std::error_code error;
    std::filesystem::remove(lockFileOf(offeredRecovery_), error);
    offeredRecovery_.clear();
  }

  void pollLoading() {
    if (loading_) {
      if (auto model = loading_->takeModel()) {
        commands_.push(cmd::ReplaceModel{model});
        if (firstModel_ && !openedFromMenu_) pushStartupViewOptions();
        if (firstModel_ && !openedFromMenu_ && options_.section) pushStartupSection(*model);
        modelName_ = loading_->path().filename().string();
        firstModel_ = false;
        // A build for the previous model finishes aside; waiting for it would freeze the UI.
        if (bvhBuild_) retiredBvhBuilds_.push_back(std::move(bvhBuild_));
        loading_.reset();
      } else if (auto error = loading_->takeError()) {
        log::error(*error);
        if (firstModel_ && !openedFromMenu_) {
          // The model named on the command line is bad: like the headless modes, say why and
          // exit with status 2 instead of showing an empty window.
          exitCode_ = 2;
          quit_ = true;
          loading_.reset();
          return;
        }
        // A bad file keeps the current model; on start-up there is none, so say so plainly.
        ui_.errorMessage = *error + (firstModel_ ? "\n\nUse File > Open model to open another."
                                                 : "\n\nThe current model stays open.");
        loading_.reset();
      }
    }
    std::erase_if(retiredBvhBuilds_, [](const auto& build) { return build->finished(); });
    if (bvhBuild_) {
      if (auto bvh = bvhBuild_->take()) {
        commands_.push(cmd::SetBvh{bvhBuild_->model(), bvh});
        bvhBuild_.reset();
      }
    }
  }

  // The command line's --view, --peel and --layer-opacity apply to the window's first model as
  // they do to --screenshot, through the same commands the panels use.
  void pushStartupViewOptions() {
    commands_.push(cmd::ViewPresetCmd{options_.view, false});
    if (options_.peelDepth != 0.0f) commands_.push(cmd::SetPeelDepth{options_.peelDepth});
    for (const auto& [layer, opacity] : options_.layerOpacities) {
      commands_.push(cmd::SetLayerOpacity{layer, opacity});
    }
  }

  // --section in the window: the plane facing the start-up view, as --screenshot cuts it.
  void pushStartupSection(const Model& model) {
    const Camera camera = presetCamera(options_.view, model.bounds(), state_.aspect());
    commands_.push(cmd::SetSection{sectionFromOption(options_.section, model.bounds(), camera)});
  }

  glm::vec2 toFramebuffer(glm::vec2 windowPosition) const {
    int windowWidth = 1;
    int windowHeight = 1;
    glfwGetWindowSize(window_.handle(), &windowWidth, &windowHeight);
    return windowPosition * glm::vec2(state_.viewport) /
           glm::vec2(std::max(windowWidth, 1), std::max(windowHeight, 1));
  }

  float markerPickRadius() const { return (kMarkerRadiusPixels + 4.0f) * pixelScale_; }

  // A new trigger point where the pointer is (Mark tool); see pickForTriggerPoint.
  void markPointAt(glm::vec2 pixel) {
    const auto hit = pickForTriggerPoint(state_, pixel);
    if (!hit) return;
    const StructureInfo& info = state_.model->structures[hit->structure].info;
    std::size_t onStructure = 1;
    for (const TriggerPoint& other : state_.points.document.points) {
      if (other.structure == info.name) ++onStructure;
    }
    TriggerPoint point;
    point.id = newTriggerPointId();
    point.label = info.label() + " " + std::to_string(onStructure);
    point.created = nowIso8601Utc();
    point.modified = point.created;
    bindToHit(point, *state_.model, *hit);
    commands_.push(cmd::AddTriggerPoint{std::move(point)});
  }

  // Drags the pressed marker's point along the surface under the pointer: one undo step per
  // drag (the queue merges the updates until the next breakMerge).
  void dragPointTo(const std::string& id, glm::vec2 pixel) {
    const TriggerPoint* point = state_.points.document.find(id);
    const auto hit = pickForTriggerPoint(state_, pixel);
    if (point == nullptr || !hit) return;
    TriggerPoint moved = editedPoint(*point);
    bindToHit(moved, *state_.model, *hit);
    commands_.push(cmd::UpdateTriggerPoint{std::move(moved)}, true);
  }

  // One dab of the referral-zone brush on the skin (whether or not the skin is shown: the zone
  // is defined on it). Shift erases. A stroke is one undo step.
  void paintAt(glm::vec2 pixel, bool erase) {
    const TriggerPoint* point = state_.points.selectedAnnotation();
    if (point == nullptr || state_.model == nullptr) return;
    const Model& model = *state_.model;
    const Ray ray = state_.camera.rayThroughPixel(pixel, state_.viewport);
    const StructureFilter skin = [&model](std::uint32_t structure) {
      return model.structures[structure].info.layer == Layer::Skin;
    };
    const auto hit = state_.bvh ? state_.bvh->intersect(ray, skin) : intersectBruteForce(model, ray, skin);
    if (!hit) return;
    TriggerPoint painted = editedPoint(*point);
    if (!paintReferral(painted.referral, hit->position, ui_.brushRadius, ui_.brushEssential,
                       erase)) {
      return;
    }
    painted.referralSource.clear();
    commands_.push(cmd::UpdateTriggerPoint{std::move(painted)}, true);
  }

  /// Puts the technique's tool on the body under a pixel, pressing along the inward normal.
  void placeTechniqueAt(glm::vec2 pixel) {
    const auto hit = pickPixel(state_, pixel);
    if (!hit) return;
    const TechniqueContact contact = contactFromHit(*state_.model, state_.bvh.get(), *hit);
    commands_.push(cmd::PlaceTechnique{contact, contactLabel(state_, *hit)});
    commands_.push(cmd::SetTool{Tool::Navigate});
    // Close enough to see the dent: a thumb's press is a centimetre or two across.
    commands_.push(cmd::FocusPoint{contact.point});
  }

  void handleMouse() {
    const ImGuiIO& io = ImGui::GetIO();
    const glm::vec2 mouse(io.MousePos.x, io.MousePos.y);
    const bool overUi = io.WantCaptureMouse;
    if (!state_.model) return;
    const glm::vec2 pixel = toFramebuffer(mouse);

    if (!mouse_.dragging && !overUi) {
      for (int button = 0; button < 3; ++button) {
        if (!ImGui::IsMouseClicked(button)) continue;
        mouse_ = MouseTracker{true, button, mouse, mouse, 0.0f,
                              ImGui::IsMouseDoubleClicked(button), std::nullopt, false, false,
                              SectionPlane{}, glm::vec2(0.0f)};
        if (button != 0) continue;
        if (io.KeyAlt && state_.display.section.enabled) {
          commands_.breakMerge(); // one drag, one undo step
          mouse_.movingSection = true;
          mouse_.sectionAtPress = state_.display.section;
          mouse_.sectionPressPixel = pixel;
          continue;
        }
        mouse_.marker = triggerView_.markerAt(state_, pixel, markerPickRadius());
        if (mouse_.marker) {
          commands_.breakMerge();
          commands_.push(cmd::SelectTriggerPoint{mouse_.marker});
        } else if (state_.tool == Tool::Paint) {
          commands_.breakMerge();
          mouse_.painting = true;
          paintAt(pixel, io.KeyShift);
        }
      }
      if (io.MouseWheel != 0.0f) commands_.push(cmd::Zoom{std::pow(0.88f, io.MouseWheel)});
    }
    if (mouse_.dragging) {
      const glm::vec2 delta = mouse - mouse_.lastPosition;
      mouse_.lastPosition = mouse;
      mouse_.travelled += glm::length(delta);
      const bool moved = mouse_.travelled > kClickSlop && glm::length(delta) > 0.0f;
      const bool movesPoint =
          mouse_.marker && mouse_.marker->source == PointRef::Source::Annotation;
      if (moved && mouse_.movingSection) {
        const float distance = sectionDragDistance(state_.camera, state_.viewport,
                                                   mouse_.sectionAtPress,
                                                   mouse_.sectionPressPixel, pixel);
        commands_.push(cmd::SetSection{movedAlongNormal(mouse_.sectionAtPress, distance)}, true);
      } else if (moved && movesPoint) {
        dragPointTo(mouse_.marker->id, pixel);
      } else if (moved && mouse_.painting) {
        paintAt(pixel, io.KeyShift);
      } else if (moved && !mouse_.marker) {
        const bool pan = mouse_.button != 0 || io.KeyShift;
        if (pan) {
          commands_.push(cmd::Pan{delta.x / io.DisplaySize.y, delta.y / io.DisplaySize.y});
        } else {
          commands_.push(cmd::Orbit{-delta.x * 0.008f, delta.y * 0.008f});
        }
      }
      if (!ImGui::IsMouseDown(mouse_.button)) {
        const bool click =
            mouse_.travelled <= kClickSlop && mouse_.button == 0 && !mouse_.movingSection;
        if (click && mouse_.marker) {
          const auto onScreen = std::find_if(
              triggerView_.markers().begin(), triggerView_.markers().end(),
              [&](const PlacedMarker& marker) { return marker.ref == *mouse_.marker; });
          if (mouse_.doubleClick && onScreen != triggerView_.markers().end()) {
            commands_.push(cmd::FocusPoint{onScreen->position});
          }
        } else if (click && state_.tool == Tool::Mark) {
          markPointAt(pixel);
        } else if (click && state_.tool == Tool::PlaceTechnique) {
          placeTechniqueAt(pixel);
        } else if (click && state_.tool == Tool::Navigate) {
          const auto hit = pickPixel(state_, pixel);
          commands_.push(cmd::Select{hit ? std::optional(hit->structure) : std::nullopt});
          if (!hit) commands_.push(cmd::SelectTriggerPoint{std::nullopt});
          if (hit && mouse_.doubleClick) commands_.push(cmd::FocusSelection{});
        }
        if (mouse_.marker || mouse_.painting || mouse_.movingSection) commands_.breakMerge();
        mouse_.dragging = false;
      }
    }
    // Hover highlight: cheap with the BVH; skipped until it is ready (first seconds).
    if (!overUi && !mouse_.dragging) {
      const auto marker = triggerView_.markerAt(state_, pixel, markerPickRadius());
      if (marker != state_.points.hovered) commands_.push(cmd::HoverTriggerPoint{marker});
      if (marker) showMarkerTooltip(*marker);
    } else if (overUi && state_.points.hovered) {
      commands_.push(cmd::HoverTriggerPoint{std::nullopt});
    }
    if (!overUi && !mouse_.dragging && state_.bvh) {
      const auto hit = pickPixel(state_, pixel);
      const std::optional<std::uint32_t> hovered =
          hit ? std::optional(hit->structure) : std::nullopt;
      if (hovered != state_.display.hovered) commands_.push(cmd::Hover{hovered});
    } else if (overUi && state_.display.hovered) {
      commands_.push(cmd::Hover{std::nullopt});
    }
  }

  void showMarkerTooltip(const PointRef& ref) const {
    if (ref.source == PointRef::Source::Annotation) {
      if (const TriggerPoint* point = state_.points.document.find(ref.id)) {
        ImGui::SetTooltip("%s\npain %d/10, %s", point->label.c_str(), point->pain,
                          point->type == TriggerPointType::Active ? "active" : "latent");
      }
    } else if (state_.points.library != nullptr) {
      if (const LibraryTriggerPoint* point = state_.points.library->find(ref.id)) {
        ImGui::SetTooltip("%s\nlibrary point: click for its referred-pain zone",
                          point->label.c_str());
      }
    }
  }

  void saveScreenshot(const std::filesystem::path& path) {
    // The saved image has no panels, so it is centred on the view, not on the panel-free part.
    Camera camera = state_.camera;
    camera.lensShift = glm::vec2(0.0f);
    const Image image = renderer_.renderImage(camera, state_.display, state_.viewport);
    writePng(image, path);
    ui_.statusMessage = "Saved " + path.string();
    log::info("saved screenshot " + path.string());
  }

  // Saving first: a "Save, then open / quit" from the unsaved-changes prompt goes on only if
  // the save worked.
  void handleAnnotationRequests(UiRequests requests) {
    bool saved = true;
    if (requests.saveAnnotationsAs) saved = saveAnnotationsTo(*requests.saveAnnotationsAs);
    if (requests.saveAnnotations) saved = saved && saveAnnotationsTo(state_.points.path);
    if (!saved) return; // the error is shown; nothing that would drop the work goes ahead
    if (requests.saveAnnotations || requests.saveAnnotationsAs) {
      runFileAction(requests.afterSave, requests.afterSavePath, ui_, requests);
    }
    if (requests.newAnnotations) {
      commands_.apply(cmd::ReplaceAnnotations{}, state_);
      ui_.statusMessage = "New annotations";
    }
    if (requests.openAnnotations) openAnnotations(*requests.openAnnotations);
    if (requests.restoreRecovery && ui_.recoveryOffer) {
      const RecoveryStore::Recovery offer = std::move(*ui_.recoveryOffer);
      ui_.recoveryOffer.reset();
      // What is on disk (if the file still reads) is the "saved" state, so the restored
      // changes show as unsaved until the therapist saves them.
      AnnotationDocument onDisk;
      if (!offer.documentPath.empty()) {
        try {
          onDisk = readAnnotations(offer.documentPath);
        } catch (const InputError& error) {
          log::warn(std::string("restoring annotations: ") + error.what());
        }
      }
      commands_.apply(cmd::ReplaceAnnotations{offer.document, offer.documentPath, onDisk}, state_);
      // Protected by this session's own recovery file before the crash's one goes.
      try {
        recovery_.write(state_.points.document, state_.points.path);
        autosaveSeenRevision_ = state_.points.revision;
        autosave_.markAutosaved(glfwGetTime());
        dropOfferedRecovery();
      } catch (const InputError& error) {
        log::warn(std::string("keeping the restored recovery file: ") + error.what());
      }
      ui_.statusMessage = "Restored " + std::to_string(offer.document.points.size()) +
                          " trigger point(s) from the recovery file";
    }
    if (requests.discardRecovery) {
      ui_.recoveryOffer.reset();
      dropOfferedRecovery();
    }
    if (requests.quitDiscarding || requests.quit) {
      quit_ = true;
      discardRecoveryOnExit_ = true; // saved, or the user said "Don't save"
    }
  }

  bool saveAnnotationsTo(const std::filesystem::path& path) {
    try {
      AnnotationDocument document = state_.points.document;
      if (!modelName_.empty()) document.modelName = modelName_;
      saveAnnotations(document, path);
    } catch (const InputError& error) {
      ui_.errorMessage = std::string(error.what()) + "\n\nThe annotations are still open; "
                         "nothing was lost. Try another folder or file name.";
      return false;
    }
    commands_.apply(cmd::MarkAnnotationsSaved{path}, state_);
    recent_.add(path);
    recovery_.discard();
    autosave_.markSaved();
    ui_.statusMessage = "Saved " + path.string();
    log::info("saved annotations " + path.string());
    return true;
  }

  void openAnnotations(const std::filesystem::path& path) {
    try {
      AnnotationDocument document = readAnnotations(path);
      commands_.apply(cmd::ReplaceAnnotations{document, path, document}, state_);
      recent_.add(path);
      ui_.statusMessage = "Opened " + path.string();
    } catch (const InputError& error) {
      ui_.errorMessage = std::string(error.what()) +
                         "\n\nThe file was not changed; the current annotations stay open.";
    }
  }

  // Every 30 s of unsaved changes, a copy goes to the recovery file (atomically), so a crash
  // or power cut loses at most that much work.
  void autosave() {
    const double now = glfwGetTime();
    if (state_.points.revision != autosaveSeenRevision_) {
      autosaveSeenRevision_ = state_.points.revision;
      if (state_.points.dirty()) {
        autosave_.markChanged(now);
      } else {
        autosave_.markSaved();
      }
    }
    if (!autosave_.due(now)) return;
    try {
      recovery_.write(state_.points.document, state_.points.path);
      log::info("autosaved annotations to " + recovery_.file().string());
    } catch (const InputError& error) {
      log::warn(std::string("autosave: ") + error.what());
    }
    autosave_.markAutosaved(now);
  }

  void updateTitle() {
    std::string title = state_.points.path.empty() ? std::string("Untitled annotations")
                                                   : state_.points.path.filename().string();
    if (state_.points.dirty()) title = "*" + title;
    title += " - Fascia Atlas";
    if (title != windowTitle_) {
      glfwSetWindowTitle(window_.handle(), title.c_str());
      windowTitle_ = title;
    }
  }

  void frame(float dt) {
    int width = 0;
    int height = 0;
    glfwGetFramebufferSize(window_.handle(), &width, &height);
    if (width > 0 && height > 0) state_.viewport = {width, height};

    pollLoading();

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();

    UiRequests requests;
    FrameInfo info;
    info.frameMilliseconds = frameMs_;
    info.trianglesDrawn = renderer_.lastFrameStats().triangles;
    info.driver = driver_;
    info.modelName = modelName_;
    if (loading_) {
      info.loading = &loading_->progress();
      info.loadingName = loading_->path().filename().string();
    }
    info.undoLabel = commands_.undoLabel();
    info.redoLabel = commands_.redoLabel();
    info.recentAnnotations = recent_.list();
    info.libraryProblem = libraryProblem_;
    info.unplacedPoints = &triggerView_.unplaced();
    info.triggerView = &triggerView_;

    handleShortcuts(keyPresses_, state_, commands_, ui_, requests);
    handleTechniqueKeys(keyPresses_, state_, commands_, techniquePanel_);
    keyPresses_.clear();
    info.techniquePanel = [this](float top, float panelWidth) {
      return drawTechniquePanel(state_, techniqueFrames_, commands_, techniquePanel_, top,
                                panelWidth);
    };
    drawPanels(state_, info, commands_, ui_, requests);
    drawTechniqueOverlay(state_, techniqueFrames_);
    state_.insets = panelInsets(ui_);
    handleMouse();
    if (state_.technique.playing) commands_.push(cmd::AdvanceTechnique{dt});

    // The one point in the frame where state changes.
    if (requests.undo) commands_.undo(state_);
    if (requests.redo) commands_.redo(state_);
    commands_.applyPending(state_);
    advanceCamera(state_, dt);
    state_.camera.lensShift = state_.freeLensShift();

    if (requests.openModel) {
      if (loading_) {
        ui_.errorMessage = "A model is still loading; wait for it to finish.";
      } else {
        loading_ = std::make_unique<BackgroundLoad>(*requests.openModel);
        openedFromMenu_ = true;
      }
    }
    if (requests.saveScreenshot) {
      try {
        saveScreenshot(*requests.saveScreenshot);
      } catch (const InputError& error) {
        ui_.errorMessage = error.what();
      }
    }
    handleAnnotationRequests(requests);
    autosave();
    updateTitle();

    const bool newModel = state_.model != uploaded_;
    if (newModel) {
      renderer_.setModel(*state_.model);
      uploaded_ = state_.model;
    }
    syncTriggerPoints(state_, triggerView_, renderer_, pixelScale_);
    renderer_.setSection(state_.display.section);
    syncTechnique(state_, techniqueFrames_, renderer_);
    renderer_.render(state_.camera, state_.display, state_.viewport);
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glfwSwapBuffers(window_.handle());
    // Picking structures are built once the new model is on screen.
    if (newModel && state_.model) bvhBuild_ = std::make_unique<BackgroundBvh>(state_.model);
    if (state_.model && !firstModelFrameShown_) {
      firstModelFrameShown_ = true;
      renderer_.finish();
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                           processStart()).count();
      log::info("first frame with the model after " + std::to_string(seconds) + " s");
      if (options_.benchmarkStartup) {
        std::printf("first_model_frame_s\t%.3f\n", seconds);
        quit_ = true;
      }
    }
  }

  CommandLine options_;
  TriggerPointView triggerView_;
  TechniqueFrames techniqueFrames_;
  TechniquePanelState techniquePanel_;
  FileLock sessionLock_{lockFileOf(sessionRecoveryFile())};
  RecoveryStore recovery_{sessionRecoveryFile()};
  std::filesystem::path offeredRecovery_; ///< the crash's recovery file being offered
  AutosaveTimer autosave_;
  RecentFiles recent_;
  std::uint64_t autosaveSeenRevision_ = 0;
  std::string libraryProblem_;
  std::string windowTitle_;
  float pixelScale_ = 1.0f;
  bool discardRecoveryOnExit_ = false;
  std::unique_ptr<BackgroundLoad> loading_;
  GlWindow window_;
  Renderer renderer_;
  std::unique_ptr<ImGuiSession> imgui_;
  AppState state_;
  CommandQueue commands_;
  UiState ui_;
  MouseTracker mouse_;
  std::vector<KeyPress> keyPresses_;
  std::unique_ptr<BackgroundBvh> bvhBuild_;
  std::vector<std::unique_ptr<BackgroundBvh>> retiredBvhBuilds_;
  std::shared_ptr<const Model> uploaded_; // the model the renderer holds
  std::string driver_;
  std::string modelName_;
  float frameMs_ = 16.0f;
  bool firstModel_ = true;
  bool openedFromMenu_ = false;
  bool firstModelFrameShown_ = false;
  bool quit_ = false;
  int exitCode_ = 0;
};

} // namespace

int runViewer(const CommandLine& options) {
  // A missing model fails before any window opens, like the headless modes.
  const std::filesystem::path model = modelPathOf(options);
  std::error_code error;
  if (!std::filesystem::exists(model, error)) throw InputError(model, "no such file or folder");
  Viewer viewer(options);
  return viewer.run();
}

} // namespace fascia::app
