#!/usr/bin/python3
"""Generate the small committed PyTorch-checkpoint fixtures (tests/fixtures/pytorch/) for Tsgb.

Usage (needs Debian's /usr/bin/python3 with torch 1.13 + numpy):
    /usr/bin/python3 tests/python/make_pth_fixtures.py            # write the fixtures
    /usr/bin/python3 tests/python/make_pth_fixtures.py --out DIR  # write somewhere else

Every file is written by torch.save itself, in the shapes researchers' files come in:

  tiny_resnet.pth                   torch.save(model.state_dict(), f)                    (zip format)
  tiny_resnet_checkpoint.pth.tar    {'epoch', 'arch', 'state_dict', 'optimizer', 'best_acc1'} (zip format)
  tiny_resnet_dataparallel.pt       nn.DataParallel(model).state_dict(): keys start with 'module.'
  tiny_vgg_legacy.pth               {'model': state_dict, 'epoch': 7}, _use_new_zipfile_serialization=False
  tiny_resnet_module.pth            torch.save(model): a whole pickled nn.Module (must be refused)
  malicious_system.pth              a dict of tensors whose pickle also calls os.system("touch MARKER")
  malicious_exec.pth                builtins.exec(...) with pickle protocol 4 (STACK_GLOBAL)
  malicious_legacy.pth              os.system(...) in the legacy (non-zip) format
  <net>_input.npy, <net>_logits.npy the input and the logits PyTorch computes after torch.load of each file

Self-checks: every benign file loads back in PyTorch to the same logits; every malicious file DOES run its
command when PyTorch loads it (torch.load without weights_only), so a test that finds no marker after Tsgb
refused the file proves that Tsgb executed nothing, not that the payload was inert. manifest.json records it all.
"""

import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsgb_ref as R  # noqa: E402

torch.set_num_threads(2)

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "tests", "fixtures", "pytorch")
SEED = 20261203
# Markers the malicious payloads create; absolute so that they do not depend on the loader's working directory.
MARKERS = {
    "malicious_system.pth": "/tmp/tsgb-pth-fixture-executed-system",
    "malicious_exec.pth": "/tmp/tsgb-pth-fixture-executed-exec",
    "malicious_legacy.pth": "/tmp/tsgb-pth-fixture-executed-legacy",
}


class Payload:
    """Pickles as a call of `function(argument)`: what a hostile checkpoint carries."""

    def __init__(self, function, argument):
        self.function = function
        self.argument = argument

    def __reduce__(self):
        return (self.function, (self.argument,))


def build(name):
    gen = torch.Generator().manual_seed(SEED + sum(map(ord, name)))
    model = R.tiny_resnet() if name == "tiny_resnet" else R.TinyVGG()
    R.init_random(model, gen, bias_scale=0.2)
    model.eval()
    R.calibrate_bn(model, torch.randn(4, 3, 32, 32, generator=gen), gen)
    with torch.no_grad():  # non-trivial counters, so that the int64 buffers are checked too
        for i, m in enumerate(m for m in model.modules() if isinstance(m, nn.BatchNorm2d)):
            m.num_batches_tracked.fill_(100 + i)
    x = torch.randn(1, 3, 32, 32, generator=gen)
    return model, x


def logits_from(path, name, pick):
    """Loads `path` as PyTorch does and returns the logits of a fresh net with those weights."""
    model, x = build(name)
    obj = torch.load(path)
    state = pick(obj)
    fresh = R.tiny_resnet() if name == "tiny_resnet" else R.TinyVGG()
    fresh.load_state_dict(state)
    fresh.eval()
    with torch.no_grad():
        return fresh(x)


def strip_module(state):
    return {k[len("module."):]: v for k, v in state.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT, help=f"output directory (default {DEFAULT_OUT})")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    out = lambda f: os.path.join(args.out, f)  # noqa: E731
    manifest = {"generator": "tests/python/make_pth_fixtures.py", "torch": torch.__version__, "seed": SEED,
                "files": {}, "markers": MARKERS}

    # --- tiny_resnet, saved three ways --------------------------------------------------------------------------
    resnet, x = build("tiny_resnet")
    with torch.no_grad():
        expected = resnet(x)
    np.save(out("tiny_resnet_input.npy"), x.numpy())
    np.save(out("tiny_resnet_logits.npy"), expected.numpy())

    torch.save(resnet.state_dict(), out("tiny_resnet.pth"))
    manifest["files"]["tiny_resnet.pth"] = "plain state dict (zip format)"

    optimizer = torch.optim.SGD(resnet.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    state_before_step = {k: v.clone() for k, v in resnet.state_dict().items()}
    resnet.train()
    loss = resnet(torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(1))).square().mean()
    loss.backward()
    optimizer.step()  # fills the momentum buffers: tensors inside the optimizer's nested dicts and lists
    resnet.load_state_dict(state_before_step)  # the step and the train-mode forward must not change the weights saved
    resnet.eval()
    torch.save({"epoch": 3, "arch": "tiny_resnet", "state_dict": resnet.state_dict(),
                "optimizer": optimizer.state_dict(), "best_acc1": 0.625}, out("tiny_resnet_checkpoint.pth.tar"))
    manifest["files"]["tiny_resnet_checkpoint.pth.tar"] = "{'epoch', 'arch', 'state_dict', 'optimizer', 'best_acc1'} (zip format)"

    torch.save(nn.DataParallel(resnet).state_dict(), out("tiny_resnet_dataparallel.pt"))
    manifest["files"]["tiny_resnet_dataparallel.pt"] = "nn.DataParallel(model).state_dict(): every key starts with 'module.'"

    torch.save(resnet, out("tiny_resnet_module.pth"))
    manifest["files"]["tiny_resnet_module.pth"] = "torch.save(model): a whole pickled nn.Module (Tsgb refuses it)"

    # --- tiny_vgg in the legacy (pre-1.6, non-zip) format, nested under 'model' -------------------------------------
    vgg, xv = build("tiny_vgg")
    with torch.no_grad():
        expected_vgg = vgg(xv)
    np.save(out("tiny_vgg_input.npy"), xv.numpy())
    np.save(out("tiny_vgg_logits.npy"), expected_vgg.numpy())
    torch.save({"model": vgg.state_dict(), "epoch": 7}, out("tiny_vgg_legacy.pth"), _use_new_zipfile_serialization=False)
    manifest["files"]["tiny_vgg_legacy.pth"] = "{'model': state_dict, 'epoch': 7}, legacy format (_use_new_zipfile_serialization=False)"

    # --- self-check: PyTorch reads each benign file back to the recorded logits ----------------------------------
    checks = {
        "tiny_resnet.pth": ("tiny_resnet", lambda o: o),
        "tiny_resnet_checkpoint.pth.tar": ("tiny_resnet", lambda o: o["state_dict"]),
        "tiny_resnet_dataparallel.pt": ("tiny_resnet", strip_module),
        "tiny_vgg_legacy.pth": ("tiny_vgg", lambda o: o["model"]),
    }
    for file, (name, pick) in checks.items():
        got = logits_from(out(file), name, pick)
        want = expected if name == "tiny_resnet" else expected_vgg
        assert torch.equal(got, want), f"{file}: PyTorch's own reload gives other logits"
    with open(out("tiny_resnet_dataparallel.pt"), "rb") as f:
        assert f.read(2) == b"PK"
    with open(out("tiny_vgg_legacy.pth"), "rb") as f:
        assert f.read(1) == b"\x80", "the legacy file should start with a pickle"

    # --- malicious files: tensors plus a call that runs a command -------------------------------------------------
    weight = torch.ones(2, 3)
    payloads = {
        "malicious_system.pth": (dict(pickle_protocol=2), Payload(os.system, "touch " + MARKERS["malicious_system.pth"])),
        "malicious_exec.pth": (dict(pickle_protocol=4),
                               Payload(exec, f"open({MARKERS['malicious_exec.pth']!r}, 'w').close()")),
        "malicious_legacy.pth": (dict(_use_new_zipfile_serialization=False),
                                 Payload(os.system, "touch " + MARKERS["malicious_legacy.pth"])),
    }
    for file, (options, payload) in payloads.items():
        marker = MARKERS[file]
        if os.path.exists(marker):
            os.remove(marker)
        torch.save({"fc.weight": weight, "fc.bias": torch.zeros(2), "note": payload}, out(file), **options)
        torch.load(out(file))  # PyTorch's full unpickler runs the payload: the fixture is live
        assert os.path.exists(marker), f"{file}: PyTorch did not run the payload, so the fixture proves nothing"
        os.remove(marker)
        manifest["files"][file] = f"dict of tensors plus a pickled call that creates {marker} ({options})"

    with open(out("manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    total = sum(os.path.getsize(out(f)) for f in os.listdir(args.out))
    print(f"wrote {len(os.listdir(args.out))} files, {total / 1024:.0f} KiB, to {args.out}")


if __name__ == "__main__":
    main()
