#!/usr/bin/env bash
# Parity of `tsgb explain` against the PyTorch reference on VGG16 and ResNet50 (random weights).
#
#   tests/python/explain_parity.sh [--build] [--regen] [DIR]
#
# DIR (default $TSGB_PARITY_DIR or /tmp/tsgb-parity) gets one folder per architecture with
# <arch>.safetensors (F16), input.npy, expected_<method>.npy (generated here unless present)
# and actual_<method>.npy (written by the C# command). The C# project must already be built
# in Release (or pass --build). Environment: PYTHON (default /usr/bin/python3, needs torch),
# ARCHS (default "vgg16 resnet50"), METHODS (default "tsgb tsgb-conv tsgb-fc input-x-gradient"),
# TARGET (default 207). Exit status: 0 if every comparison passes, 1 otherwise.
set -uo pipefail

build=0
regen=0
dir="${TSGB_PARITY_DIR:-/tmp/tsgb-parity}"
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    --regen) regen=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) dir="$arg" ;;
  esac
done

PYTHON="${PYTHON:-/usr/bin/python3}"
ARCHS="${ARCHS:-vgg16 resnet50}"
METHODS="${METHODS:-tsgb tsgb-conv tsgb-fc input-x-gradient}"
TARGET="${TARGET:-207}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo" || exit 2

if [ "$build" = 1 ]; then
  dotnet build src/Tsgb.Interactive -c Release || exit 2
fi

fail=0
results=()
for arch in $ARCHS; do
  out="$dir/$arch"
  need=$regen
  for f in "$out/$arch.safetensors" "$out/input.npy"; do [ -f "$f" ] || need=1; done
  for m in $METHODS; do [ -f "$out/expected_$m.npy" ] || need=1; done
  if [ "$need" = 1 ]; then
    echo "== generating $arch reference in $out"
    start=$SECONDS
    "$PYTHON" tests/python/make_torchvision_parity.py --arch "$arch" --out "$out" --target "$TARGET" \
      || { echo "FAIL $arch: reference generation failed"; exit 2; }
    echo "   ($arch reference generated in $((SECONDS - start)) s)"
  fi
  for m in $METHODS; do
    echo "== $arch $m"
    rm -f "$out/actual_$m.npy"
    if ! dotnet run --project src/Tsgb.Interactive -c Release --no-build -- explain \
        --model "$arch" --weights "$out/$arch.safetensors" --input-tensor "$out/input.npy" \
        --target "$TARGET" --method "$m" --out "$out/actual_$m.npy"; then
      echo "FAIL $arch $m: tsgb explain exited non-zero"
      results+=("FAIL $arch $m (explain failed)"); fail=1; continue
    fi
    if "$PYTHON" tests/python/check_parity.py --expected "$out/expected_$m.npy" --actual "$out/actual_$m.npy"; then
      results+=("ok   $arch $m")
    else
      results+=("FAIL $arch $m"); fail=1
    fi
    if [ -f "$out/expected64_$m.npy" ]; then  # written by --f64-check; information only
      echo -n "   (vs float64 reference, info) "
      "$PYTHON" tests/python/check_parity.py --expected "$out/expected64_$m.npy" --actual "$out/actual_$m.npy" || true
    fi
  done
done

echo "== summary"
printf '%s\n' "${results[@]}"
exit $fail
