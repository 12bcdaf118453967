#!/bin/sh
# Installs what cts needs on Debian 12, only if it is missing.
#   scripts/install-deps.sh core   compiler, CMake, zlib (to build and run cts)
#   scripts/install-deps.sh test   core + PyTorch 1.13 and torchvision for /usr/bin/python3 (the test oracle)
set -e
want=${1:-core}
pkgs=""
need() { dpkg -s "$1" >/dev/null 2>&1 || pkgs="$pkgs $1"; }
need gcc
need make
need cmake
need zlib1g-dev
if [ "$want" = test ]; then
  need python3-torch
  need python3-torchvision
fi
if [ -n "$pkgs" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "cts: missing packages:$pkgs (run as root, or install them)" >&2
    exit 1
  fi
  echo "cts: installing$pkgs"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq $pkgs >/dev/null
fi
