#!/usr/bin/python3
"""Reference values for the ViT tests, computed with PyTorch (a developer tool; Debian's /usr/bin/python3 with
python3-torch; the tests read the JSON it writes, so they run without Python):

  python3 tools/vit_goldens.py src/test/resources/vit/goldens.json

* "resample": position embeddings [1, 1 + g*g, D] on fixed values, resized to other grids exactly as timm's
  resample_abs_pos_embed does (class-token row kept; the grid as a D-channel image through
  F.interpolate(mode='bicubic', align_corners=False, antialias=...)), with antialias False (DINO's and MAE's
  code) and True (timm's default since 0.9; selfsup's weight import and forward pass).
* "adamw": torch.optim.AdamW on fixed tensors named like a ViT's (a 2-d weight with decay; a bias, a class token
  and position embeddings without it, as timm/MAE/MoCo v3 group them), loss sum(c * p) + a/2 * sum(p^2), the
  learning rate changing every step; once plain and once with torch.nn.utils.clip_grad_norm_ before each step.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F


def resample_cases():
    cases = []
    dim = 3
    for old, new, aa in [(4, 6, False), (4, 6, True), (4, 2, False), (4, 2, True), (3, 7, False), (3, 7, True),
                         (6, 4, False), (6, 4, True), (14, 8, True), (14, 8, False)]:
        n = 1 + old * old
        pos = torch.tensor([[[math.sin(0.37 * i + 1.3 * c) + 0.1 * c for c in range(dim)] for i in range(n)]],
                           dtype=torch.float32)
        grid = pos[:, 1:].reshape(1, old, old, dim).permute(0, 3, 1, 2)
        out = F.interpolate(grid, size=(new, new), mode="bicubic", align_corners=False, antialias=aa)
        out = torch.cat([pos[:, :1], out.permute(0, 2, 3, 1).reshape(1, new * new, dim)], dim=1)
        cases.append({"old": old, "new": new, "dim": dim, "antialias": aa,
                      "input": pos.flatten().tolist(), "output": out.flatten().tolist()})
    return cases


A = 0.5
NAMES = ["w", "b", "cls_token", "pos_embed"]
SHAPES = [(2, 3), (3,), (1, 1, 3), (1, 2, 3)]
INIT = [[0.5, -0.25, 1.0, 0.75, -1.5, 0.2], [0.1, 0.0, -0.3], [0.02, -0.01, 0.03], [0.3, -0.2, 0.1, 0.0, 0.5, -0.4]]
C = [[0.3, -1.2, 0.7, 2.0, -0.1, 0.05], [0.4, -0.6, 1.5], [1.0, -0.5, 0.25], [-0.3, 0.8, 0.1, 1.1, -0.9, 0.2]]
LRS = [0.1, 0.05, 0.02, 0.01]


def adamw_case(clip):
    params = [torch.tensor(v, dtype=torch.float32).reshape(s).requires_grad_() for v, s in zip(INIT, SHAPES)]
    cs = [torch.tensor(v, dtype=torch.float32).reshape(s) for v, s in zip(C, SHAPES)]
    opt = torch.optim.AdamW([{"params": params[:1], "weight_decay": 0.05},
                             {"params": params[1:], "weight_decay": 0.0}], lr=LRS[0], betas=(0.9, 0.95), eps=1e-8)
    norms = []
    for lr in LRS:
        for g in opt.param_groups:
            g["lr"] = lr
        opt.zero_grad()
        loss = sum((p * c).sum() + A / 2 * (p * p).sum() for p, c in zip(params, cs))
        loss.backward()
        if clip:
            norms.append(float(torch.nn.utils.clip_grad_norm_(params, clip)))
        opt.step()
    return {"clip": clip, "weight_decay": 0.05, "beta1": 0.9, "beta2": 0.95, "eps": 1e-8, "lrs": LRS, "a": A,
            "names": NAMES, "shapes": [list(s) for s in SHAPES], "init": INIT, "c": C,
            "final": [p.detach().flatten().tolist() for p in params], "grad_norms": norms}


def main():
    torch.set_num_threads(1)
    out = {"torch": torch.__version__, "resample": resample_cases(),
           "adamw": [adamw_case(0.0), adamw_case(1.0)]}
    with open(sys.argv[1], "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
