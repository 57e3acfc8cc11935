#!/usr/bin/env bash
# Rendering benchmarks through the real program: time from start to the first window frame that
# shows the bundled model, and off-screen frame times at 1280x720 for each peel depth and with
# the half-transparent skin. Needs a release build (cmake --preset release && cmake --build
# --preset release --target fascia) and a display; without one it starts its own Xvfb.
# Usage: bench/render-bench.sh [MODEL] [FRAMES]
set -euo pipefail
cd "$(dirname "$0")/.."
exe=build/release/app/fascia
model=${1:-assets/torso.glb}
frames=${2:-20}
[ -x "$exe" ] || { echo "build the release preset first: $exe is missing" >&2; exit 1; }
if [ -z "${DISPLAY:-}" ]; then exec xvfb-run -a -s "-screen 0 1920x1080x24" "$0" "$@"; fi

echo "model: $model"
echo "driver: $("$exe" --screenshot /tmp/fascia-bench.png --size 64x64 --frame-times 1 "$model" 2>/dev/null | awk -F'\t' '$1=="driver"{print $2}')"
echo
echo "| start to first frame with the model (window 1600x1000), 3 runs |"
echo "|---|"
for run in 1 2 3; do
  "$exe" --benchmark-startup "$model" 2>/dev/null | awk -F'\t' '{printf "| %s s |\n", $2}'
done
echo
echo "| view at 1280x720, 4x MSAA | median ms | min ms | max ms | triangles submitted |"
echo "|---|---|---|---|---|"
frame() {
  local label=$1; shift
  "$exe" --screenshot /tmp/fascia-bench.png --size 1280x720 --frame-times "$frames" "$@" "$model" \
    2>/dev/null | awk -F'\t' -v label="$label" '
      {v[$1]=$2} END {printf "| %s | %s | %s | %s | %s |\n", label, v["median_ms"], v["min_ms"], v["max_ms"], v["triangles"]}'
}
for peel in 0 1 2 3 4; do frame "posterior, peel $peel" --peel "$peel"; done
frame "posterior, skin at 50%" --layer-opacity skin=0.5
frame "left, peel 0" --view left
frame "superior, peel 0" --view superior
