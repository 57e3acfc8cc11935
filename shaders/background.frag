// Calm vertical gradient with a soft vignette, in sRGB.
in vec2 vUv;

uniform vec3 uTopColour;
uniform vec3 uBottomColour;

layout(location = 0) out vec4 fragColour;

void main() {
  vec3 colour = mix(uBottomColour, uTopColour, smoothstep(0.0, 1.0, vUv.y));
  vec2 centred = vUv - 0.5;
  colour *= 1.0 - 0.18 * dot(centred, centred);
  fragColour = vec4(colour, 1.0);
}
