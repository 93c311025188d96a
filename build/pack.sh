#!/usr/bin/env bash
# Packs the two packages, with their symbol packages (.snupkg), into artifacts/packages/ (or --output DIR):
#   Tsgb.Core  the engine: TSGB and the other methods, metrics, demo models and weights, the libstdc++ loader fix;
#   tsgb       the .NET tool: the `tsgb` command line and the Jupyter kernel. RID-specific: `tsgb` points to
#              `tsgb.linux-x64`, which holds the code, compiled ReadyToRun, and libtorch (about 147 MB).
# The version is Directory.Build.props' VersionPrefix; --version-suffix SUFFIX makes it VERSION-SUFFIX (the package
# tests use a unique one, so no NuGet cache can serve them an older build of the same version).
#
#   build/pack.sh [--output DIR] [--version-suffix SUFFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
output=artifacts/packages
suffix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --output) output=$2; shift 2 ;;
    --version-suffix) suffix=$2; shift 2 ;;
    *) echo "usage: build/pack.sh [--output DIR] [--version-suffix SUFFIX]" >&2; exit 2 ;;
  esac
done
mkdir -p "$output"
args=(-c Release -nologo -v quiet -o "$output")
[ -n "$suffix" ] && args+=(--version-suffix "$suffix")
for project in src/Tsgb.Core src/Tsgb.Interactive; do
  echo "packing $project…"
  dotnet pack "$project" "${args[@]}"
done
ls -l "$output"/*.nupkg "$output"/*.snupkg 2>/dev/null | awk '{ printf "%8.1f MB  %s\n", $5 / 1048576, $NF }'
