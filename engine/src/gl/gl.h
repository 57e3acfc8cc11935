#pragma once
// The one place the GL loader is included. Only engine/src/gl/ and the renderer include this.
#include <epoxy/gl.h>
