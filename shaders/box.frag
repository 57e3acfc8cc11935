// Occlusion-query boxes write no colour (the colour mask is off); this only satisfies linking.
layout(location = 0) out vec4 fragColour;

void main() {
  fragColour = vec4(1.0);
}
