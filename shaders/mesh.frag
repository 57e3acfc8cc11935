// Lit mesh: fragment stage. Two-sided Blinn-Phong with a key and a fill light fixed to the
// viewer, hemispherical ambient and a soft rim, so shapes read on a dim projector as well as on
// a laptop screen.

in vec3 vPositionView;
in vec3 vPositionWorld;
in vec3 vNormalView;
in float vOverlay;

uniform vec3 uBaseColour;      // linear RGB
uniform float uOpacity;        // 0..1
uniform vec4 uHighlight;       // rgb: tint, a: amount (hover / selection)
uniform float uOverlayOpacity; // 0 disables the per-vertex load overlay (pressure, sliding)
// Heat spots (a referred-pain zone), evaluated per fragment so the zone is smooth whatever the
// mesh's triangle size: xyz centre, w radius; strengths in a second array.
const int kMaxHeatSpots = 128;
uniform int uHeatSpotCount;
uniform vec4 uHeatSpots[kMaxHeatSpots];
uniform float uHeatStrengths[kMaxHeatSpots];

layout(location = 0) out vec4 fragColour;

// Heat ramp for overlays: pale yellow -> orange -> deep red. Low values fade into the base
// colour (no hard edge where a zone ends), so a referred-pain zone reads as a soft heat map.
vec3 overlayColour(float value) {
  vec3 pale = vec3(1.00, 0.80, 0.30);
  vec3 warm = vec3(1.00, 0.42, 0.08);
  vec3 hot = vec3(0.80, 0.04, 0.04);
  return value < 0.5 ? mix(pale, warm, value * 2.0) : mix(warm, hot, value * 2.0 - 1.0);
}

// Load ramp for the per-vertex overlay (pressure in kPa, sliding): blue -> cyan -> green ->
// yellow -> red, kept apart from the referral heat ramp so both read at once. Must match
// loadRampColour() in fascia/load_ramp.h, which draws the legend.
vec3 loadColour(float value) {
  const vec3 stops[5] = vec3[5](vec3(0.02, 0.10, 0.75), vec3(0.00, 0.55, 0.85),
                                vec3(0.10, 0.70, 0.15), vec3(1.00, 0.78, 0.00),
                                vec3(0.85, 0.05, 0.02));
  float x = clamp(value, 0.0, 1.0) * 4.0;
  int i = min(int(x), 3);
  return mix(stops[i], stops[i + 1], x - float(i));
}

// heatSpotFalloff() in fascia/heat_spot.h: full strength over the inner 40% of the radius,
// then a smoothstep down to nothing at the rim.
float heatAt(vec3 p) {
  float heat = 0.0;
  for (int i = 0; i < uHeatSpotCount; ++i) {
    float x = length(p - uHeatSpots[i].xyz) / uHeatSpots[i].w;
    if (x < 1.0) heat = max(heat, uHeatStrengths[i] * (1.0 - smoothstep(0.4, 1.0, x)));
  }
  return heat;
}

void main() {
  vec3 n = normalize(vNormalView);
  // Sheets and cut-open shells are seen from both sides.
  if (!gl_FrontFacing) n = -n;
  vec3 v = normalize(-vPositionView);

  const vec3 keyLight = normalize(vec3(-0.45, 0.65, 0.62));
  const vec3 fillLight = normalize(vec3(0.70, 0.05, 0.45));
  float diffuse = 0.78 * max(dot(n, keyLight), 0.0) + 0.30 * max(dot(n, fillLight), 0.0);
  vec3 halfway = normalize(keyLight + v);
  float specular = 0.16 * pow(max(dot(n, halfway), 0.0), 40.0);

  // Ground-to-sky ambient by the normal's up component (view space follows the orbit).
  vec3 ambient = mix(vec3(0.20, 0.19, 0.19), vec3(0.42, 0.44, 0.48), 0.5 + 0.5 * n.y);
  float rim = 0.22 * pow(1.0 - max(dot(n, v), 0.0), 3.0);

  vec3 base = uBaseColour;
  float heat = uHeatSpotCount > 0 ? heatAt(vPositionWorld) : 0.0;
  if (heat > 0.0) base = mix(base, overlayColour(heat), 0.9 * smoothstep(0.0, 0.3, heat));
  // The load overlay fades in over its lowest 15%, so unloaded tissue keeps its own colour
  // and the patch's rim is soft: values interpolated across a large triangle from a loaded
  // vertex to an unloaded one would otherwise end the patch in the jagged outline of the mesh.
  float load = uOverlayOpacity > 0.0 ? clamp(vOverlay, 0.0, 1.0) : 0.0;
  if (load > 0.0) base = mix(base, loadColour(load), uOverlayOpacity * smoothstep(0.0, 0.15, load));
  vec3 colour = base * (ambient + diffuse) + vec3(specular) + rim * vec3(0.85, 0.90, 1.00);
  colour = mix(colour, uHighlight.rgb, uHighlight.a);

  // Colours are linear; the framebuffer is not sRGB, so encode here.
  fragColour = vec4(pow(clamp(colour, 0.0, 1.0), vec3(1.0 / 2.2)), uOpacity);
}
