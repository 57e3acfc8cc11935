// An axis-aligned box from a unit cube, for occlusion queries: nothing is shaded.
layout(location = 0) in vec3 aCorner; // 0 or 1 per axis

uniform mat4 uViewProjection;
uniform vec3 uBoxMin;
uniform vec3 uBoxMax;

void main() {
  gl_Position = uViewProjection * vec4(mix(uBoxMin, uBoxMax, aCorner), 1.0);
}
