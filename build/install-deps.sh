#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for Tsgb: Debian's Jupyter stack (the notebook server, nbclient,
# nbconvert, the kernel conformance suite), PyTorch for the reference fixtures, and Chromium for the browser check.
# Idempotent: packages already present are skipped. The .NET SDK 10 is expected on PATH.
set -euo pipefail
packages=(python3-torch python3-numpy jupyter-notebook python3-nbclient python3-nbformat jupyter-nbconvert
          python3-jupyter-client python3-jupyter-kernel-test chromium chromium-driver python3-selenium fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "error: the .NET SDK 10 is not on PATH" >&2; exit 1; }
