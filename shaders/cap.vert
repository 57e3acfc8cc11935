// Section cap: one quad in the section plane, its corners given as uniforms (no vertex buffer).
// The stencil decides which of its pixels lie inside the cut structure.

uniform mat4 uViewProjection;
uniform vec3 uCorners[4]; // triangle-strip order

void main() { gl_Position = uViewProjection * vec4(uCorners[gl_VertexID], 1.0); }
