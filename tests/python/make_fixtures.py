#!/usr/bin/python3
"""Generate the small committed parity fixtures (tests/fixtures/parity/) for Tsgb.

Usage (from anywhere; needs Debian's /usr/bin/python3 with torch 1.13 + numpy):
    /usr/bin/python3 tests/python/make_fixtures.py            # self-checks, then write fixtures
    /usr/bin/python3 tests/python/make_fixtures.py --check    # self-checks only, writes nothing
    /usr/bin/python3 tests/python/make_fixtures.py --out DIR  # write somewhere else

The reference maps are computed in float64 from the stored float32 weights and input,
then stored as float32. Tolerance rule: max|actual - expected| <= 1e-4 * max|expected|.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsgb_ref as R  # noqa: E402

torch.set_num_threads(2)

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "tests", "fixtures", "parity")
SEED = 20240611
TARGETS = [1, 3]
REL_TOL = 1e-4

NETS = {
    "tiny_vgg": {"build": R.TinyVGG, "layer": "features.10",
                 "combined_layers": ["features.6", "features.10"], "last_linear": "classifier.6"},
    "tiny_resnet": {"build": R.tiny_resnet, "layer": "layer2",
                    "combined_layers": ["layer1", "layer2"], "last_linear": "fc"},
}

METHOD_DOC = {
    "gradient": "max_c |ds/dx|",
    "guided_backprop": "max_c |ds/dx|, guided ReLU g_x = max(g,0)*[x>0]",
    "deconvnet": "max_c |ds/dx|, deconvnet ReLU g_x = max(g,0)",
    "input_x_gradient": "sum_c x * ds/dx",
    "tsgb": "sum_c x * g~ ; TSGB-Conv (+BN, AvgPool) rules and TSGB-FC (m=1) on the last Linear",
    "tsgb_conv": "sum_c x * g~ ; TSGB-Conv (+BN, AvgPool) rules only",
    "tsgb_fc": "sum_c x * g~ ; TSGB-FC (m=1) on the last Linear only",
    "tsgb_fc_beta08": "sum_c x * g~ ; TSGB-Conv (+BN, AvgPool) and TSGB-FC with m=0.8",
    "gradcam": "ReLU(sum_k mean_ij(G_k) A_k) at layer, bilinear upsample (align_corners=False)",
    "gradcampp": "Grad-CAM++ closed form (raw logit) at layer, bilinear upsample",
    "normgrad": "||G_u||_2 * ||A_u||_2 at layer, bilinear upsample",
    "normgrad_selective": "||max(0, A_u*G_u)||_2 at layer, bilinear upsample",
    "normgrad_combined": "product of min-max-normalised upsampled normgrad maps at the two combined layers",
    "guided_gradcam": "upsampled gradcam * max_c |guided-backprop input gradient|",
    "integrated_gradients": "zero baseline, 16 midpoint steps alpha=(i+0.5)/16, sum_c (x-x0)*mean_i grad",
}


# --------------------------------------------------------------------------
# nets
# --------------------------------------------------------------------------

def build_net(name):
    """Deterministic random net (float32, eval) and its input 1x3x32x32."""
    gen = torch.Generator().manual_seed(SEED + sum(map(ord, name)))
    model = NETS[name]["build"]()
    R.init_random(model, gen, bias_scale=0.2)
    model.eval()
    x_cal = torch.randn(4, 3, 32, 32, generator=gen)
    R.calibrate_bn(model, x_cal, gen)
    for p in model.parameters():
        p.requires_grad_(False)
    x = torch.randn(1, 3, 32, 32, generator=gen)
    return model, x


def net_sanity(name, model, x):
    """Every ReLU call has active and inactive units; activations stay O(1); target logits differ."""
    for mod_name, frac in R.relu_activity(model, x):
        assert 0.02 < frac < 0.98, f"{name}: ReLU {mod_name} active fraction {frac:.3f}"
    with torch.no_grad():
        logits = model(x)[0]
    assert torch.isfinite(logits).all()
    assert 0.05 < logits.abs().max() < 50, f"{name}: logits scale {logits}"
    assert abs(float(logits[TARGETS[0]] - logits[TARGETS[1]])) > 0.05, f"{name}: target logits too close"
    return logits


def all_maps(model, x, name, targets=TARGETS):
    cfg = NETS[name]
    return {m: R.compute_method(model, x, targets, m, cfg["layer"], cfg["combined_layers"])
            for m in R.ALL_METHODS}


# --------------------------------------------------------------------------
# self-checks
# --------------------------------------------------------------------------

def _close(a, b, rel=1e-10, what=""):
    a = a.double()
    b = b.double()
    scale = max(float(b.abs().max()), 1e-300)
    err = float((a - b).abs().max())
    assert err <= rel * scale, f"{what}: max|diff| {err:.3e} > {rel:.0e} * {scale:.3e}"
    return err / scale


def hand_tsgb_conv(x, y, g, k, s, p, d):
    """TSGB-Conv input gradient with explicit loops over positions, taps and channels."""
    cin, H, W = x.shape
    cout, Ho, Wo = y.shape
    gx = np.zeros_like(x)
    for i in range(Ho):
        for j in range(Wo):
            c = sum(g[o, i, j] * y[o, i, j] for o in range(cout))
            taps = []
            for a in range(k[0]):
                for b in range(k[1]):
                    u = i * s[0] - p[0] + a * d[0]
                    v = j * s[1] - p[1] + b * d[1]
                    if 0 <= u < H and 0 <= v < W:
                        taps.append((u, v))
            n = sum(abs(x[ch, u, v]) for (u, v) in taps for ch in range(cin))
            r = c / (n + R.EPS)
            for (u, v) in taps:
                for ch in range(cin):
                    gx[ch, u, v] += np.sign(x[ch, u, v]) * r
    return gx


def check_conv_hand():
    gen = torch.Generator().manual_seed(7)
    configs = [  # kernel, stride, padding, dilation
        ((3, 3), (1, 1), (1, 1), (1, 1)),
        ((3, 3), (2, 2), (1, 1), (1, 1)),   # needs output_padding 1
        ((2, 2), (2, 2), (0, 0), (1, 1)),
        ((3, 3), (1, 1), (2, 2), (2, 2)),
        ((1, 3), (2, 1), (0, 1), (1, 1)),
    ]
    for k, s, p, d in configs:
        conv = nn.Conv2d(2, 3, k, stride=s, padding=p, dilation=d).double()
        with torch.no_grad():
            conv.weight.copy_(torch.randn(conv.weight.shape, generator=gen, dtype=torch.float64))
            conv.bias.copy_(torch.randn(conv.bias.shape, generator=gen, dtype=torch.float64))
        net = nn.Sequential(conv)
        x = torch.randn(1, 2, 4, 4, generator=gen, dtype=torch.float64)
        x[0, 0, 1, 2] = 0.0  # sign(0) = 0 must be honoured
        xr = x.clone().requires_grad_(True)
        with R.rules(net, conv=True):
            y = net(xr)
        g = torch.randn(y.shape, generator=gen, dtype=torch.float64)
        (gx,) = torch.autograd.grad(y, xr, g)
        ref = hand_tsgb_conv(x[0].numpy(), y[0].detach().numpy(), g[0].numpy(), k, s, p, d)
        assert gx.shape == x.shape
        _close(gx[0], torch.from_numpy(ref), 1e-12, f"TSGB-Conv hand check k={k} s={s} p={p} d={d}")
        # weights do not enter: a different weight with the same output gives the same gradient
        # (checked implicitly: the hand computation never reads conv.weight)
        # conservation: sum_c x * g~ summed over the input equals sum over outputs of c * n/(n+eps)
        cons = float((x * gx).sum())
        csum = float((g * y.detach()).sum())
        assert abs(cons - csum) <= 1e-9 * max(1.0, abs(csum)), f"conservation {cons} vs {csum}"
    print(f"  (c) TSGB-Conv vs hand loops on 1x2x4x4, {len(configs)} conv configs: ok")


def check_fc_beta():
    W = torch.tensor([[1.0, 2.0, 0.5],      # unit 0: no negative weights -> z- = 0 -> beta 0
                      [1.0, -2.0, 0.5],
                      [-1.0, -1.0, 3.0]], dtype=torch.float64)
    x = torch.tensor([[0.5, 1.0, 2.0],
                      [0.0, 0.0, 0.0],       # all-zero input -> z- = 0 for every unit
                      [1.0, 0.0, 1.0]], dtype=torch.float64)  # unit 1: x*W- = 0 -> beta 0
    beta = R.tsgb_fc_beta(x, W)
    assert torch.isfinite(beta).all()
    assert beta[0, 0] == 0 and (beta[1] == 0).all() and beta[2, 1] == 0, beta
    assert abs(float(beta[0, 1]) - (0.5 + 1.0) / 2.0) < 1e-15
    assert abs(float(beta[2, 2]) - 3.0 / 1.0) < 1e-15
    b08 = R.tsgb_fc_beta(x, W, 0.8)
    assert torch.allclose(b08, 0.8 * beta)
    # through the module and the hook
    lin = nn.Linear(3, 3).double()
    with torch.no_grad():
        lin.weight.copy_(W)
        lin.bias.copy_(torch.tensor([0.3, -0.2, 0.1], dtype=torch.float64))
    net = nn.Sequential(lin)
    xr = x.clone().requires_grad_(True)
    g = torch.tensor([[1.0, -2.0, 0.5], [1.0, 1.0, 1.0], [0.7, 0.3, -1.1]], dtype=torch.float64)
    with R.rules(net, fc=True):
        y = net(xr)
    (gx,) = torch.autograd.grad(y, xr, g)
    manual = torch.zeros(3, 3, dtype=torch.float64)
    for nidx in range(3):
        for o in range(3):
            zn = sum(x[nidx, i] * min(W[o, i], 0.0) for i in range(3))
            zp = sum(x[nidx, i] * max(W[o, i], 0.0) for i in range(3))
            b = 0.0 if zn == 0 else zp / abs(zn)
            for i in range(3):
                manual[nidx, i] += g[nidx, o] * max(W[o, i], 0.0) + g[nidx, o] * b * min(W[o, i], 0.0)
    _close(gx, manual, 1e-14, "TSGB-FC hook vs manual")
    print("  (d) TSGB-FC beta = 0 where z- = 0 (no finite-check failures), hook vs manual: ok")


def check_plain_gradient(name, model, x):
    t = TARGETS[0]
    xr = x.clone().requires_grad_(True)
    (ref,) = torch.autograd.grad(model(xr)[0, t], xr)
    _, g = R.input_gradient(model, x, [t])
    _close(g, ref, 1e-12, f"{name}: plain input gradient")
    # also: installing rules leaves the forward pass unchanged
    with torch.no_grad():
        base = model(x)
        for kw in (R.RULES["tsgb"], R.RULES["guided_backprop"], R.RULES["deconvnet"]):
            with R.rules(model, **kw):
                _close(model(x), base, 0.0, f"{name}: forward with rules {kw}")
    print(f"  (a) {name}: no-rule input gradient == autograd.grad(logit[{t}]); rules keep the forward: ok")


def check_batched(name, model, x, maps=None):
    maps = maps if maps is not None else all_maps(model, x, name)
    worst = 0.0
    for m, batched in maps.items():
        assert batched.shape == (len(TARGETS), 32, 32), (m, batched.shape)
        assert torch.isfinite(batched).all(), f"{name}/{m}: non-finite"
        assert float(batched.abs().max()) > 0, f"{name}/{m}: all zero"
        for i, t in enumerate(TARGETS):
            single = R.compute_method(model, x, [t], m, NETS[name]["layer"], NETS[name]["combined_layers"])
            worst = max(worst, _close(batched[i:i + 1], single, 1e-10, f"{name}/{m} target {t}"))
        assert not torch.equal(batched[0], batched[1]), f"{name}/{m}: identical maps for both targets"
    sig = R.SIGNED_SUM_METHODS
    for i, a in enumerate(sig):
        for b in sig[i + 1:]:
            assert not torch.allclose(maps[a], maps[b], rtol=1e-3, atol=0), f"{name}: {a} == {b}"
    print(f"  (b) {name}: batched [1,3] == two single-target runs for {len(maps)} methods "
          f"(worst rel diff {worst:.1e}): ok")
    return maps


def check_safetensors(tmpdir):
    path = os.path.join(tmpdir, "_roundtrip.safetensors")
    a = {"w": np.arange(6, dtype=np.float32).reshape(2, 3) / 7, "b": np.array([1.5, -2.25], np.float32)}
    for dt in ("F32", "F16"):
        R.save_safetensors(path, a, dt)
        back = R.load_safetensors(path)
        for k in a:
            want = a[k].astype(np.float16).astype(np.float32) if dt == "F16" else a[k]
            assert back[k].shape == a[k].shape and np.array_equal(back[k].astype(np.float32), want)
    os.remove(path)
    print("  safetensors F32/F16 write+read round trip: ok")


def run_checks(nets, tmpdir):
    print("self-checks:")
    check_conv_hand()
    check_fc_beta()
    check_safetensors(tmpdir)
    results = {}
    for name, (model64, x64) in nets.items():
        net_sanity(name, model64, x64)
        check_plain_gradient(name, model64, x64)
        results[name] = check_batched(name, model64, x64)
    return results


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def save_npy(path, arr):
    np.save(path, np.ascontiguousarray(np.asarray(arr, dtype=np.float32)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only run the self-checks; write nothing")
    ap.add_argument("--out", default=DEFAULT_OUT, help=f"output directory (default {DEFAULT_OUT})")
    args = ap.parse_args()
    t0 = time.time()

    nets32 = {name: build_net(name) for name in NETS}
    nets64 = {}
    for name, (model, x) in nets32.items():
        net_sanity(name, model, x)
        m64 = NETS[name]["build"]()
        m64.load_state_dict(model.state_dict())
        m64 = m64.double().eval()
        for p in m64.parameters():
            p.requires_grad_(False)
        nets64[name] = (m64, x.double())

    tmpdir = args.out if not args.check else "/tmp"
    os.makedirs(tmpdir, exist_ok=True)
    maps64 = run_checks(nets64, tmpdir)
    if args.check:
        print(f"all checks passed ({time.time() - t0:.1f} s)")
        return

    manifest = {
        "format": "tsgb-parity-fixtures/1",
        "generator": "tests/python/make_fixtures.py",
        "torch": torch.__version__,
        "seed": SEED,
        "input_shape": [1, 3, 32, 32],
        "targets": TARGETS,
        "batched": "input repeated once per target; row i = logit of targets[i]; one backward of the sum",
        "score": "raw logit (no softmax)",
        "map_shape": [len(TARGETS), 32, 32],
        "dtype": "float32 files; maps computed in float64 from the float32 weights/input",
        "eps": R.EPS,
        "integrated_gradients": {"baseline": "zeros", "steps": R.IG_STEPS, "alphas": "(i + 0.5) / steps"},
        "upsample": "F.interpolate(mode='bilinear', align_corners=False) to 32x32",
        "tolerance": {"rule": "max|actual - expected| <= rel * max|expected| (per file)", "rel": REL_TOL},
        "methods": list(R.ALL_METHODS),
        "method_notes": METHOD_DOC,
        "nets": {},
    }
    f32_report = {}
    for name, (model, x) in nets32.items():
        cfg = NETS[name]
        m64, x64 = nets64[name]
        weights = R.state_tensors(model)
        R.save_safetensors(os.path.join(args.out, f"{name}.safetensors"), weights, "F32")
        save_npy(os.path.join(args.out, f"{name}_input.npy"), x.numpy())
        with torch.no_grad():
            logits = m64(x64)
        save_npy(os.path.join(args.out, f"{name}_logits.npy"), logits.numpy())
        files = {}
        maps32 = all_maps(model, x, name)
        f32_report[name] = {}
        for m in R.ALL_METHODS:
            fn = f"{name}_{m}.npy"
            save_npy(os.path.join(args.out, fn), maps64[name][m].numpy())
            files[m] = fn
            exp = maps64[name][m].float()
            f32_report[name][m] = float((maps32[m] - exp).abs().max() / exp.abs().max())
        manifest["nets"][name] = {
            "weights": f"{name}.safetensors",
            "weights_dtype": "F32",
            "tensors": {k: list(v.shape) for k, v in weights.items()},
            "input": f"{name}_input.npy",
            "logits": f"{name}_logits.npy",
            "layer": cfg["layer"],
            "normgrad_combined_layers": cfg["combined_layers"],
            "last_linear": cfg["last_linear"],
            "maps": files,
        }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")

    print("float32 torch vs float64 reference, max|diff| / max|expected| (tolerance 1e-4):")
    for name, rep in f32_report.items():
        worst = max(rep, key=rep.get)
        print(f"  {name}: worst {worst} {rep[worst]:.2e}")
        assert rep[worst] < REL_TOL, f"{name}/{worst}: float32 torch misses the tolerance"
    total = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out))
    print(f"wrote {len(os.listdir(args.out))} files, {total / 1024:.0f} KiB, to {args.out} "
          f"({time.time() - t0:.1f} s)")


if __name__ == "__main__":
    main()
