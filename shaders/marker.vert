// A marker: a unit sphere scaled and placed per marker; its radius is set in pixels by the
// renderer, so it keeps its size on screen at every zoom.

layout(location = 0) in vec3 aPosition; // unit sphere

uniform mat4 uView;
uniform mat4 uViewProjection;
uniform vec3 uCentre;  // world
uniform float uRadius; // world

out vec3 vNormalView;
out vec3 vPositionView;

void main() {
  vec3 world = uCentre + aPosition * uRadius;
  vNormalView = mat3(uView) * aPosition;
  vPositionView = (uView * vec4(world, 1.0)).xyz;
  gl_Position = uViewProjection * vec4(world, 1.0);
}
