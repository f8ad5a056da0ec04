#!/usr/bin/python3
"""Parity of selfsup's Vision Transformers with torchvision's and timm's (a developer tool; run with Debian's
/usr/bin/python3 with python3-torch and python3-torchvision; timm is used too when it can be imported; the
product never calls Python).

selfsup writes ViT weights with timm's names (cls_token, pos_embed, patch_embed.proj.*, blocks.N.norm1.*,
blocks.N.attn.qkv.*, blocks.N.attn.proj.*, blocks.N.norm2.*, blocks.N.mlp.fc1/fc2.*, norm.*).
torchvision.models.VisionTransformer computes the same network under its own names; TO_TORCHVISION maps them.

  compare  --weights W.safetensors --data D.safetensors --image-size S --patch-size P --width D --depth L
           --heads H --pooling cls|mean
      Loads W into torchvision's VisionTransformer (names mapped; strict=False, and only heads.head.* may be
      missing) and, when timm imports, into timm's VisionTransformer (its own names; only head.* may be
      missing), runs both in eval mode on D's "images" and compares the pooled features with D's "features"
      (selfsup's). Prints one JSON line per reference; exits 1 when a relative difference > --tolerance.

  make     --seed N (same model flags) --data D.safetensors --pth P.pth --safetensors W.safetensors
           --features F.safetensors
      torchvision-initialised weights (seeded; LayerNorms, biases, class token and position embeddings
      randomised so that they matter), renamed to timm's names and saved by torch.save as
      {'epoch': 1, 'teacher': {'backbone.' + name: ...}} (DINO's checkpoint layout) and as safetensors (with the
      metadata arch, attention_heads and pooling, as a selfsup export has), plus torchvision's features on D's
      images.
"""
import argparse
import collections
import json
import re
import sys

import torch
import torchvision

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from torchvision_parity import load_safetensors, save_safetensors  # noqa: E402

try:
    import timm  # noqa: F401
    from timm.models.vision_transformer import VisionTransformer as TimmViT
except Exception:  # noqa: BLE001 - any import failure means: no timm reference
    TimmViT = None


def to_torchvision(name):
    """A timm ViT parameter name as torchvision's VisionTransformer spells it."""
    fixed = {"cls_token": "class_token", "pos_embed": "encoder.pos_embedding",
             "patch_embed.proj.weight": "conv_proj.weight", "patch_embed.proj.bias": "conv_proj.bias",
             "norm.weight": "encoder.ln.weight", "norm.bias": "encoder.ln.bias"}
    if name in fixed:
        return fixed[name]
    m = re.fullmatch(r"blocks\.(\d+)\.(.+)", name)
    if not m:
        raise KeyError(name)
    rest = {"norm1.weight": "ln_1.weight", "norm1.bias": "ln_1.bias",
            "attn.qkv.weight": "self_attention.in_proj_weight", "attn.qkv.bias": "self_attention.in_proj_bias",
            "attn.proj.weight": "self_attention.out_proj.weight", "attn.proj.bias": "self_attention.out_proj.bias",
            "norm2.weight": "ln_2.weight", "norm2.bias": "ln_2.bias",
            "mlp.fc1.weight": "mlp.0.weight", "mlp.fc1.bias": "mlp.0.bias",
            "mlp.fc2.weight": "mlp.3.weight", "mlp.fc2.bias": "mlp.3.bias"}[m.group(2)]
    return "encoder.layers.encoder_layer_%s.%s" % (m.group(1), rest)


def torchvision_vit(a):
    return torchvision.models.VisionTransformer(image_size=a.image_size, patch_size=a.patch_size,
                                                num_layers=a.depth, num_heads=a.heads, hidden_dim=a.width,
                                                mlp_dim=4 * a.width)


def torchvision_features(model, images, pooling):
    model.eval()
    with torch.no_grad():
        x = model._process_input(images)
        x = torch.cat([model.class_token.expand(x.shape[0], -1, -1), x], dim=1)
        x = model.encoder(x)  # + pos_embedding, the blocks, ln
        return x[:, 1:].mean(dim=1) if pooling == "mean" else x[:, 0]


def timm_vit(a):
    # global_pool 'token' = the class token; 'avg' with fc_norm=False = mean of the patch tokens after norm
    return TimmViT(img_size=a.image_size, patch_size=a.patch_size, embed_dim=a.width, depth=a.depth,
                   num_heads=a.heads, mlp_ratio=4.0, qkv_bias=True, class_token=True,
                   global_pool="avg" if a.pooling == "mean" else "token", fc_norm=False, num_classes=1000)


def timm_features(model, images):
    model.eval()
    with torch.no_grad():
        return model.forward_head(model.forward_features(images), pre_logits=True)


def report(ref, ours, theirs, a, extra):
    diff = (ours - theirs).abs().max().item()
    scale = theirs.abs().max().item()
    rel = diff / max(scale, 1e-12)
    line = {"reference": ref, "max_abs_diff": diff, "feature_scale": scale, "relative": rel}
    line.update(extra)
    print(json.dumps(line))
    return rel <= a.tolerance


def compare(a):
    state = load_safetensors(a.weights)
    data = load_safetensors(a.data)
    ours = data["features"]
    ok = True
    tv = torchvision_vit(a)
    result = tv.load_state_dict(collections.OrderedDict((to_torchvision(k), v) for k, v in state.items()),
                                strict=False)
    if result.unexpected_keys or sorted(result.missing_keys) != ["heads.head.bias", "heads.head.weight"]:
        sys.exit("torchvision load_state_dict: missing %s unexpected %s" % (result.missing_keys,
                                                                           result.unexpected_keys))
    ok &= report("torchvision %s" % torchvision.__version__, ours, torchvision_features(tv, data["images"], a.pooling),
                 a, {"missing": result.missing_keys})
    if TimmViT is not None:
        tm = timm_vit(a)
        result = tm.load_state_dict(state, strict=False)
        if result.unexpected_keys or sorted(result.missing_keys) != ["head.bias", "head.weight"]:
            sys.exit("timm load_state_dict: missing %s unexpected %s" % (result.missing_keys, result.unexpected_keys))
        ok &= report("timm %s" % timm.__version__, ours, timm_features(tm, data["images"]), a,
                     {"missing": result.missing_keys})
    else:
        print(json.dumps({"reference": "timm", "skipped": "timm does not import"}))
    return 0 if ok else 1


def make(a):
    torch.manual_seed(a.seed)
    model = torchvision_vit(a)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "ln" in name and name.endswith("weight"):
                p.uniform_(0.5, 1.5)
            elif name.endswith("bias") or "ln" in name:
                p.uniform_(-0.2, 0.2)
        model.class_token.normal_(0, 0.5)
        model.encoder.pos_embedding.normal_(0, 0.5)
    timm_names = collections.OrderedDict()
    tv_state = model.state_dict()
    probe = [k for k in tv_state if not k.startswith("heads.")]
    # timm's names, in timm's order; each taken from torchvision's parameter of the same meaning
    names = ["cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias"]
    for i in range(a.depth):
        names += ["blocks.%d.%s" % (i, s) for s in (
            "norm1.weight", "norm1.bias", "attn.qkv.weight", "attn.qkv.bias", "attn.proj.weight", "attn.proj.bias",
            "norm2.weight", "norm2.bias", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias")]
    names += ["norm.weight", "norm.bias"]
    for n in names:
        timm_names[n] = tv_state[to_torchvision(n)].clone()
    if sorted(to_torchvision(n) for n in names) != sorted(probe):
        sys.exit("the name map does not cover torchvision's parameters")
    torch.save({"epoch": 1, "teacher": collections.OrderedDict(("backbone." + k, v) for k, v in timm_names.items())},
               a.pth)
    save_safetensors(a.safetensors, timm_names)
    with open(a.safetensors, "rb") as f:  # add the metadata a selfsup import/export writes for a free-width vit
        raw = f.read()
    import struct
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header["__metadata__"] = {"format": "pt", "arch": "vit", "attention_heads": str(a.heads), "pooling": a.pooling}
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(a.safetensors, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + raw[8 + n:])
    data = load_safetensors(a.data)
    save_safetensors(a.features, {"features": torchvision_features(model, data["images"], a.pooling)})
    print(json.dumps({"tensors": len(timm_names)}))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("compare", "make"):
        s = sub.add_parser(name)
        s.add_argument("--image-size", type=int, required=True)
        s.add_argument("--patch-size", type=int, required=True)
        s.add_argument("--width", type=int, required=True)
        s.add_argument("--depth", type=int, required=True)
        s.add_argument("--heads", type=int, required=True)
        s.add_argument("--pooling", default="cls", choices=["cls", "mean"])
        s.add_argument("--data", required=True)
        if name == "compare":
            s.add_argument("--weights", required=True)
            s.add_argument("--tolerance", type=float, default=1e-4)
        else:
            s.add_argument("--seed", type=int, default=0)
            s.add_argument("--pth", required=True)
            s.add_argument("--safetensors", required=True)
            s.add_argument("--features", required=True)
    a = p.parse_args()
    torch.set_num_threads(1)
    sys.exit(compare(a) if a.cmd == "compare" else make(a))


if __name__ == "__main__":
    main()
