// A marker: a glossy bead with a light rim so it reads on skin, muscle and bone alike. The
// ghost pass draws the parts hidden behind surfaces faint and desaturated.

in vec3 vNormalView;
in vec3 vPositionView;

uniform vec3 uColour;     // linear RGB
uniform float uGhost;     // 0: solid, 1: ghosted (hidden behind a drawn surface)
uniform float uRing;      // 0..1: bright rim for the selected marker

layout(location = 0) out vec4 fragColour;

void main() {
  vec3 n = normalize(vNormalView);
  vec3 v = normalize(-vPositionView);
  const vec3 keyLight = normalize(vec3(-0.45, 0.65, 0.62));
  float diffuse = 0.75 * max(dot(n, keyLight), 0.0) + 0.35;
  float specular = 0.45 * pow(max(dot(n, normalize(keyLight + v)), 0.0), 60.0);
  float edge = 1.0 - max(dot(n, v), 0.0);
  vec3 colour = uColour * diffuse + vec3(specular);
  // A thin light outline separates the bead from a red heat map or a red muscle.
  colour = mix(colour, vec3(1.0), smoothstep(0.55, 0.9, edge) * (0.55 + 0.45 * uRing));
  float alpha = 1.0;
  if (uGhost > 0.5) {
    colour = mix(colour, vec3(dot(colour, vec3(0.3, 0.59, 0.11))), 0.35);
    alpha = 0.38;
  }
  fragColour = vec4(pow(clamp(colour, 0.0, 1.0), vec3(1.0 / 2.2)), alpha);
}
