#!/usr/bin/env bash
# The README's first command: sets up a fresh Debian 12 machine the way a user of the packages would be set up:
# installs the packages it lacks, packs Tsgb.Core and the tsgb tool into artifacts/packages/ (build/pack.sh),
# installs the tool from there (`dotnet tool install -g tsgb`, into ~/.dotnet/tools), installs the Jupyter kernel
# "C# (Tsgb)" from the tool (`tsgb kernel install --user`: the kernel starts the tool, not this clone's build) and
# runs the quickstart notebook headlessly through it, writing an HTML copy with its heatmaps.
#
#   build/setup.sh [NOTEBOOK]
set -euo pipefail
cd "$(dirname "$0")/.."
notebook="${1:-notebooks/01-quickstart.ipynb}"
bash build/install-deps.sh
bash build/pack.sh
version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)

# A re-packed version is the same version to NuGet: uninstall first, so the tool installed is the one just packed.
if dotnet tool list -g | grep -q '^tsgb '; then dotnet tool uninstall -g tsgb >/dev/null; fi
dotnet tool install -g tsgb --version "$version" --add-source artifacts/packages
tsgb="${HOME}/.dotnet/tools/tsgb"
"$tsgb" kernel install --user

mkdir -p artifacts/notebooks
name=$(basename "$notebook" .ipynb)
echo "running $notebook…"
/usr/bin/jupyter nbconvert --to html --execute --ExecutePreprocessor.kernel_name=tsgb-csharp \
  --ExecutePreprocessor.timeout=1200 --output-dir artifacts/notebooks --output "$name" "$notebook"
echo
echo "done: $(pwd)/artifacts/notebooks/$name.html (open it in a browser to see the heatmaps)"
echo "to work interactively: jupyter notebook notebooks/   (then pick the kernel \"C# (Tsgb)\")"
case ":$PATH:" in
  *":$HOME/.dotnet/tools:"*) ;;
  *) echo "the tsgb command is $tsgb: add ~/.dotnet/tools to PATH (export PATH=\"\$PATH:\$HOME/.dotnet/tools\")" ;;
esac
