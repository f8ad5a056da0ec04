#!/usr/bin/python3
"""Adds the PIL BICUBIC golden cases to src/test/resources/golden (run with Debian's /usr/bin/python3:
PIL 9.4, torchvision 0.14; the pyenv `python3` on PATH has neither).

DSSL's probes resize bicubically: train RandomResizedCrop(32, scale=(0.8, 1), BICUBIC), test
Resize(36, BICUBIC) + CenterCrop(32). This script appends two ops to the golden set, 6 cases each,
computed on the set's existing input images:

  resized_crop_bicubic        TF.resized_crop(img, top, left, height, width, [size, size], BICUBIC)
  resize_center_crop_bicubic  TF.center_crop(TF.resize(img, resize, BICUBIC), size)

It is idempotent: earlier cases of these two ops are dropped and re-made with the next free ids, and
the other cases and files are left as they are. Usage: /usr/bin/python3 tools/make_bicubic_goldens.py
"""
import json
import os
import random

import numpy as np
from PIL import Image
import torchvision.transforms.functional as TF
from torchvision.transforms import InterpolationMode

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "src", "test", "resources", "golden")
OPS = ("resized_crop_bicubic", "resize_center_crop_bicubic")


def load_cases():
    with open(os.path.join(GOLDEN, "cases.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def input_shapes(cases):
    shapes = {}
    for c in cases:
        shapes[c["input"]] = (c["input_height"], c["input_width"])
    return dict(sorted(shapes.items()))


def read_input(name, h, w):
    data = np.fromfile(os.path.join(GOLDEN, name), dtype=np.uint8).reshape(h, w, 3)
    return Image.fromarray(data, "RGB")


def main():
    cases = [c for c in load_cases() if c["op"] not in OPS]
    for c in load_cases():
        if c["op"] in OPS:
            path = os.path.join(GOLDEN, c["output"])
            if os.path.exists(path):
                os.remove(path)
    shapes = input_shapes(cases)
    names = list(shapes)
    rng = random.Random(15)
    next_id = max(c["id"] for c in cases) + 1
    new = []

    def add(op, params, name, out):
        nonlocal next_id
        h, w = shapes[name]
        arr = np.asarray(out, dtype=np.uint8)
        fname = "case_%04d.u8" % next_id
        arr.tofile(os.path.join(GOLDEN, fname))
        new.append({"id": next_id, "op": op, "params": params, "input": name, "input_height": h,
                    "input_width": w, "output": fname, "output_height": arr.shape[0],
                    "output_width": arr.shape[1], "channels": 3})
        next_id += 1

    # RandomResizedCrop-style boxes: up-scaling (CIFAR crops of 0.8-1 area to 32), down-scaling and a
    # box past the image border (PIL pads with black), so both passes and the clipping are exercised.
    for i in range(6):
        name = names[i % len(names)]
        h, w = shapes[name]
        if i == 5:
            top, left, bh, bw, size = -3, w - 10, min(h, 20), 14, 24
        else:
            area = h * w * rng.uniform(0.8, 1.0) if i < 3 else h * w * rng.uniform(0.2, 0.6)
            bh = max(1, min(h, int(round(area ** 0.5 * rng.uniform(0.9, 1.1)))))
            bw = max(1, min(w, int(round(area / bh))))
            top, left = rng.randint(0, h - bh), rng.randint(0, w - bw)
            size = 32 if i < 3 else 20
        img = read_input(name, h, w)
        out = TF.resized_crop(img, top, left, bh, bw, [size, size], InterpolationMode.BICUBIC)
        add("resized_crop_bicubic", {"top": top, "left": left, "height": bh, "width": bw, "size": size}, name, out)

    # DSSL CIFAR test geometry Resize(36) + CenterCrop(32) on 32x32 images, plus a down-scale
    # (96 -> 72, crop 64) and a non-square image (40x28 -> shorter side 36).
    geometry = [(36, 32), (36, 32), (36, 32), (72, 64), (36, 32), (40, 33)]
    wanted = [n for n in names if shapes[n] == (32, 32)][:3] + \
             [n for n in names if shapes[n] == (96, 96)][:1] + \
             [n for n in names if shapes[n][0] != shapes[n][1]][:1] + \
             [n for n in names if shapes[n] == (96, 96)][1:2]
    for name, (resize, size) in zip(wanted, geometry):
        h, w = shapes[name]
        img = read_input(name, h, w)
        out = TF.center_crop(TF.resize(img, resize, InterpolationMode.BICUBIC), size)
        add("resize_center_crop_bicubic", {"resize": resize, "size": size}, name, out)

    with open(os.path.join(GOLDEN, "cases.jsonl"), "w") as f:
        for c in cases + new:
            f.write(json.dumps(c) + "\n")
    print("wrote %d %s cases to %s" % (len(new), "/".join(OPS), os.path.normpath(GOLDEN)))


if __name__ == "__main__":
    main()
