#!/usr/bin/env bash
# Installs the Debian packages Fascia Atlas needs, builds the release preset and opens the
# viewer on the bundled torso model (or on the model given as the first argument).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release
cmake --build --preset release --target fascia
exec build/release/app/fascia "$@"
