#!/usr/bin/python3
"""Fixtures for TorchRay's pointing-game post-processing (tests/fixtures/pointing/), checked by
tests/Tsgb.Core.Tests/Datasets/PointingFixtureTests.cs.

Usage: /usr/bin/python3 tests/python/make_pointing_fixtures.py [--out DIR]   (Debian's torch 1.13 + numpy)

It re-states, in PyTorch, the steps of TorchRay's benchmark (torchray/attribution/common.py: resize_saliency,
torchray/utils.py: imsmooth with padding_mode='replicate', examples/attribution_benchmark.py: _saliency_to_point,
torchray/benchmark/models.py: get_transform for VOC/COCO) -- TorchRay itself is not installed here.
"""
import argparse
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
EPSILON_SINGLE = torch.tensor(1.19209290E-07, dtype=torch.float32)
SQRT_TWO_SINGLE = torch.tensor(math.sqrt(2), dtype=torch.float32)


def imsmooth_replicate(x, sigma):
    width = math.ceil(4 * sigma)
    filt = torch.arange(-width, width + 1, dtype=torch.float32) / (SQRT_TWO_SINGLE * sigma + EPSILON_SINGLE)
    filt = torch.exp(-filt * filt)
    filt /= torch.sum(filt)
    c = x.shape[1]
    x = F.pad(x, (width, width, width, width), mode='replicate')
    x = F.conv2d(x, filt.reshape((1, 1, -1, 1)).expand(c, -1, -1, -1), groups=c)
    x = F.conv2d(x, filt.reshape((1, 1, 1, -1)).expand(c, -1, -1, -1), groups=c)
    return x


def to_point(s):
    w = s.shape[3]
    p = torch.argmax(s.view(len(s), -1), dim=1, keepdim=True)
    return torch.cat((p % w, p // w), dim=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, "tests", "fixtures", "pointing"))
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    g = torch.Generator().manual_seed(20261203)
    # maps at model-input resolution (3 maps, 14 x 19), image of 37 x 50 (H x W)
    maps = torch.rand(3, 1, 14, 19, generator=g) ** 4
    resized = F.interpolate(maps, (37, 50), mode='bilinear', align_corners=False)
    blurred = imsmooth_replicate(resized, 0.02 * max(resized.shape[2:]))
    np.save(os.path.join(out, "maps.npy"), maps[:, 0].numpy().astype(np.float32))
    np.save(os.path.join(out, "resized.npy"), resized[:, 0].numpy().astype(np.float32))
    np.save(os.path.join(out, "blurred.npy"), blurred[:, 0].numpy().astype(np.float32))
    np.save(os.path.join(out, "points_raw.npy"), to_point(resized).numpy().astype(np.float32))
    np.save(os.path.join(out, "points_blurred.npy"), to_point(blurred).numpy().astype(np.float32))
    # a bigger blur (sigma = 0.02 * 500 = 10 px, as on a VOC image) on one map
    big = F.interpolate(maps[:1], (375, 500), mode='bilinear', align_corners=False)
    big_blurred = imsmooth_replicate(big, 0.02 * 500)
    np.save(os.path.join(out, "big_blurred.npy"), big_blurred[:, 0].numpy().astype(np.float32))
    np.save(os.path.join(out, "big_point.npy"), to_point(big_blurred).numpy().astype(np.float32))
    # TorchRay's VOC/COCO input: ToTensor, shorter side to 24 (bilinear), Caffe mean in RGB order, std 1/255
    image = torch.randint(0, 256, (31, 45, 3), generator=g, dtype=torch.uint8)
    x = image.permute(2, 0, 1).float() / 255
    h, w = x.shape[1:]
    size = 24
    oh, ow = (int(size * h / w), size) if w < h else (size, int(size * w / h))
    x = F.interpolate(x.unsqueeze(0), (oh, ow), mode='bilinear', align_corners=False)[0]
    mean = torch.tensor([m / 255. for m in reversed([103.939, 116.779, 123.68])]).view(3, 1, 1)
    x = (x - mean) / (1 / 255.)
    np.save(os.path.join(out, "image_rgb.npy"), image.numpy().astype(np.float32))
    np.save(os.path.join(out, "input_caffe.npy"), x.unsqueeze(0).numpy().astype(np.float32))
    print("wrote", out)


if __name__ == "__main__":
    main()
