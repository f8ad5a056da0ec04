#!/usr/bin/python3
"""torchvision side of `selfsup bench aug` on an image folder: ImageFolder + the same view plan +
DataLoader(num_workers=2), source images per second after one warm-up batch.

Run with Debian's interpreter (python3-torch 1.13, torchvision 0.14, PIL 9.4):
  /usr/bin/python3 tools/bench_torchvision.py --data-dir DIR --plan rsa --size 224 [--workers 2 --batch 64 --seconds 20]
DIR holds train/CLASS/*.jpg (e.g. written by `selfsup data generate`).

Plans mirror selfsup's (docs/methods.md): rsa = weak RRC(0.2-1)+flip twice, each followed by the
aggressive add-on (ColorJitter(0.4,0.4,0.4,0.1) p0.8, grey 0.2, PIL GaussianBlur sigma 0.1-2 p0.5): 4 views;
byol = aggressive_full twice; dssl-imagenet = standard+blur twice plus a heavy view of each
(torchvision RandAugment(2, 9) with p 0.9, else a 4x4 grid shuffle).
"""
import argparse, json, os, random, time
import torch
from PIL import ImageFilter
from torchvision import datasets, transforms as T

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


class Blur:
    def __call__(self, img):
        return img.filter(ImageFilter.GaussianBlur(radius=random.uniform(0.1, 2.0)))


class GridShuffle:
    def __init__(self, n=4):
        self.n = n

    def __call__(self, img):
        w, h = img.size
        tw, th = w // self.n, h // self.n
        tiles = [img.crop((x * tw, y * th, (x + 1) * tw, (y + 1) * th)) for y in range(self.n) for x in range(self.n)]
        random.shuffle(tiles)
        out = img.copy()
        for k, t in enumerate(tiles):
            out.paste(t, ((k % self.n) * tw, (k // self.n) * th))
        return out


def plan(name, size, mean=MEAN, std=STD):
    """The named view plan as a function image -> list of normalised view tensors (also used by
    torch_mirror.py, with the data set's own mean and std)."""
    weak = T.Compose([T.RandomResizedCrop(size, scale=(0.2, 1.0)), T.RandomHorizontalFlip()])
    addon = T.Compose([T.RandomApply([T.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8), T.RandomGrayscale(0.2),
                       T.RandomApply([Blur()], p=0.5)])
    tensor = T.Compose([T.ToTensor(), T.Normalize(mean, std)])
    if name == "byol":
        full = T.Compose([weak, addon])
        return lambda img: [tensor(full(img)), tensor(full(img))]
    if name == "rsa":
        def views(img):
            w1, w2 = weak(img), weak(img)
            return [tensor(w1), tensor(w2), tensor(addon(w1)), tensor(addon(w2))]
        return views
    if name == "dssl-imagenet":
        std = T.Compose([weak, addon])
        heavy = T.RandomChoice([T.RandAugment(2, 9)] * 9 + [GridShuffle(4)])
        def views(img):
            x1, x2 = std(img), std(img)
            return [tensor(x1), tensor(x2), tensor(heavy(x1)), tensor(heavy(x2))]
        return views
    raise SystemExit("unknown plan " + name)


def cpu_seconds(pids):
    """User+system CPU seconds of this process and the given worker processes (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in [os.getpid()] + list(pids):
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--plan", default="rsa")
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=20)
    a = ap.parse_args()
    torch.set_num_threads(1)
    ds = datasets.ImageFolder(os.path.join(a.data_dir, "train"), transform=plan(a.plan, a.size))
    dl = torch.utils.data.DataLoader(ds, batch_size=a.batch, shuffle=True, num_workers=a.workers, drop_last=True,
                                     persistent_workers=a.workers > 0)
    images, start, cpu0, pids = 0, None, 0.0, []
    while True:
        it = iter(dl)
        for k, (views, _) in enumerate(it):
            if start is None:  # the first batch warms the workers up
                pids = [w.pid for w in getattr(it, "_workers", [])]
                start = time.perf_counter()
                cpu0 = cpu_seconds(pids)
                continue
            images += views[0].shape[0]
            if time.perf_counter() - start >= a.seconds:
                break
        if start is not None and time.perf_counter() - start >= a.seconds:
            break
    secs = time.perf_counter() - start
    cpu = cpu_seconds(pids) - cpu0
    print(json.dumps({"bench": "torchvision", "plan": a.plan, "size": a.size, "workers": a.workers, "batch": a.batch,
                      "images": images, "seconds": round(secs, 2), "src_img_per_s": round(images / secs, 1),
                      "cpu_seconds": round(cpu, 2), "src_img_per_cpu_s": round(images / cpu, 1) if cpu > 0 else None,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
