#!/usr/bin/python3
"""Writes the small torch.save fixtures under src/test/resources/weights/ (run by hand with Debian's
/usr/bin/python3 and python3-torch; the files are committed so the suite needs no Python).

  nested.pth   {'epoch': 3, 'arch': 'x', 'state_dict': OrderedDict with 'module.' keys}: float32 (one
               transposed, i.e. non-contiguous, view), float16, float64, int64 and a shared storage
  legacy.pth   the same dict in the pre-1.6 non-zip format (must be refused clearly)
"""
import collections
import pathlib
import torch

out = pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/weights"
out.mkdir(parents=True, exist_ok=True)
base = torch.arange(6, dtype=torch.float32).reshape(2, 3)
sd = collections.OrderedDict()
sd["module.conv1.weight"] = base
sd["module.bn1.weight"] = base.t()            # non-contiguous view of the same storage
sd["module.half"] = torch.tensor([0.5, -2.0, 65504.0], dtype=torch.float16)
sd["module.double"] = torch.tensor([[1.25]], dtype=torch.float64)
sd["module.bn1.num_batches_tracked"] = torch.tensor(7)
sd["module.slice"] = torch.arange(10, dtype=torch.float32)[2:5]   # storage offset 2
obj = {"epoch": 3, "arch": "resnet18", "state_dict": sd}
torch.save(obj, out / "nested.pth")
torch.save(obj, out / "legacy.pth", _use_new_zipfile_serialization=False)
print("wrote", sorted(p.name for p in out.iterdir()))
