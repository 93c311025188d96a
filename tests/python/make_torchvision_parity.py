#!/usr/bin/python3
"""Big-architecture parity data for `tsgb explain` (generated at CI time, not committed).

    /usr/bin/python3 tests/python/make_torchvision_parity.py --arch vgg16|resnet50 --out DIR
        [--seed N] [--target 207] [--f64-check]

Writes
    DIR/<arch>.safetensors          random weights (kaiming; BN random running stats), F16,
                                    torchvision state_dict names, num_batches_tracked omitted
    DIR/input.npy                   1x3x224x224 float32 (randn)
    DIR/expected_<method>.npy       224x224 float32 map for the single target (default 207),
                                    method in tsgb, tsgb-conv, tsgb-fc, input-x-gradient
    DIR/meta.json                   what was generated, and how

The reference uses the float16-rounded weights converted back (exactly) to float32, so C# and
Python see identical weights, and computes in float32 like the C# side. --f64-check also runs the
computation in float64, writes DIR/expected64_<method>.npy and prints max|f32 - f64| / max|f64|
per method: how far float32 rounding alone moves each map (the parity tolerance is
max|diff| <= 1e-4 * max|expected|; with the conditioning below it is ~1e-5 or less).
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsgb_ref as R  # noqa: E402

torch.set_num_threads(2)

ARCHS = {"vgg16": R.VGG, "resnet50": R.resnet50}
# CLI method name -> reference method
METHODS = {"tsgb": "tsgb", "tsgb-conv": "tsgb_conv", "tsgb-fc": "tsgb_fc", "input-x-gradient": "input_x_gradient"}
SIZE = 224


# Conditioning of the random nets. Max-abs parity of a map between two float32 implementations
# breaks whenever a ReLU input or a max-pool near-tie sits inside their rounding difference: the
# gradient is discontinuous there, and one flipped unit moves a gradient-type map by ~1e-2 of its
# max. On plain kaiming-random nets even PyTorch float32 vs float64 differs by 2-4e-2
# (input-x-gradient), and random ResNet50 amplifies rounding differences ~100x through its blocks.
# Shifting every pre-activation to mean SHIFT std (~7% of ReLU inputs stay negative) makes
# near-zero ReLU inputs ~3x rarer; scaling the last BN of every ResNet50 residual branch by
# RESIDUAL_GAIN keeps the random net out of the chaotic regime. Measured (seed 1234): float32 vs
# float64 <= 2.3e-5 for all four methods on both nets; PyTorch with vs without oneDNN <= 1e-5
# except VGG16 tsgb-fc / input-x-gradient (~1e-2: a few flipped ReLUs; larger shifts trade these
# for max-pool near-ties). TSGB-Conv is continuous at ReLU flips (it weighs by y ~ 0). libtorch 2.10 with
# oneDNN off (what Tsgb's self-check picks on CPUs where oneDNN computes wrong) flips one such unit on VGG16:
# check_parity.py lets a difference confined to one unit's receptive field pass, and says so.
SHIFT = 1.5
RESIDUAL_GAIN = 0.2


def build(arch, seed):
    gen = torch.Generator().manual_seed(seed)
    model = ARCHS[arch]()
    R.init_random(model, gen, bias_scale=0.1)
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    x_cal = torch.randn(2, 3, SIZE, SIZE, generator=gen)
    if any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules()):
        with torch.no_grad():
            for blk in model.modules():
                if isinstance(blk, R.Bottleneck):
                    blk.bn3.weight.mul_(RESIDUAL_GAIN)
                    blk.bn3.bias.mul_(RESIDUAL_GAIN)
            for m in model.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.bias.add_(SHIFT * m.weight)
        R.calibrate_bn(model, x_cal, gen)
    else:
        R.calibrate_conv_linear(model, x_cal, gen, shift=SHIFT)
    with torch.no_grad():  # round every stored tensor to float16 (values now exact in F16)
        for t in R.state_tensors(model).values():
            t.copy_(t.half().float())
    x = torch.randn(1, 3, SIZE, SIZE, generator=gen)
    return model, x


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", required=True, choices=sorted(ARCHS))
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--target", type=int, default=207)
    ap.add_argument("--f64-check", action="store_true",
                    help="also compute in float64 (slow: ~25 s per VGG16 map), write expected64_*.npy "
                         "and report the float32-vs-float64 distance per method")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()

    model, x = build(args.arch, args.seed)
    state = R.state_tensors(model)
    for k, v in state.items():
        assert torch.isfinite(v).all() and v.abs().max() < 65504, k
    wpath = os.path.join(args.out, f"{args.arch}.safetensors")
    R.save_safetensors(wpath, {k: v.half().numpy() for k, v in state.items()}, "F16",
                       metadata={"arch": args.arch, "seed": args.seed})
    np.save(os.path.join(args.out, "input.npy"), x.numpy().astype(np.float32))
    t_init = time.time() - t0

    relu = R.relu_activity(model, x)
    dead = [(n, f) for n, f in relu if not 0.0 < f < 1.0]
    assert not dead, f"ReLUs with no active or no inactive units: {dead[:5]}"
    with torch.no_grad():
        logits32 = model(x)[0]
    assert torch.isfinite(logits32).all()

    m64 = None
    if args.f64_check:
        m64 = ARCHS[args.arch]().eval()
        m64.load_state_dict(model.state_dict())
        m64 = m64.double()
        for p in m64.parameters():
            p.requires_grad_(False)

    timings = {}
    stats = {}
    for cli, m in METHODS.items():
        t1 = time.time()
        cam = R.compute_method(model, x, [args.target], m)[0]
        timings[cli] = time.time() - t1
        assert cam.shape == (SIZE, SIZE) and torch.isfinite(cam).all(), cli
        assert cam.abs().max() > 0, f"{cli}: all-zero map"
        np.save(os.path.join(args.out, f"expected_{cli}.npy"), cam.numpy().astype(np.float32))
        stats[cli] = {"max_abs": float(cam.abs().max()), "sum": float(cam.sum())}
        line = f"  {cli:17s} max|map| {stats[cli]['max_abs']:.3e}  ({timings[cli]:.1f} s)"
        if m64 is not None:
            t2 = time.time()
            ref = R.compute_method(m64, x.double(), [args.target], m)[0]
            np.save(os.path.join(args.out, f"expected64_{cli}.npy"), ref.numpy().astype(np.float32))
            rel = float((cam.double() - ref).abs().max() / ref.abs().max())
            stats[cli]["f64_time_s"] = round(time.time() - t2, 2)
            stats[cli]["f32_vs_f64"] = rel
            line += f"  float32 vs float64: {rel:.2e}"
        print(line, flush=True)

    meta = {
        "generator": "tests/python/make_torchvision_parity.py",
        "torch": torch.__version__,
        "arch": args.arch,
        "seed": args.seed,
        "target": args.target,
        "weights": os.path.basename(wpath),
        "weights_dtype": "F16",
        "input": "input.npy",
        "input_shape": [1, 3, SIZE, SIZE],
        "reference_dtype": "float32",
        "conditioning": {"preactivation_shift": SHIFT, "residual_gain": RESIDUAL_GAIN},
        "score": "raw logit (no softmax)",
        "logit_target": float(logits32[args.target]),
        "logits_absmax": float(logits32.abs().max()),
        "relu_active_fraction_range": [min(f for _, f in relu), max(f for _, f in relu)],
        "expected": {cli: f"expected_{cli}.npy" for cli in METHODS},
        "tolerance": {"rule": "max|actual - expected| <= rel * max|expected|", "rel": 1e-4},
        "stats": stats,
        "timings_s": {"init_and_save": round(t_init, 2), **{k: round(v, 2) for k, v in timings.items()}},
    }
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(f"{args.arch}: logit[{args.target}] = {meta['logit_target']:.4f}, max|logit| {meta['logits_absmax']:.3f}, "
          f"ReLU active fraction in [{meta['relu_active_fraction_range'][0]:.2f}, "
          f"{meta['relu_active_fraction_range'][1]:.2f}]; wrote {args.out} in {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
