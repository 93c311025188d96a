#!/usr/bin/env bash
# The README's first command: sets up a fresh Debian 12 machine (packages, build, Jupyter kernel) and runs the
# quickstart notebook headlessly, writing an HTML copy with its heatmaps.
set -euo pipefail
cd "$(dirname "$0")/.."
notebook="${1:-notebooks/01-quickstart.ipynb}"
bash build/install-deps.sh
echo "building…"
dotnet build Interactive.sln -c Release -v quiet -nologo
tsgb="src/Tsgb.Interactive/bin/Release/net10.0/tsgb.dll"
dotnet "$tsgb" kernel install --user
mkdir -p artifacts/notebooks
name=$(basename "$notebook" .ipynb)
echo "running $notebook…"
/usr/bin/jupyter nbconvert --to html --execute --ExecutePreprocessor.kernel_name=tsgb-csharp \
  --ExecutePreprocessor.timeout=1200 --output-dir artifacts/notebooks --output "$name" "$notebook"
echo
echo "done: $(pwd)/artifacts/notebooks/$name.html (open it in a browser to see the heatmaps)"
echo "to work interactively: jupyter notebook notebooks/   (then pick the kernel \"C# (Tsgb)\")"
