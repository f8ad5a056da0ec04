#!/usr/bin/env python3
"""Does selfsup's ViT export load into timm and compute the same features? (the `timm` stage of
tools/gpu-check.sh; a developer tool, the product never calls Python).

  images --out DIR [--images N] [--size S] [--seed K]
      Writes N seeded random S x S RGB PNGs to DIR/train/img/NNN.png (plain zlib PNG writer, no PIL), so that
      `selfsup embed` sees them unresized and uncropped (its Resize and CenterCrop leave an S x S image as it is).

  check --weights W --embeddings E.csv [--sidecar S.json] [--images N] [--size S] [--seed K] [--model NAME]
      Loads W into a timm ViT, strictly (every tensor of W used; only the classifier head.* may be missing), and
      compares its features with selfsup's for the same files (E, written by `selfsup embed`). W is either
      selfsup's `export --format safetensors` (timm names; its sidecar W.json) or a timm state dict saved by
      `make` (.pth; without a sidecar the normalisation is ImageNet's, as selfsup's for an imported ViT). The
      model is timm.create_model(NAME, pretrained=False, num_classes=0, num_heads=..., global_pool=...) with
      --model (num_heads and global_pool from the sidecar's "timm" key: MoCo v3's ViT-S has 12 heads where timm's
      vit_small_patch16_224 has 6), else timm's VisionTransformer(**sidecar["timm"], num_classes=0): every
      size, patch, width, depth and pooling selfsup builds. Rebuilds the images from the seed, normalises them
      with the sidecar's mean and std, runs timm in eval mode (float32, CPU) and prints one JSON line: max
      |timm - selfsup| over every feature value, the feature scale (max |selfsup feature|) and their ratio
      ("relative"), "ok" when that is below --tolerance. Without timm (or torch, or safetensors' loader) it
      prints a JSON line with "skipped" and the reason, and exits 0.

  make --out M.pth [--model NAME] [--num-heads H] [--seed K]
      The other direction: a timm ViT made by timm itself (timm.create_model(NAME, num_classes=0), seeded;
      LayerNorms, biases, the class token and the position embeddings then drawn at random too, so that each
      matters), its state dict saved by torch.save as M.pth, as DINO's released ViT files are. selfsup imports
      it (`selfsup import --from M.pth`), embeds the images, and `check --weights M.pth` compares with timm's
      features of the original.
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


def fail(reason):
    print(json.dumps({"what": WHAT, "ok": False, "error": reason}))
    return 1


def skip(reason, what=WHAT, **extra):
    o = {"what": what, "skipped": reason}
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
    what = WHAT if args.weights.endswith(".safetensors") else "selfsup import of a timm-made ViT"
    try:
        import numpy as np
        import torch
    except Exception as e:  # noqa: BLE001 - any import failure is a reason to skip
        return skip("no torch/numpy in %s: %s" % (sys.executable, e), what=what)
    try:
        import timm
    except Exception as e:  # noqa: BLE001
        return skip("timm not importable in %s: %s" % (sys.executable, e), what=what, torch=torch.__version__)
    try:
        from safetensors.torch import load_file
    except Exception:  # noqa: BLE001 - fall back to the repository's own reader
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from torchvision_parity import load_safetensors as load_file
    sidecar_path = args.sidecar or os.path.splitext(args.weights)[0] + ".json"
    if os.path.exists(sidecar_path):
        with open(sidecar_path) as f:
            sidecar = json.load(f)
    elif args.model:
        # no sidecar (a timm-made .pth imported by selfsup): selfsup then normalises as ImageNet (not a CIFAR stem)
        sidecar = {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}
    else:
        return fail("no sidecar %s: without --model it gives timm's VisionTransformer arguments" % sidecar_path)
    targs = sidecar.get("timm") or {}
    if args.model:
        kwargs = {k: targs[k] for k in ("num_heads", "global_pool") if k in targs}
        if "img_size" in targs and targs["img_size"] != 224:
            kwargs["img_size"] = targs["img_size"]
        model = timm.create_model(args.model, pretrained=False, num_classes=0, **kwargs)
    else:
        from timm.models.vision_transformer import VisionTransformer
        kwargs = dict(targs)
        model = VisionTransformer(num_classes=0, **kwargs)
    if args.weights.endswith(".safetensors"):
        state = load_file(args.weights)
    else:
        state = torch.load(args.weights, map_location="cpu")
    result = model.load_state_dict(state, strict=False)
    missing = [k for k in result.missing_keys if not k.startswith("head.")]
    unexpected = list(result.unexpected_keys)
    settings = {"what": what,
                "timm": timm.__version__, "torch": torch.__version__,
                "model": args.model or "VisionTransformer", "weights": os.path.basename(args.weights),
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


def make(args):
    try:
        import torch
        import timm
    except Exception as e:  # noqa: BLE001 - any import failure is a reason to skip
        return skip("no torch/timm in %s: %s" % (sys.executable, e), what="timm-made ViT")
    torch.manual_seed(args.seed)
    kwargs = {"num_heads": args.num_heads} if args.num_heads else {}
    model = timm.create_model(args.model, pretrained=False, num_classes=0, **kwargs)
    with torch.no_grad():
        for key, p in model.state_dict().items():
            if p.dim() == 1 or key in ("cls_token", "pos_embed"):
                scale = 1.0 if key.endswith("norm1.weight") or key.endswith("norm2.weight") \
                    or key == "norm.weight" else 0.1
                offset = 1.0 if key.endswith(".weight") and p.dim() == 1 else 0.0
                p.copy_(offset + scale * (torch.rand_like(p) - 0.5))
    torch.save(model.state_dict(), args.out)
    print(json.dumps({"what": "timm-made ViT", "model": args.model, "timm": timm.__version__, "kwargs": kwargs,
                      "tensors": len(model.state_dict()), "out": args.out}))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for cmd in ("images", "check", "make"):
        s = sub.add_parser(cmd)
        s.add_argument("--seed", type=int, default=0)
        if cmd == "make":
            s.add_argument("--out", required=True)
            s.add_argument("--model", default="vit_small_patch16_224")
            s.add_argument("--num-heads", type=int, default=0)
            continue
        s.add_argument("--images", type=int, default=8)
        s.add_argument("--size", type=int, default=224)
        if cmd == "images":
            s.add_argument("--out", required=True)
        else:
            s.add_argument("--weights", required=True)
            s.add_argument("--embeddings", required=True)
            s.add_argument("--sidecar", default="")
            s.add_argument("--model", default="")
            s.add_argument("--tolerance", type=float, default=1e-4)
    args = p.parse_args()
    if args.cmd == "images":
        make_images(args)
        return 0
    if args.cmd == "make":
        return make(args)
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
