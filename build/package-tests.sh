#!/usr/bin/env bash
# Tests the packages as a user consumes them, from a local folder as the package source, in fresh temporary folders:
#   1. build/pack.sh packs Tsgb.Core and the tsgb tool (a pointer package, and tsgb.linux-x64 with the ReadyToRun
#      code), with README, licence, icon and symbol packages;
#   2. `dotnet tool install --tool-path T tsgb --add-source …` installs the tool, and `tsgb explain` runs from it;
#   3. `T/tsgb kernel install` refuses a kernel whose tool lies in a temporary folder, and with --allow-temporary
#      writes a kernelspec that starts T/tsgb (not this repository's build);
#   4. the conformance suite and notebooks/00-smoke run against that kernel (build/kernel-tests.sh --tsgb T/tsgb);
#   5. a new console project with `dotnet add package Tsgb.Core` runs the README's fluent call, and its map is the
#      map `tsgb explain` computes for the same scene, target and method;
#   6. in a kernel cell, `#r "nuget: Tsgb.Core, VERSION"` restores it through a NuGet.Config in the notebook's
#      folder (tests/kernel/test_package_restore.py).
# The packages get a unique prerelease version (VERSION-test.TIMESTAMP), and NUGET_PACKAGES is a temporary folder
# with the user's cache as a fallback folder: no NuGet cache can serve an older build of the same version,
# TorchSharp and libtorch are not downloaded again, and nothing is left behind. Ends with
# "package-tests: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PYTHON=${TSGB_PYTHON:-/usr/bin/python3}
fallback=${NUGET_PACKAGES:-$HOME/.nuget/packages}
work=$(mktemp -d -t tsgb-package-tests-XXXXXX)
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES="$work/nuget" TSGB_NUGET_FALLBACK="$fallback" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
passed=0
failed=0
record() { # name, exit code
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "PASS $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
finish() { echo "package-tests: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

# 1. pack
packages="$work/packages"
start=$(date +%s)
bash build/pack.sh --output "$packages" --version-suffix "test.$(date -u +%Y%m%d%H%M%S)"
code=$?
echo "pack took $(( $(date +%s) - start )) s"
core=$(ls "$packages"/Tsgb.Core.*.nupkg 2>/dev/null | grep -v snupkg | head -1)
version=$(basename "${core:-none}" .nupkg); version=${version#Tsgb.Core.}
[ "$code" -eq 0 ] && [ -n "$core" ] && "$PYTHON" - "$packages" "$version" <<'PY'
import struct, sys, uuid, zipfile
folder, version = sys.argv[1], sys.argv[2]

def ready_to_run(image):
    """Whether a PE image holds precompiled code: its CLI header's ManagedNativeHeader (ReadyToRun) is set."""
    pe = struct.unpack_from("<I", image, 0x3C)[0]
    sections, optional = struct.unpack_from("<H", image, pe + 6)[0], struct.unpack_from("<H", image, pe + 20)[0]
    magic = struct.unpack_from("<H", image, pe + 24)[0]
    directories = pe + 24 + (112 if magic == 0x20B else 96)
    cli_rva = struct.unpack_from("<I", image, directories + 14 * 8)[0]
    for k in range(sections):
        s = pe + 24 + optional + 40 * k
        size, rva, _, raw = struct.unpack_from("<IIII", image, s + 8)
        if rva <= cli_rva < rva + size:
            native_rva, native_size = struct.unpack_from("<II", image, cli_rva - rva + raw + 64)
            return native_size > 0
    raise AssertionError("no section holds the CLI header")

# Tsgb.Core, and the tool's package for linux-x64 (the code), carry everything; `tsgb` itself only points to it
for id, symbols in (("Tsgb.Core", True), ("tsgb", False), ("tsgb.linux-x64", True)):
    with zipfile.ZipFile(f"{folder}/{id}.{version}.nupkg") as z:
        names = set(z.namelist())
        nuspec = z.read(f"{id}.nuspec").decode()
        for tag in (f"<version>{version}</version>", "<readme>README.md</readme>", "<icon>icon.png</icon>",
                    '<license type="expression">MIT</license>'):
            assert tag in nuspec, f"{id}: nuspec lacks {tag}"
        assert {"README.md", "icon.png", "LICENSE"} <= names, f"{id}: lacks README.md, icon.png or LICENSE"
        assert z.read("icon.png").startswith(b"\x89PNG"), f"{id}: icon.png is no PNG"
    if not symbols:
        continue
    with zipfile.ZipFile(f"{folder}/{id}.{version}.snupkg") as z:
        pdbs = [n for n in z.namelist() if n.endswith(".pdb")]
        assert pdbs, f"{id}: the symbol package has no PDB"
        # the sources travel inside the PDBs (EmbedAllSources): the Embedded Source debug information's GUID
        embedded = uuid.UUID("0E8A571B-6926-466E-B4AD-8AB04611F5FE").bytes_le
        for pdb in pdbs:
            assert embedded in z.read(pdb), f"{id}: {pdb} has no embedded sources"
with zipfile.ZipFile(f"{folder}/tsgb.{version}.nupkg") as z:
    assert '<packageType name="DotnetTool" />' in z.read("tsgb.nuspec").decode(), "tsgb is not a .NET tool package"
    settings = z.read("tools/any/any/DotnetToolSettings.xml").decode()
    assert 'RuntimeIdentifier="linux-x64"' in settings and "tsgb.linux-x64" in settings, settings
with zipfile.ZipFile(f"{folder}/tsgb.linux-x64.{version}.nupkg") as z:
    tool = "tools/net10.0/linux-x64/"
    assert tool + "libtorch_cpu.so" in z.namelist(), "the tool lacks libtorch"
    # start-up: the kernel's own code and Roslyn's come precompiled, not to be JIT-compiled by the first cell
    for dll in ("tsgb.dll", "Tsgb.Core.dll", "Tsgb.Jupyter.dll", "Tsgb.Scripting.dll", "Microsoft.CodeAnalysis.CSharp.dll"):
        assert ready_to_run(z.read(tool + dll)), f"tsgb.linux-x64: {dll} is not ReadyToRun"
print(f"packages {version}: README, licence, icon, symbols with embedded sources present; tsgb points to tsgb.linux-x64, which is ReadyToRun")
PY
record "pack: Tsgb.Core, tsgb and tsgb.linux-x64 (ReadyToRun) with README, licence, icon, symbols" $?
[ -z "$core" ] && finish

# 2. the tool, installed as a user installs it
tools="$work/tools"
dotnet tool install --tool-path "$tools" tsgb --version "$version" --add-source "$packages" \
  && "$tools/tsgb" explain --model scene-vgg --scene 3 --target circle --method tsgb --out "$work/cli-map.npy" \
  && [ -f "$work/cli-map.npy" ]
record "dotnet tool install tsgb from the local source; tsgb explain runs from it" $?
[ -x "$tools/tsgb" ] || finish

# 3. the kernelspec: refused in a temporary folder, then written with the override and pointing at the tool
out=$("$tools/tsgb" kernel install --prefix "$work/refused" 2>&1); code=$?
echo "$out"
[ "$code" -eq 2 ] && grep -q -- "$tools/tsgb" <<<"$out" && grep -q -- "--allow-temporary" <<<"$out" \
  && [ ! -e "$work/refused/share/jupyter/kernels/tsgb-csharp" ]
record "tsgb kernel install refuses a tool in a temporary folder, naming it and --allow-temporary" $?
"$tools/tsgb" kernel install --prefix "$work/prefix" --allow-temporary \
  && "$PYTHON" - "$work/prefix/share/jupyter/kernels/tsgb-csharp/kernel.json" "$tools/tsgb" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
assert spec["argv"] == [sys.argv[2], "kernel", "start", "{connection_file}"], spec["argv"]
print("kernelspec argv:", " ".join(spec["argv"]))
PY
record "tsgb kernel install --allow-temporary: the kernelspec starts the installed tool" $?

# 4. conformance and the smoke notebook through the installed tool's kernel
bash build/kernel-tests.sh --tsgb "$tools/tsgb" --notebook notebooks/00-smoke.ipynb > "$work/kernel-tests.log" 2>&1
code=$?
grep -E "^(Ran|OK|FAILED|FAIL:|ERROR:)|00-smoke" "$work/kernel-tests.log" | tail -15
p=$(sed -n 's/^kernel-tests: \([0-9]*\) passed.*/\1/p' "$work/kernel-tests.log" | tail -1)
f=$(sed -n 's/^kernel-tests: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$work/kernel-tests.log" | tail -1)
echo "kernel tests through the tool: ${p:-0} passed, ${f:-0} failed"
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
[ "$code" -ne 0 ] && [ "${f:-0}" -eq 0 ] && failed=$((failed + 1))

# 5. a console project that adds the package
app="$work/app"
cat > "$work/NuGet.Config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources><add key="tsgb-local" value="$packages" /></packageSources>
  <fallbackPackageFolders><add key="user-cache" value="$fallback" /></fallbackPackageFolders>
</configuration>
XML
(
  set -e
  dotnet new console -o "$app" --framework net10.0 >/dev/null
  cd "$app"
  dotnet add package Tsgb.Core --version "$version" >/dev/null
  cat > Program.cs <<'CS'
using TsgbKit.Demo;
using TsgbKit.Explain;
using TsgbKit.Synthetic;
using TsgbKit.Tensors;

var model = DemoModels.SceneVgg();
var scene = Scenes.Generate(seed: 3);
var e = model.Explain(scene.ToTensor()).For("circle").With(Tsgb.Conv.And(Tsgb.Fc));
Console.WriteLine(e);
Npy.Write(args[0], e.ToTensor());
CS
  dotnet run -c Release -- "$work/app-map.npy" | tee "$work/app.out"
  grep -q "for 'circle'" "$work/app.out"
  [ -d "$NUGET_PACKAGES/tsgb.core/${version,,}" ] # restored from the local source, the only one with this version
  "$PYTHON" - "$work/app-map.npy" "$work/cli-map.npy" <<'PY'
import sys
import numpy as np
ours, reference = np.load(sys.argv[1]), np.load(sys.argv[2])
assert ours.shape == reference.shape, (ours.shape, reference.shape)
assert np.abs(reference).max() > 0
np.testing.assert_allclose(ours, reference, rtol=1e-5, atol=1e-6 * np.abs(reference).max())
print(f"the console app's map equals tsgb explain's ({ours.shape[0]}x{ours.shape[1]})")
PY
)
record "dotnet add package Tsgb.Core: a console app runs the fluent call (map = tsgb explain's)" $?

# 6. #r "nuget: Tsgb.Core, VERSION" in a kernel cell
LOG="$work/restore.log"
JUPYTER_PATH="$work/prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}" TSGB_PACKAGE_VERSION="$version" \
  TSGB_PACKAGE_SOURCE="$packages" TSGB_REFERENCE_MAP="$work/cli-map.npy" \
  timeout 20m "$PYTHON" -m unittest -v tests/kernel/test_package_restore.py 2>&1 | grep -v '^\[tsgb-jupyter ' | tee "$LOG"
ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} in .*/\1/p' "$LOG" | tail -1)
count() { grep -E '^(OK|FAILED) \(' "$LOG" | tail -1 | grep -o "$1=[0-9]*" | cut -d= -f2; }
f=$(count failures); e=$(count errors); s=$(count skipped)
if [ -z "$ran" ]; then
  echo "the restore tests did not finish"; failed=$((failed + 1))
else
  bad=$(( ${f:-0} + ${e:-0} )); passed=$((passed + ran - bad - ${s:-0})); failed=$((failed + bad))
fi
finish
