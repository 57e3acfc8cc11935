// Lit mesh: vertex stage. The model matrix is the identity (models are loaded in world space).

layout(location = 0) in vec3 aPosition;
layout(location = 1) in vec3 aNormal;
// Seams for the animation and heat-map features. With no buffer bound to these locations the
// renderer sets constant zeros, so the rest pose and the base colour are drawn.
layout(location = 2) in vec3 aDisplacement; // per-vertex offset in metres (pressure, stretch)
layout(location = 3) in float aOverlay;     // per-vertex scalar in 0..1 for colour overlays

uniform mat4 uView;
uniform mat4 uViewProjection;
// The section plane as (a, b, c, d): a point is kept where dot(uClipPlane, (p, 1)) >= 0. Only
// used while the renderer enables GL_CLIP_DISTANCE0.
uniform vec4 uClipPlane;
// The heights (world y) the model reaches at rest: a torso is cut at the neck and the thighs,
// so tissue a stretch pushes past those cuts is cut there too, like everything else
// (GL_CLIP_DISTANCE1 and 2).
uniform vec2 uKeptHeight;

out vec3 vPositionView;
out vec3 vPositionWorld;
out vec3 vNormalView;
out float vOverlay;

void main() {
  vec3 world = aPosition + aDisplacement;
  vPositionView = (uView * vec4(world, 1.0)).xyz;
  vPositionWorld = aPosition; // heat spots stay on the tissue when it deforms
  // The view matrix is rigid, so its upper 3x3 transforms normals too.
  vNormalView = mat3(uView) * aNormal;
  vOverlay = aOverlay;
  gl_Position = uViewProjection * vec4(world, 1.0);
  // The deformed position is cut, so a section shows the layers as they are pressed.
  gl_ClipDistance[0] = dot(uClipPlane, vec4(world, 1.0));
  gl_ClipDistance[1] = world.y - uKeptHeight.x;
  gl_ClipDistance[2] = uKeptHeight.y - world.y;
}
