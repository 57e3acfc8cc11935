#!/usr/bin/env bash
# Installs every Debian 12 package Fascia Atlas needs to build, run and test.
# Idempotent: when everything is present it changes nothing and does not touch the network.
# Works as root, or as a user with sudo.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libglfw3-dev libglm-dev libimgui-dev libassimp-dev libstb-dev libepoxy-dev
  nlohmann-json3-dev libgtest-dev libbenchmark-dev libmeshoptimizer-dev
  fonts-dejavu-core
  xvfb xauth libgl1-mesa-dri mesa-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are already installed."
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and not root; run as root or install sudo." >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
