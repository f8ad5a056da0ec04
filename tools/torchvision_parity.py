#!/usr/bin/python3
"""Parity of selfsup's ResNets with torchvision's (a developer tool; run with Debian's /usr/bin/python3,
which has python3-torch and python3-torchvision; the product never calls Python).

  compare  --arch A --weights W.safetensors --data D.safetensors
      Builds torchvision's ResNet for A (resnet18-cifar: conv1 = Conv2d(3, 64, 3, 1, 1, bias=False),
      maxpool = Identity()), loads W with strict=False and requires that only fc.* is missing and
      nothing is unexpected, runs it in eval mode on D's "images" (N x 3 x H x W, already normalised)
      and compares the pooled features with D's "features" (selfsup's). Prints one JSON line
      {"max_abs_diff", "feature_scale", "relative"}; exits 1 when relative > --tolerance (1e-4).

  make     --arch A --seed S --data D.safetensors --pth P.pth --safetensors W.safetensors --features F.safetensors
      torchvision-initialised weights (seeded; BatchNorm affine parameters and running statistics
      randomised so they matter), saved by torch.save as {'epoch': 1, 'state_dict': {'module.' + name: ...}}
      (the nesting and prefix of DataParallel checkpoints) and as plain safetensors, plus their
      eval-mode features on D's images.

Safetensors is read and written by the few lines below (the Debian machine has no safetensors
package); users would call safetensors.torch.load_file, which reads the same files.
"""
import argparse
import collections
import json
import struct
import sys

import torch
import torchvision

DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "I64": torch.int64}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    base = 8 + n
    out = collections.OrderedDict()
    for name, e in header.items():
        begin, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + begin:base + end]), dtype=DTYPES[e["dtype"]])
        out[name] = t.reshape(e["shape"]).clone()
    return out


def save_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    names = {torch.float32: "F32", torch.int64: "I64"}
    for name, t in tensors.items():
        b = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(chunks))


def build(arch):
    if arch == "resnet18-cifar":
        m = torchvision.models.resnet18()
        m.conv1 = torch.nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
        m.maxpool = torch.nn.Identity()
    elif arch in ("resnet18", "resnet34", "resnet50"):
        m = getattr(torchvision.models, arch)()
    else:
        sys.exit("arch: no torchvision counterpart for " + arch)
    return m


def features(model, images):
    model.fc = torch.nn.Identity()  # pooled features, as selfsup's backbone returns
    model.eval()
    with torch.no_grad():
        return model(images)


def compare(a):
    state = load_safetensors(a.weights)
    full = build(a.arch)  # with its classifier, to check that only fc.* is missing
    result = full.load_state_dict(state, strict=False)
    missing = [k for k in result.missing_keys if not k.startswith("fc.")]
    if missing or result.unexpected_keys:
        sys.exit("load_state_dict: missing %s unexpected %s" % (missing, result.unexpected_keys))
    if sorted(result.missing_keys) != ["fc.bias", "fc.weight"]:
        sys.exit("expected fc.weight and fc.bias missing, got %s" % result.missing_keys)
    data = load_safetensors(a.data)
    ours = data["features"]
    theirs = features(full, data["images"])
    diff = (ours - theirs).abs().max().item()
    scale = theirs.abs().max().item()
    rel = diff / max(scale, 1e-12)
    print(json.dumps({"arch": a.arch, "max_abs_diff": diff, "feature_scale": scale, "relative": rel,
                      "images": list(data["images"].shape)}))
    return 0 if rel <= a.tolerance else 1


def make(a):
    torch.manual_seed(a.seed)
    model = build(a.arch)
    for mod in model.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            with torch.no_grad():
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.2, 0.2)
                mod.running_mean.uniform_(-0.2, 0.2)
                mod.running_var.uniform_(0.5, 2.0)
                mod.num_batches_tracked.fill_(a.seed + 3)
    state = model.state_dict()
    torch.save({"epoch": 1, "arch": a.arch, "state_dict": collections.OrderedDict(
        ("module." + k, v) for k, v in state.items())}, a.pth)
    save_safetensors(a.safetensors, state)
    data = load_safetensors(a.data)
    save_safetensors(a.features, {"features": features(model, data["images"])})
    print(json.dumps({"arch": a.arch, "tensors": len(state)}))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--arch", required=True)
    c.add_argument("--weights", required=True)
    c.add_argument("--data", required=True)
    c.add_argument("--tolerance", type=float, default=1e-4)
    m = sub.add_parser("make")
    m.add_argument("--arch", required=True)
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--data", required=True)
    m.add_argument("--pth", required=True)
    m.add_argument("--safetensors", required=True)
    m.add_argument("--features", required=True)
    a = p.parse_args()
    torch.set_num_threads(1)
    sys.exit(compare(a) if a.cmd == "compare" else make(a))


if __name__ == "__main__":
    main()
