#!/usr/bin/python3
"""Big-architecture parity data for `tsgb explain` (generated at CI time, not committed).

    /usr/bin/python3 tests/python/make_torchvision_parity.py --arch vgg16|resnet50 --out DIR
        [--seed N] [--target 207] [--dtype float64|float32] [--f32-check]

Writes
    DIR/<arch>.safetensors          random weights (kaiming; BN random running stats), F16,
                                    torchvision state_dict names, num_batches_tracked omitted
    DIR/input.npy                   1x3x224x224 float32 (randn)
    DIR/expected_<method>.npy       224x224 float32 map for the single target (default 207),
                                    method in tsgb, tsgb-conv, tsgb-fc, input-x-gradient
    DIR/meta.json                   what was generated, and how

The reference uses the float16-rounded weights converted back (exactly) to float32/float64,
so C# and Python see identical weights. Maps are computed in float64 by default;
--f32-check also runs the float32 computation and prints its distance to the reference
(the parity tolerance is max|diff| <= 1e-4 * max|expected|).
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


def build(arch, seed):
    gen = torch.Generator().manual_seed(seed)
    model = ARCHS[arch]()
    R.init_random(model, gen, bias_scale=0.1)
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    if any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules()):
        R.calibrate_bn(model, torch.randn(2, 3, SIZE, SIZE, generator=gen), gen)
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
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64",
                    help="precision of the reference computation (default float64)")
    ap.add_argument("--f32-check", action="store_true",
                    help="also compute in float32 and report max|diff|/max|expected| per method")
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

    dt = torch.float64 if args.dtype == "float64" else torch.float32
    ref_model = model if dt == torch.float32 else ARCHS[args.arch]().eval()
    if dt == torch.float64:
        ref_model.load_state_dict(model.state_dict())
        ref_model = ref_model.double()
        for p in ref_model.parameters():
            p.requires_grad_(False)
    xr = x.to(dt)

    timings = {}
    stats = {}
    for cli, m in METHODS.items():
        t1 = time.time()
        cam = R.compute_method(ref_model, xr, [args.target], m)[0]
        timings[cli] = time.time() - t1
        assert cam.shape == (SIZE, SIZE) and torch.isfinite(cam).all(), cli
        assert cam.abs().max() > 0, f"{cli}: all-zero map"
        exp = cam.float()
        np.save(os.path.join(args.out, f"expected_{cli}.npy"), exp.numpy().astype(np.float32))
        stats[cli] = {"max_abs": float(exp.abs().max()), "sum": float(cam.sum())}
        if args.f32_check and dt == torch.float64:
            t2 = time.time()
            m32 = R.compute_method(model, x, [args.target], m)[0]
            stats[cli]["f32_time_s"] = round(time.time() - t2, 2)
            stats[cli]["f32_rel_diff"] = float((m32 - exp).abs().max() / exp.abs().max())
        print(f"  {cli:17s} max|map| {stats[cli]['max_abs']:.3e}  ({timings[cli]:.1f} s)"
              + (f"  float32 vs reference: {stats[cli]['f32_rel_diff']:.2e}" if "f32_rel_diff" in stats[cli] else ""),
              flush=True)

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
        "reference_dtype": args.dtype,
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
