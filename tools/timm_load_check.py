#!/usr/bin/env python3
"""Does selfsup's ViT export load into timm and compute the same features? (the `timm` stage of
tools/gpu-check.sh; a developer tool, the product never calls Python).

  images --out DIR [--images N] [--size S] [--seed K]
      Writes N seeded random S x S RGB PNGs to DIR/train/img/NNN.png (plain zlib PNG writer, no PIL), so that
      `selfsup embed` sees them unresized and uncropped (its Resize and CenterCrop leave an S x S image as it is).

  check --weights W.safetensors --embeddings E.csv [--images N] [--size S] [--seed K] [--model NAME]
      Loads W (selfsup's `export --format safetensors`, timm names) into
      timm.create_model(NAME, pretrained=False, num_classes=0, num_heads=..., global_pool=...) (num_heads and
      global_pool from W's sidecar W.json, key "timm": MoCo v3's ViT-S has 12 heads where timm's
      vit_small_patch16_224 has 6), strictly: every tensor of W must be used, and only the classifier (head.*) may
      be missing. Rebuilds the same images from the seed, normalises them with the sidecar's mean and std, runs
      timm in eval mode (float32, CPU) and compares with selfsup's features for the same files (E, written by
      `selfsup embed`). Prints one JSON line: max |timm - selfsup| over every feature value, the feature scale
      (max |selfsup feature|) and their ratio ("relative"), "ok" when that is below --tolerance. Without timm (or
      torch, or safetensors' loader) it prints a JSON line with "skipped" and the reason, and exits 0.
"""
import argparse
import csv
import json
import os
import struct
import sys
import zlib

WHAT = "timm load of selfsup's ViT export"


def pixels(index, size, seed):
    """The seeded uint8 H x W x 3 picture number `index`: smooth colour ramps plus noise (not flat)."""
    import numpy as np
    rng = np.random.default_rng([seed, index])
    y, x = np.mgrid[0:size, 0:size].astype(np.float64) / size
    base = np.stack([x, y, (x + y) / 2], axis=-1) * rng.uniform(60, 200, 3)
    noise = rng.integers(0, 56, (size, size, 3))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def write_png(path, img):
    """An 8-bit RGB PNG of the uint8 H x W x 3 array `img` (filter 0 on every row)."""
    h, w, _ = img.shape
    raw = b"".join(b"\x00" + img[r].tobytes() for r in range(h))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


def name(i):
    return "img/%03d.png" % i


def make_images(args):
    folder = os.path.join(args.out, "train", "img")
    os.makedirs(folder, exist_ok=True)
    for i in range(args.images):
        write_png(os.path.join(args.out, "train", name(i)), pixels(i, args.size, args.seed))
    print(json.dumps({"images": args.images, "size": args.size, "folder": os.path.join(args.out, "train")}))


def skip(reason, **extra):
    o = {"what": WHAT, "skipped": reason}
    o.update(extra)
    print(json.dumps(o))
    return 0


def read_embeddings(path):
    rows = {}
    with open(path, newline="") as f:
        for row in csv.reader(f):
            if not row or row[0].startswith("#"):
                continue
            try:
                rows[row[0]] = [float(v) for v in row[1:]]
            except ValueError:
                continue  # a header line
    return rows


def check(args):
    try:
        import numpy as np
        import torch
    except Exception as e:  # noqa: BLE001 - any import failure is a reason to skip
        return skip("no torch/numpy in %s: %s" % (sys.executable, e))
    try:
        import timm
    except Exception as e:  # noqa: BLE001
        return skip("timm not importable in %s: %s" % (sys.executable, e), torch=torch.__version__)
    try:
        from safetensors.torch import load_file
    except Exception:  # noqa: BLE001 - fall back to the repository's own reader
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from torchvision_parity import load_safetensors as load_file
    sidecar_path = os.path.splitext(args.weights)[0] + ".json"
    with open(sidecar_path) as f:
        sidecar = json.load(f)
    targs = sidecar.get("timm") or {}
    kwargs = {k: targs[k] for k in ("num_heads", "global_pool") if k in targs}
    if "img_size" in targs and targs["img_size"] != 224:
        kwargs["img_size"] = targs["img_size"]
    model = timm.create_model(args.model, pretrained=False, num_classes=0, **kwargs)
    state = load_file(args.weights)
    result = model.load_state_dict(state, strict=False)
    missing = [k for k in result.missing_keys if not k.startswith("head.")]
    unexpected = list(result.unexpected_keys)
    settings = {"what": WHAT, "timm": timm.__version__, "torch": torch.__version__, "model": args.model,
                "timm_kwargs": kwargs, "tensors": len(state)}
    if missing or unexpected:
        settings.update({"ok": False, "missing": missing[:10], "unexpected": unexpected[:10]})
        print(json.dumps(settings))
        return 1
    model.eval()
    emb = read_embeddings(args.embeddings)
    mean = np.asarray(sidecar["mean"], dtype=np.float32).reshape(1, 3, 1, 1)
    std = np.asarray(sidecar["std"], dtype=np.float32).reshape(1, 3, 1, 1)
    names = [name(i) for i in range(args.images)]
    absent = [n for n in names if n not in emb]
    if absent:
        settings.update({"ok": False, "error": "no selfsup embedding for " + ", ".join(absent[:5])})
        print(json.dumps(settings))
        return 1
    x = np.stack([pixels(i, args.size, args.seed) for i in range(args.images)]).astype(np.float32) / 255.0
    x = (x.transpose(0, 3, 1, 2) - mean) / std
    with torch.no_grad():
        ours = torch.tensor([emb[n] for n in names], dtype=torch.float64)
        theirs = model(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))).double()
    if theirs.shape != ours.shape:
        settings.update({"ok": False, "error": "feature shapes differ: timm %s, selfsup %s"
                         % (tuple(theirs.shape), tuple(ours.shape))})
        print(json.dumps(settings))
        return 1
    diff = (theirs - ours).abs().max().item()
    scale = ours.abs().max().item()
    rel = diff / scale if scale > 0 else float("inf")
    settings.update({"images": args.images, "size": args.size, "feature_dim": int(ours.shape[1]),
                     "max_abs_diff": diff, "feature_scale": scale, "relative": rel,
                     "tolerance": args.tolerance, "ok": rel <= args.tolerance})
    print(json.dumps(settings))
    return 0 if rel <= args.tolerance else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for cmd in ("images", "check"):
        s = sub.add_parser(cmd)
        s.add_argument("--images", type=int, default=8)
        s.add_argument("--size", type=int, default=224)
        s.add_argument("--seed", type=int, default=0)
        if cmd == "images":
            s.add_argument("--out", required=True)
        else:
            s.add_argument("--weights", required=True)
            s.add_argument("--embeddings", required=True)
            s.add_argument("--model", default="vit_small_patch16_224")
            s.add_argument("--tolerance", type=float, default=1e-4)
    args = p.parse_args()
    if args.cmd == "images":
        make_images(args)
        return 0
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
