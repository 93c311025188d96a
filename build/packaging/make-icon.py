#!/usr/bin/python3
"""Draws the packages' icon (icon.png, 128×128): the kernel logo's purple rounded square with a warm saliency
spot and a white ring, as a PNG written with zlib alone (no imaging library needed). Run it to regenerate:
    /usr/bin/python3 build/packaging/make-icon.py build/packaging/icon.png
"""
import struct
import sys
import zlib

import numpy as np

SIZE = 128


def coverage(distance):
    """Anti-aliased inside-ness (1 inside, 0 outside) from a signed distance in pixels (negative = inside)."""
    return np.clip(0.5 - distance, 0.0, 1.0)


def draw():
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64) + 0.5
    s = SIZE / 64.0
    rgba = np.zeros((SIZE, SIZE, 4))

    # rounded square, radius 12 (in 64-unit coordinates)
    r = 12 * s
    qx = np.maximum(np.abs(x - SIZE / 2) - (SIZE / 2 - r), 0)
    qy = np.maximum(np.abs(y - SIZE / 2) - (SIZE / 2 - r), 0)
    square = coverage(np.hypot(qx, qy) - r)
    rgba[..., :3] = np.array([0x68, 0x21, 0x7A]) / 255.0
    rgba[..., 3] = square

    def over(color, alpha):
        a = alpha * square
        rgba[..., :3] = rgba[..., :3] * (1 - a[..., None]) + np.array(color)[None, None, :] / 255.0 * a[..., None]

    # saliency spot: a radial gradient from yellow to red, fading out
    d = np.hypot(x - 40 * s, y - 38 * s) / (22 * s)
    t = np.clip(d, 0, 1)
    over([0xFF, 0xC8, 0x3C], np.clip(1 - t, 0, 1) ** 1.2 * 0.95)
    over([0xE8, 0x3A, 0x1E], np.clip(1 - np.abs(t - 0.55) / 0.45, 0, 1) * 0.35)

    # white ring around the spot (the "target" the map selects)
    ring = np.abs(np.hypot(x - 40 * s, y - 38 * s) - 15 * s) - 2.2 * s
    over([0xFF, 0xFF, 0xFF], coverage(ring))
    # and a pointer towards it from the lower right corner
    px, py = 52 * s, 50 * s
    seg = np.stack([x - px, y - py], -1)
    direction = np.array([-1.0, -1.0]) / np.sqrt(2)
    along = np.clip(seg @ direction, 0, 12 * s)
    closest = np.stack([px + along * direction[0], py + along * direction[1]], -1)
    over([0xFF, 0xFF, 0xFF], coverage(np.hypot(x - closest[..., 0], y - closest[..., 1]) - 3 * s))
    return (np.clip(rgba, 0, 1) * 255 + 0.5).astype(np.uint8)


def png(pixels):
    height, width, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[row].tobytes() for row in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "icon.png", "wb") as f:
        f.write(png(draw()))
