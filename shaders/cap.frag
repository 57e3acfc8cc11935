// Section cap: flat colour, no lighting, so a cut face reads as a cut and not as a surface.

uniform vec3 uColour;    // linear RGB, already darkened by the renderer
uniform vec4 uHighlight; // rgb: tint, a: amount (hover / selection), as on the mesh

layout(location = 0) out vec4 fragColour;

void main() {
  vec3 colour = mix(uColour, uHighlight.rgb, uHighlight.a);
  // Linear colours, non-sRGB framebuffer: encode here, as shaders/mesh.frag does.
  fragColour = vec4(pow(clamp(colour, 0.0, 1.0), vec3(1.0 / 2.2)), 1.0);
}
