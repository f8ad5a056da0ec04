#!/usr/bin/python3
"""Plain PyTorch + torchvision mirror of selfsup's training step (`selfsup bench step`) and of its
end-to-end training loop (`selfsup bench epoch`), so that both can be timed side by side on the
same GPU. Runs with PyTorch 2.x (e.g. 2.11 + torchvision 0.26 on an H200) and with Debian's
python3-torch 1.13 / torchvision 0.14 on the CPU (`/usr/bin/python3`).

Each run writes ONE JSON line to stdout and a short human line to stderr.
tools/gpu_compare.py joins these lines with selfsup's own (`bench step` / `bench epoch` JSON lines).

step   the training step on synthetic normalised views (mirrors bench/StepBench.java)
  /usr/bin/python3 tools/torch_mirror.py step --method rsa --arch resnet18-cifar --batch 512 --size 32 \
      --precision bf16 --channels-last [--warmup 3 --steps 10] [--device cuda] [--seed 0]
  Timed: per step, from before the views' host-to-device copy to after the read of the loss (as
  StepBench); reports the median (ms_per_step = median_ms), source img/s = batch / median seconds
  (img_per_s = src_img_per_s), and the peak GPU memory of the timed steps (peak_mem_mb:
  torch.cuda.max_memory_allocated after a reset at the end of warm-up; peak_mem_warmup_mb is the peak
  of model set-up + warm-up). selfsup's StepBench reports no GPU memory (only host RSS and live arrays).

epoch  the DataLoader training loop (mirrors bench/EpochBench.java with augment-on cpu)
  /usr/bin/python3 tools/torch_mirror.py epoch --data memory-cifar --images 50000 --plan rsa --workers 15 \
      --batch 512 --size 32 --precision bf16 --channels-last [--max-steps N] [--device cuda]
  /usr/bin/python3 tools/torch_mirror.py epoch --data-dir DIR --plan rsa --size 224 ...
      (DIR/train/CLASS/*.jpg, e.g. written by `selfsup data generate --out DIR`)
  torchvision transforms on PIL images in DataLoader workers (pin_memory on CUDA, non_blocking copies),
  then the same step as `step`, with selfsup's schedules (lr cosine per epoch, EMA tau cosine per step,
  RSA beta per step, K = epochs x floor(N / batch)). Reports, over the timed steps after --warmup (2)
  steps: img_per_s, data_wait_s and data_wait_ms_per_step (time spent in next(iterator)); and with
  selfsup's EpochBench definitions (all steps, the first batch's wait and the worker start-up included):
  src_img_per_s, wait_ms_total, wait_ms_per_step, wait_ms_median, wait_ms_first_step.

params  print the parameter counts of the model (also `--print-params` on step/epoch), with the counts
  selfsup's ModelSize gives for the same arch and method (a port of model/ModelSize.java, which selfsup's
  tests check against a built model), and exit 1 when they differ:
  /usr/bin/python3 tools/torch_mirror.py params --method rsa --arch resnet50

CPU: Debian's torch 1.13 may start with one intra-op thread (torch.get_num_threads() = 1 on a 2-core
machine) where selfsup's libtorch uses one per core; pass --torch-threads N to compare like for like (and
--torch-threads 1 to both on a shared, loaded machine: two OpenMP threads there ran 10x slower than one).

What is mirrored (docs/methods.md; the Java classes named in brackets)
* Backbone [model/ResNet.java]: torchvision resnet18/34/50(zero_init_residual=True), fc = Identity;
  resnet18-cifar replaces conv1 by Conv2d(3, 64, 3, 1, 1, bias=False) and maxpool by Identity (RSA's code).
* Heads [method/Byol.rsaCodeHeads, model/Mlp.java]: projector Linear(D, H) + BN1d + ReLU + Linear(H, O,
  bias=False), predictor the same from O; H/O = 4096/256 for resnet50, 1024/128 otherwise.
* Target [model/SslModel.java]: a copy of backbone + projector, no gradients, BatchNorm in training mode
  (batch statistics, own running statistics); outputs detached.
* EMA [train/Ema.java]: before the forward pass, xi <- tau xi + (1 - tau) theta over parameters only
  (BN buffers are not averaged). bench step: constant tau = ema-base 0.99; epoch: selfsup's cosine tau.
* Loss [method/Rsa.java, method/Byol.java, method/Losses.java]: one forward pass per view (per-view BN
  statistics), in selfsup's order; d(p, z) = 2 - 2 <n(p), n(z)>. RSA: L_aw = d(q1, z2) + d(q2, z1),
  L_aa = d(q1, sg q2) + d(q2, sg q1), loss = mean(L_aw + beta (L_aa - L_aw)), beta = 0.4 (1 + cos(pi k / K)) / 2.
  BYOL: loss = mean(d(q1, t2) + d(q2, t1)). The detached diagnostics selfsup's LossOutput builds every
  step (loss_aw, loss_aa, mean cosines, projection std) are computed too, so the device work matches.
* Optimiser [optim/Sgd.java, cli/BenchStepCommand defaults]: torch.optim.SGD over the online backbone,
  projector and predictor, lr = 0.1 x batch / 256, momentum 0.9, no Nesterov, weight decay 5e-4 on every
  parameter (BN and biases included); PyTorch's default implementation (foreach on CUDA). Then
  zero_grad (set_to_none=True by default; --zero-grad zero zeroes in place as selfsup does).
* Precision [runtime/Autocast.java, runtime/StepPrecision.java]: bf16/fp16 run the network calls under
  torch.autocast (one region over the step's forward part, so the autocast weight cache is shared as in
  selfsup's step region), each
  network output upcast to float32, the loss computed in float32 outside autocast. fp16 adds a GradScaler
  (PyTorch defaults; selfsup's LossScaler has the same semantics).
* channels-last [runtime/Acceleration.java]: model.to(memory_format=torch.channels_last) (selfsup re-lays
  every 4-d parameter, online and target). Inputs are also made channels-last unless
  --weights-only-channels-last, which mirrors selfsup exactly (selfsup uploads NCHW views).
* Views [bench/StepBench.java]: selfsup's bench step keeps B x 3 x S x S standard-normal views per view
  on the HOST and uploads them inside every timed step (a blocking copy from ordinary, unpinned memory),
  so this script does the same: host tensors (unpinned) copied with .to(device) in every timed step.
  --views-on-device keeps them on the device instead (pure compute, no copy).
* View plans [augment/plans/ViewPlans.java, Recipes.java], as tools/bench_torchvision.py: weak =
  RandomResizedCrop(S, scale=(0.2, 1)) + flip; aggressive add-on = RandomApply(ColorJitter(0.4, 0.4,
  0.4, 0.1), 0.8), RandomGrayscale(0.2), RandomApply(PIL GaussianBlur(sigma ~ U(0.1, 2)), 0.5);
  rsa = [w1, w2, add-on(w1), add-on(w2)], byol = [full, full]; ToTensor + Normalize.
"""
import argparse
import contextlib
import copy
import json
import math
import os
import random
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

CIFAR_MEAN, CIFAR_STD = [0.4914, 0.4822, 0.4465], [0.2023, 0.1994, 0.2010]
IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
ARCHS = ("resnet18-cifar", "resnet18", "resnet34", "resnet50")
METHODS = {"rsa": 4, "byol": 2}  # views per source image


# ---------------------------------------------------------------------------------------- model

def backbone(arch):
    """torchvision ResNet as selfsup builds it (model/ResNet.java): N x 3 x H x W -> N x D."""
    name = "resnet18" if arch == "resnet18-cifar" else arch
    m = getattr(torchvision.models, name)(zero_init_residual=True)
    if arch == "resnet18-cifar":
        m.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)  # PyTorch default init
        m.maxpool = nn.Identity()
    dim = m.fc.in_features
    m.fc = nn.Identity()
    return m, dim


def head_sizes(arch):
    """(hidden, out) of RSA's code heads (method/Byol.rsaCodeHeads)."""
    return (4096, 256) if arch == "resnet50" else (1024, 128)


def mlp(d_in, hidden, out):
    return nn.Sequential(nn.Linear(d_in, hidden), nn.BatchNorm1d(hidden), nn.ReLU(inplace=True),
                         nn.Linear(hidden, out, bias=False))


class Nets(nn.Module):
    """Online backbone, projector, predictor and the EMA target (backbone + projector)."""

    def __init__(self, arch):
        super().__init__()
        self.backbone, dim = backbone(arch)
        hidden, out = head_sizes(arch)
        self.projector = mlp(dim, hidden, out)
        self.predictor = mlp(out, hidden, out)
        self.target_backbone = copy.deepcopy(self.backbone)
        self.target_projector = copy.deepcopy(self.projector)
        for p in list(self.target_backbone.parameters()) + list(self.target_projector.parameters()):
            p.requires_grad_(False)

    def online_parameters(self):
        return [p for m in (self.backbone, self.projector, self.predictor) for p in m.parameters()]

    def ema_pairs(self):
        return (list(zip(self.target_backbone.parameters(), self.backbone.parameters()))
                + list(zip(self.target_projector.parameters(), self.projector.parameters())))

    def project(self, x):
        return self.projector(self.backbone(x))

    def predict(self, z):
        return self.predictor(z)

    def target_project(self, x):
        with torch.no_grad():  # frozen parameters, no graph (selfsup: frozen, stopGradient)
            return self.target_projector(self.target_backbone(x)).detach()


def count(params):
    return sum(p.numel() for p in params)


def selfsup_counts(arch):
    """selfsup's model/ModelSize.java (backbone, projector, predictor parameters), ported line by line."""
    cifar, bottleneck = arch == "resnet18-cifar", arch == "resnet50"
    blocks = [2, 2, 2, 2] if arch in ("resnet18", "resnet18-cifar") else [3, 4, 6, 3]
    w, k, exp = 64, 3 if cifar else 7, 4 if bottleneck else 1
    params = 3 * w * k * k + 2 * w
    cin = w
    for stage, n in enumerate(blocks):
        planes = w << stage
        for i in range(n):
            out, strided = planes * exp, stage > 0 and i == 0
            if bottleneck:
                params += cin * planes + 2 * planes + planes * planes * 9 + 2 * planes + planes * out + 2 * out
            else:
                params += cin * planes * 9 + 2 * planes + planes * planes * 9 + 2 * planes
            if strided or cin != out:
                params += cin * out + 2 * out
            cin = out
    dim = w * 8 * exp
    hidden, o = head_sizes(arch)

    def head(d_in):
        return d_in * hidden + hidden + 2 * hidden + hidden * o  # Linear+bias, BN affine, Linear no bias

    return {"backbone": params, "projector": head(dim), "predictor": head(o)}


def param_report(nets, arch):
    ours = {"backbone": count(nets.backbone.parameters()), "projector": count(nets.projector.parameters()),
            "predictor": count(nets.predictor.parameters())}
    ours["online"] = sum(ours.values())
    ours["target"] = count(nets.target_backbone.parameters()) + count(nets.target_projector.parameters())
    ours["online_tensors"] = len(nets.online_parameters())
    ours["ema_tensors"] = len(nets.ema_pairs())
    ref = selfsup_counts(arch)
    ref["online"] = ref["backbone"] + ref["projector"] + ref["predictor"]
    ref["target"] = ref["backbone"] + ref["projector"]
    match = all(ours[k] == ref[k] for k in ref)
    return {"pytorch": ours, "selfsup_modelsize": ref, "match": match}


# ---------------------------------------------------------------------------------------- step

def nmse(p, z):
    """selfsup Losses.normalizedMse: 2 - 2 <n(p), n(z)> per sample (F.normalize eps 1e-12)."""
    c = (F.normalize(p, dim=1) * F.normalize(z, dim=1)).sum(1)
    return 2 - 2 * c


def mean_cosine(a, b):
    return (F.normalize(a.detach(), dim=1) * F.normalize(b.detach(), dim=1)).sum(1).mean()


def projection_std(z):
    n = F.normalize(z.detach(), dim=1)
    return (n - n.mean(0, keepdim=True)).square().mean(0).sqrt().mean()


def rsa_beta(beta0, k, total):
    return beta0 * (1 + math.cos(math.pi * k / total)) / 2


class Step:
    """One training step as selfsup's train/StepRunner.java: EMA (before forward), forward + loss,
    backward (scaled for fp16), optimiser step, zero_grad."""

    def __init__(self, nets, method, device, precision, lr, momentum=0.9, weight_decay=5e-4, beta0=0.4,
                 zero_grad="none", ema_foreach=False):
        self.nets, self.method, self.beta0 = nets, method, beta0
        self.device_type = torch.device(device).type
        self.amp = precision != "fp32"
        self.dtype = torch.bfloat16 if precision == "bf16" else torch.float16
        self.opt = torch.optim.SGD(nets.online_parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay,
                                   nesterov=False)
        self.set_to_none = zero_grad == "none"
        self.pairs = nets.ema_pairs()
        self.ema_t = [t for t, _ in self.pairs]
        self.ema_o = [o for _, o in self.pairs]
        self.ema_foreach = ema_foreach
        self.scaler = None
        if precision == "fp16":
            if hasattr(torch, "amp") and hasattr(torch.amp, "GradScaler"):
                self.scaler = torch.amp.GradScaler(self.device_type)
            elif self.device_type == "cuda":
                self.scaler = torch.cuda.amp.GradScaler()
            else:
                raise SystemExit("fp16 on the CPU needs torch.amp.GradScaler (PyTorch >= 2.3)")
        self.stats = {}

    def forward_region(self):
        return torch.autocast(self.device_type, dtype=self.dtype) if self.amp else contextlib.nullcontext()

    def float32_region(self):
        # nested inside the forward region: autocast off for the loss, the weight cache kept
        return torch.autocast(self.device_type, enabled=False) if self.amp else contextlib.nullcontext()

    @torch.no_grad()
    def ema(self, tau):
        if self.ema_foreach:
            torch._foreach_mul_(self.ema_t, tau)
            torch._foreach_add_(self.ema_t, self.ema_o, alpha=1 - tau)
        else:
            for t, o in self.pairs:
                t.mul_(tau).add_(o, alpha=1 - tau)

    def loss(self, views, k, total):
        n = self.nets
        with self.forward_region():
            if self.method == "rsa":
                w1, w2, a1, a2 = views
                y1 = n.project(a1).float()  # online first, as in RSA's code and selfsup
                y2 = n.project(a2).float()
                q1 = n.predict(y1).float()
                q2 = n.predict(y2).float()
                z1 = n.target_project(w1).float()
                z2 = n.target_project(w2).float()
                with self.float32_region():
                    loss_aw = nmse(q1, z2) + nmse(q2, z1)
                    loss_aa = nmse(q1, q2.detach()) + nmse(q2, q1.detach())
                    beta = rsa_beta(self.beta0, k, total)
                    total_loss = (loss_aw + (loss_aa - loss_aw) * beta).mean()
                    # selfsup's LossOutput: terms, shift and stats, computed (not read) every step
                    self.stats = {"loss_aw": loss_aw.detach().mean(), "loss_aa": loss_aa.detach().mean(),
                                  "cos_a1": mean_cosine(y1, z1), "cos_a2": mean_cosine(y2, z2),
                                  "proj_std": projection_std(y1)}
            else:
                v1, v2 = views
                y1 = n.project(v1).float()
                q1 = n.predict(y1).float()
                q2 = n.predict(n.project(v2).float()).float()
                t1 = n.target_project(v1).float()
                t2 = n.target_project(v2).float()
                with self.float32_region():
                    total_loss = (nmse(q1, t2) + nmse(q2, t1)).mean()
                    self.stats = {"proj_std": projection_std(y1)}
        return total_loss

    def __call__(self, views, k, total, lr, tau):
        self.ema(tau)
        for g in self.opt.param_groups:
            g["lr"] = lr
        loss = self.loss(views, k, total)
        if self.scaler is not None:
            self.scaler.scale(loss).backward()
            self.scaler.step(self.opt)
            self.scaler.update()
        else:
            loss.backward()
            self.opt.step()
        self.opt.zero_grad(set_to_none=self.set_to_none)
        return loss


# ---------------------------------------------------------------------------------------- helpers

def sync(device):
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize(device)


def rss_kib():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def r2(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(x, 2)


def device_info(device):
    d = torch.device(device)
    if d.type == "cuda":
        return "%s (%s)" % (d if d.index is not None else "cuda:%d" % torch.cuda.current_device(),
                            torch.cuda.get_device_name(d))
    return "cpu"


def peak_mb(device):
    if torch.device(device).type != "cuda" or not torch.cuda.is_available():
        return None
    return round(torch.cuda.max_memory_allocated(device) / 2 ** 20, 1)


def device_used_mb(device):
    """GPU memory in use by all processes (total - free, as nvidia-smi and selfsup's peak_device_mem_mb count it)."""
    if torch.device(device).type != "cuda" or not torch.cuda.is_available():
        return None
    free, total = torch.cuda.mem_get_info(device)
    return round((total - free) / 2 ** 20, 1)


def reset_peak(device):
    if torch.device(device).type == "cuda" and torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats(device)


def setup(a, views):
    """Model, step and switches shared by both modes."""
    if a.device == "auto":
        a.device = "cuda" if torch.cuda.is_available() else "cpu"
    if a.device.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit("--device %s: torch %s sees no CUDA device" % (a.device, torch.__version__))
    if a.torch_threads > 0:
        torch.set_num_threads(a.torch_threads)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    if torch.device(a.device).type == "cuda":
        torch.backends.cudnn.benchmark = a.cudnn_benchmark
        if a.tf32:  # selfsup --tf32; off = PyTorch's defaults (as selfsup's off)
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
    nets = Nets(a.arch)
    params = param_report(nets, a.arch)
    if a.print_params:
        print_params(params, a)
    nets = nets.to(a.device)
    if a.channels_last:
        nets = nets.to(memory_format=torch.channels_last)
    nets.train()  # online and target: BatchNorm with batch statistics
    lr = a.lr * a.batch / 256.0  # lr-scaling linear, in floating point
    step = Step(nets, a.method, a.device, a.precision, lr, a.momentum, a.weight_decay, a.beta, a.zero_grad,
                a.ema_foreach)
    return nets, step, lr, params


def print_params(params, a):
    p, s = params["pytorch"], params["selfsup_modelsize"]
    print("params %s %s: backbone %d, projector %d, predictor %d, online %d, target %d (%d online tensors, %d EMA "
          "pairs); selfsup ModelSize: backbone %d, projector %d, predictor %d, online %d -> %s"
          % (a.method, a.arch, p["backbone"], p["projector"], p["predictor"], p["online"], p["target"],
             p["online_tensors"], p["ema_tensors"], s["backbone"], s["projector"], s["predictor"], s["online"],
             "match" if params["match"] else "MISMATCH"), file=sys.stderr)


def common_json(a, what, lr):
    return {"what": what, "bench": what, "method": a.method, "arch": a.arch, "batch": a.batch,
            "views": METHODS[a.method], "size": a.size, "precision": a.precision, "channels_last": a.channels_last,
            "input_channels_last": a.channels_last and not a.weights_only_channels_last, "tf32": a.tf32,
            "cudnn_benchmark": a.cudnn_benchmark, "optimizer": "sgd", "lr": lr, "momentum": a.momentum,
            "weight_decay": a.weight_decay, "zero_grad": a.zero_grad, "ema_foreach": a.ema_foreach,
            "device": device_info(a.device), "torch": torch.__version__,
            "torchvision": torchvision.__version__, "torch_threads": torch.get_num_threads()}


def input_format(a):
    return torch.channels_last if a.channels_last and not a.weights_only_channels_last else torch.contiguous_format


# ---------------------------------------------------------------------------------------- step mode

def run_step(a):
    v = METHODS[a.method]
    nets, step, lr, params = setup(a, v)
    fmt = input_format(a)
    # StepBench.syntheticViews: standard-normal B x 3 x S x S per view, made once on the host
    g = torch.Generator().manual_seed(a.seed)
    host = [torch.randn(a.batch, 3, a.size, a.size, generator=g).contiguous(memory_format=fmt) for _ in range(v)]
    on_device = [h.to(a.device) for h in host] if a.views_on_device else None
    total = a.warmup + a.steps
    tau = a.ema_base  # RunSchedule.constant(lr, ema-base, ...)
    step_ms, loss = [], float("nan")
    peak_warmup = peak_device = None
    for k in range(1, total + 1):
        if k == a.warmup + 1:
            sync(a.device)
            peak_warmup = peak_mb(a.device)
            reset_peak(a.device)
        sync(a.device)
        t0 = time.perf_counter()
        # StepBench.upload: the host views are copied to the device inside every timed step
        views = on_device if on_device is not None else [h.to(a.device, copy=True) for h in host]
        out = step(views, k, total, lr, tau)
        loss = out.item()  # the step's one host sync, as StepBench's loss read
        sync(a.device)
        if k > a.warmup:
            step_ms.append((time.perf_counter() - t0) * 1e3)
        used = device_used_mb(a.device)  # after the step's sync, as StepBench samples it
        if used is not None:
            peak_device = max(peak_device or 0, used)
    med = median(step_ms)
    o = common_json(a, "step", lr)
    o.update({"warmup": a.warmup, "steps": a.steps, "upload_each_step": not a.views_on_device,
              "ema_base": a.ema_base, "ms_per_step": r2(med), "median_ms": r2(med),
              "img_per_s": r2(a.batch * 1000.0 / med), "src_img_per_s": r2(a.batch * 1000.0 / med),
              "step_ms": [r2(t) for t in step_ms], "peak_mem_mb": peak_mb(a.device),
              "peak_device_mem_mb": peak_device,
              "peak_mem_warmup_mb": peak_warmup, "peak_mem_note": "max_memory_allocated over the timed steps "
              "(reset after warm-up); peak_mem_warmup_mb: set-up + warm-up", "rss_end_kib": rss_kib(),
              "last_loss": loss, "params_online": params["pytorch"]["online"], "params_match_selfsup": params["match"]})
    print("torch_mirror step: %s %s batch %d x %d views %dx%d %s%s on %s: median %.1f ms, %.1f src img/s, peak %s MiB, "
          "loss %.4f" % (a.method, a.arch, a.batch, v, a.size, a.size, a.precision,
                         " channels-last" if a.channels_last else "", o["device"], med, a.batch * 1000.0 / med,
                         o["peak_mem_mb"], loss), file=sys.stderr)
    print(json.dumps(o))


# ---------------------------------------------------------------------------------------- epoch mode

def view_plan(name, size, mean, std):
    """selfsup's rsa/byol view plans in torchvision: the same definitions bench_torchvision.py times."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import bench_torchvision
    if name not in ("rsa", "byol"):
        raise SystemExit("unknown plan " + name)
    return bench_torchvision.plan(name, size, mean, std)


class MemoryCifar(torch.utils.data.Dataset):
    """N CIFAR-like 32 x 32 RGB uint8 images in memory (smooth colour fields plus noise), served as PIL
    images like torchvision.datasets.CIFAR10."""

    def __init__(self, n, transform, seed=0):
        g = torch.Generator().manual_seed(seed)
        chunks = []
        for s in range(0, n, 4096):
            m = min(4096, n - s)
            coarse = torch.randint(0, 256, (m, 3, 4, 4), generator=g, dtype=torch.uint8).float()
            smooth = F.interpolate(coarse, size=(32, 32), mode="bilinear", align_corners=False)
            noise = torch.randn(m, 3, 32, 32, generator=g) * 12
            chunks.append((smooth + noise).clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).contiguous())
        self.data = torch.cat(chunks).numpy()
        self.transform = transform

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        from PIL import Image
        return self.transform(Image.fromarray(self.data[i])), 0


def run_epoch(a):
    if a.plan is None:
        a.plan = a.method
    if a.method is None:
        a.method = a.plan
    if METHODS[a.method] != len(view_names(a.plan)):
        raise SystemExit("--method %s reads %d views; plan %s makes %d" % (a.method, METHODS[a.method], a.plan,
                                                                            len(view_names(a.plan))))
    v = METHODS[a.method]
    nets, step, base_lr, params = setup(a, v)
    fmt = input_format(a)
    cuda = torch.device(a.device).type == "cuda"
    if a.data_dir:
        ds = torchvision.datasets.ImageFolder(os.path.join(a.data_dir, "train"),
                                              transform=view_plan(a.plan, a.size, IMAGENET_MEAN, IMAGENET_STD))
        data_name = "imagefolder:" + a.data_dir
    else:
        ds = MemoryCifar(a.images, view_plan(a.plan, a.size, CIFAR_MEAN, CIFAR_STD), a.seed)
        data_name = "memory-cifar"
    kw = {"persistent_workers": True} if a.workers > 0 else {}
    if a.workers > 0 and a.prefetch_factor > 0:
        kw["prefetch_factor"] = a.prefetch_factor
    loader = torch.utils.data.DataLoader(ds, batch_size=a.batch, shuffle=True, num_workers=a.workers,
                                         pin_memory=cuda, drop_last=True, **kw)
    steps_per_epoch = len(ds) // a.batch
    if steps_per_epoch == 0:
        raise SystemExit("--batch %d is larger than the data set (%d images)" % (a.batch, len(ds)))
    total = a.epochs * steps_per_epoch  # K of the schedules (selfsup: epochs x floor(N / B))
    limit = min(a.max_steps, total) if a.max_steps > 0 else total
    if a.warmup < 0 or limit <= a.warmup:
        raise SystemExit("need more steps (%d) than --warmup (%d)" % (limit, a.warmup))
    waits, loss, k = [], float("nan"), 0
    peak_warmup = None
    start = time.perf_counter()  # as EpochBench: the first batch's wait (and here the workers' start) included
    t_warm = start  # --warmup 0: the timed window is every step
    for epoch in range(a.epochs):
        if k >= limit:
            break
        lr = base_lr * 0.5 * (1 + math.cos(math.pi * epoch / a.epochs))  # cosine-epoch
        it = iter(loader)
        for _ in range(steps_per_epoch):
            if k >= limit:
                break
            t0 = time.perf_counter()
            views, _ = next(it)
            waits.append(time.perf_counter() - t0)
            views = [x.to(a.device, non_blocking=cuda, memory_format=fmt) for x in views]
            k += 1
            tau = 1 - (1 - a.ema_base) * (1 + math.cos(math.pi * k / total)) / 2  # ema-schedule cosine
            out = step(views, k, total, lr, tau)
            if k == a.warmup:
                loss = out.item()  # sync so the timed window starts with an empty queue
                sync(a.device)
                peak_warmup = peak_mb(a.device)
                reset_peak(a.device)
                t_warm = time.perf_counter()
        del it
    loss = out.item()  # the one sync at the end, as EpochBench's last-loss read
    sync(a.device)
    end = time.perf_counter()
    timed = k - a.warmup
    timed_waits = waits[a.warmup:]
    o = common_json(a, "epoch", base_lr)
    o.update({"plan": a.plan, "data": data_name, "dataset": data_name, "images": len(ds), "workers": a.workers,
              "pin_memory": cuda, "epochs": a.epochs, "steps_per_epoch": steps_per_epoch, "warmup": a.warmup,
              "steps": timed, "steps_total": k,
              "img_per_s": r2(timed * a.batch / (end - t_warm)),
              "data_wait_s": round(sum(timed_waits), 4),
              "data_wait_ms_per_step": r2(1e3 * sum(timed_waits) / timed),
              # selfsup EpochBench definitions: every step, from before the first batch to the last loss read
              "seconds": r2(end - start), "src_img_per_s": r2(k * a.batch / (end - start)),
              "wait_ms_total": r2(1e3 * sum(waits)), "wait_ms_per_step": r2(1e3 * sum(waits) / k),
              "wait_ms_median": r2(1e3 * median(waits)), "wait_ms_first_step": r2(1e3 * waits[0]),
              "peak_mem_mb": peak_mb(a.device), "peak_mem_warmup_mb": peak_warmup,
              "rss_end_kib": rss_kib(), "last_loss": loss, "params_online": params["pytorch"]["online"],
              "params_match_selfsup": params["match"]})
    print("torch_mirror epoch: %s %s plan %s on %s (%d images), batch %d, %d workers, %s%s on %s: %d+%d steps, "
          "%.1f src img/s after warm-up (%.1f over all steps), waited %.2f ms/step for data"
          % (a.method, a.arch, a.plan, data_name, len(ds), a.batch, a.workers, a.precision,
             " channels-last" if a.channels_last else "", o["device"], a.warmup, timed, o["img_per_s"],
             o["src_img_per_s"], o["data_wait_ms_per_step"]), file=sys.stderr)
    print(json.dumps(o))


def view_names(plan):
    return {"rsa": ["w1", "w2", "a1", "a2"], "byol": ["v1", "v2"]}[plan]


# ---------------------------------------------------------------------------------------- CLI

def add_common(p, method_default="rsa"):
    p.add_argument("--method", choices=sorted(METHODS), default=method_default)
    p.add_argument("--arch", choices=ARCHS, default="resnet18-cifar")
    p.add_argument("--batch", type=int, default=64, help="source images per step")
    p.add_argument("--size", type=int, default=32, help="view side in pixels")
    p.add_argument("--precision", choices=("fp32", "bf16", "fp16"), default="fp32")
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--weights-only-channels-last", action="store_true",
                   help="with --channels-last: keep the inputs NCHW (exactly what selfsup does)")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tf32", action="store_true", help="allow TF32 in float32 matmuls and convolutions")
    p.add_argument("--cudnn-benchmark", action="store_true")
    p.add_argument("--torch-threads", type=int, default=0, help="0 = PyTorch's default")
    p.add_argument("--lr", type=float, default=0.1, help="base lr, scaled by batch / 256")
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--ema-base", type=float, default=0.99)
    p.add_argument("--beta", type=float, default=0.4, help="RSA beta0")
    p.add_argument("--zero-grad", choices=("none", "zero"), default="none",
                   help="none: zero_grad(set_to_none=True) (PyTorch 2.x default); zero: in place, as selfsup")
    p.add_argument("--ema-foreach", action="store_true", help="EMA with torch._foreach ops instead of a loop")
    p.add_argument("--print-params", action="store_true", help="print parameter counts to stderr")


def main():
    ap = argparse.ArgumentParser(description="PyTorch mirror of selfsup bench step / bench epoch (see the docstring).")
    sub = ap.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("step", help="training step on synthetic views (selfsup bench step)")
    add_common(s)
    s.add_argument("--warmup", type=int, default=3)
    s.add_argument("--steps", type=int, default=10)
    s.add_argument("--views-on-device", action="store_true",
                   help="keep the synthetic views on the device (selfsup uploads them every step)")
    e = sub.add_parser("epoch", help="DataLoader training loop (selfsup bench epoch)")
    add_common(e, method_default=None)
    e.add_argument("--plan", choices=("rsa", "byol"), default=None, help="view plan (default: the method's)")
    src = e.add_mutually_exclusive_group()
    src.add_argument("--data", choices=("memory-cifar",), default="memory-cifar")
    src.add_argument("--data-dir", help="image folder DIR with DIR/train/CLASS/*.jpg")
    e.add_argument("--images", type=int, default=50000, help="memory-cifar: number of images")
    e.add_argument("--workers", type=int, default=15)
    e.add_argument("--prefetch-factor", type=int, default=0, help="DataLoader prefetch_factor (0 = its default)")
    e.add_argument("--epochs", type=int, default=1)
    e.add_argument("--max-steps", type=int, default=0, help="stop after N steps (0 = all epochs)")
    e.add_argument("--warmup", type=int, default=2, help="untimed steps before img_per_s and data_wait_*")
    e.set_defaults(batch=512)
    pp = sub.add_parser("params", help="parameter counts, checked against selfsup's ModelSize")
    pp.add_argument("--method", choices=sorted(METHODS), default="rsa")
    pp.add_argument("--arch", choices=ARCHS, default="resnet18-cifar")
    a = ap.parse_args()
    if a.mode == "params":
        r = param_report(Nets(a.arch), a.arch)
        a.print_params = True
        print_params(r, a)
        print(json.dumps(dict(what="params", method=a.method, arch=a.arch, torch=torch.__version__, **r)))
        sys.exit(0 if r["match"] else 1)
    if a.batch < 2:
        raise SystemExit("--batch must be >= 2 (BatchNorm needs two samples)")
    if a.mode == "step":
        run_step(a)
    else:
        if a.method is None and a.plan is None:
            a.method = a.plan = "rsa"
        run_epoch(a)


if __name__ == "__main__":
    main()
