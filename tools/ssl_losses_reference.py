#!/usr/bin/python3
"""Reference values for the VICReg, Barlow Twins and MoCo v3 losses (method/VicReg.java,
method/BarlowTwins.java, method/MocoV3.java), written independently of the Java code in float64 NumPy
from the papers' formulas, with gradients by central finite differences.

Run by hand: /usr/bin/python3 tools/ssl_losses_reference.py [OUT.json]
The default output is src/test/resources/ssl_losses/reference.json (checked in, so the suite needs no
Python); SslLossesReferenceTest also runs this script when /usr/bin/python3 has NumPy and compares.
When python3-torch imports, the losses are also computed with torch (float64, autograd) and the script
fails if the two disagree: a cross-check of this reference itself.
"""
import json
import math
import pathlib
import sys

import numpy as np


def fixed(n, d, phase):
    """A deterministic N x d matrix with varied values (no random generator involved)."""
    i = np.arange(n)[:, None]
    j = np.arange(d)[None, :]
    return np.sin(0.7 * i + 1.3 * j + phase) * (1.0 + 0.25 * j) + 0.1 * np.cos(2.1 * i * j + phase)


# ---------------------------------------------------------------- VICReg (Bardes et al. 2022, Algorithm 1)
def vicreg_terms(z1, z2):
    n, d = z1.shape
    inv = np.mean((z1 - z2) ** 2)

    def var_cov(z):
        x = z - z.mean(axis=0)
        std = np.sqrt(x.var(axis=0, ddof=1) + 1e-4)
        v = np.mean(np.maximum(0.0, 1.0 - std))
        cov = x.T @ x / (n - 1)
        off = cov - np.diag(np.diag(cov))
        return v, np.sum(off ** 2) / d

    v1, c1 = var_cov(z1)
    v2, c2 = var_cov(z2)
    return inv, v1 + v2, c1 + c2


def vicreg(z1, z2, lam=25.0, mu=25.0, nu=1.0):
    s, v, c = vicreg_terms(z1, z2)
    return lam * s + mu * v + nu * c


# ---------------------------------------------------------------- Barlow Twins (Zbontar et al. 2021)
def barlow_terms(z1, z2):
    n = z1.shape[0]

    def bn(z):  # BatchNorm1d(affine=False), training mode: biased variance, eps 1e-5
        return (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + 1e-5)

    c = bn(z1).T @ bn(z2) / n
    on = np.sum((np.diag(c) - 1.0) ** 2)
    off = np.sum((c - np.diag(np.diag(c))) ** 2)
    return on, off


def barlow(z1, z2, lam=5e-3):
    on, off = barlow_terms(z1, z2)
    return on + lam * off


# ---------------------------------------------------------------- MoCo v3 (Chen et al. 2021, builder.py)
def normalize(x):
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def moco_ctr(q, k, tau):
    logits = normalize(q) @ normalize(k).T / tau
    m = logits.max(axis=1, keepdims=True)
    lse = np.log(np.exp(logits - m).sum(axis=1)) + m[:, 0]
    ce = np.mean(lse - np.diag(logits))
    return ce * 2 * tau


def mocov3(q1, q2, k1, k2, tau):
    return moco_ctr(q1, k2, tau) + moco_ctr(q2, k1, tau)


def grad_fd(f, x, h=1e-6):
    g = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        xp = x.copy()
        xm = x.copy()
        xp[idx] += h
        xm[idx] -= h
        g[idx] = (f(xp) - f(xm)) / (2 * h)
    return g


def torch_cross_check(cases):
    try:
        import torch
        import torch.nn.functional as F
    except Exception as e:  # noqa: BLE001
        return "torch unavailable: " + str(e).splitlines()[0]
    t = lambda a: torch.tensor(a, dtype=torch.float64)

    def vic(z1, z2):
        x, y = z1, z2
        repr_loss = F.mse_loss(x, y)
        x = x - x.mean(dim=0)
        y = y - y.mean(dim=0)
        std_x = torch.sqrt(x.var(dim=0) + 0.0001)
        std_y = torch.sqrt(y.var(dim=0) + 0.0001)
        std_loss = torch.mean(F.relu(1 - std_x)) + torch.mean(F.relu(1 - std_y))
        n, d = x.shape
        cx = (x.T @ x) / (n - 1)
        cy = (y.T @ y) / (n - 1)
        od = lambda c: c.flatten()[:-1].view(d - 1, d + 1)[:, 1:].flatten()
        cov_loss = od(cx).pow(2).sum() / d + od(cy).pow(2).sum() / d
        return 25 * repr_loss + 25 * std_loss + cov_loss

    def bt(z1, z2):
        n, d = z1.shape
        bn = torch.nn.BatchNorm1d(d, affine=False).double()
        c = bn(z1).T @ bn(z2) / n
        on = torch.diagonal(c).add(-1).pow(2).sum()
        od = c.flatten()[:-1].view(d - 1, d + 1)[:, 1:].flatten()
        return on + 5e-3 * od.pow(2).sum()

    def moco(q, k, tau):
        q = F.normalize(q, dim=1)
        k = F.normalize(k, dim=1)
        logits = q @ k.T / tau
        return F.cross_entropy(logits, torch.arange(q.shape[0])) * (2 * tau)

    c = cases
    checks = [
        (vic(t(c["vicreg"]["z1"]), t(c["vicreg"]["z2"])).item(), c["vicreg"]["total"]),
        (bt(t(c["barlow"]["z1"]), t(c["barlow"]["z2"])).item(), c["barlow"]["total"]),
    ]
    for m in c["mocov3"]:
        checks.append(((moco(t(m["q1"]), t(m["k2"]), m["tau"]) + moco(t(m["q2"]), t(m["k1"]), m["tau"])).item(),
                       m["total"]))
    for got, want in checks:
        if abs(got - want) > 1e-9 * max(1.0, abs(want)):
            raise SystemExit(f"torch cross-check failed: {got} vs {want}")
    return "torch " + torch.__version__ + " agrees to 1e-9"


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else \
        pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/ssl_losses/reference.json"
    z1, z2 = fixed(8, 6, 0.0), fixed(8, 6, 0.4) * 0.5 + 0.2
    # the variance hinge is active for some dimensions only: scale columns apart
    z1 = z1 * np.linspace(0.3, 1.6, 6)[None, :]
    s1, s2 = fixed(4, 3, 0.1), fixed(4, 3, 0.9) * 0.3  # tiny case for the gradients
    s1 = s1 * np.array([0.4, 1.0, 2.0])[None, :]
    vs, vv, vc = vicreg_terms(z1, z2)
    bon, boff = barlow_terms(z1, z2)
    cases = {
        "vicreg": {"z1": z1.tolist(), "z2": z2.tolist(), "invariance": vs, "variance": vv, "covariance": vc,
                   "total": vicreg(z1, z2),
                   "grad": {"z1": s1.tolist(), "z2": s2.tolist(), "total": vicreg(s1, s2),
                            "dz1": grad_fd(lambda x: vicreg(x, s2), s1).tolist(),
                            "dz2": grad_fd(lambda x: vicreg(s1, x), s2).tolist()}},
        "barlow": {"z1": z1.tolist(), "z2": z2.tolist(), "on_diag": bon, "off_diag": boff,
                   "total": barlow(z1, z2),
                   "grad": {"z1": s1.tolist(), "z2": s2.tolist(), "total": barlow(s1, s2),
                            "dz1": grad_fd(lambda x: barlow(x, s2), s1).tolist(),
                            "dz2": grad_fd(lambda x: barlow(s1, x), s2).tolist()}},
        "mocov3": [],
    }
    q1, q2, k1, k2 = fixed(8, 6, 0.0), fixed(8, 6, 1.0), fixed(8, 6, 0.2), fixed(8, 6, 1.1)
    for tau in (1.0, 0.2):
        cases["mocov3"].append({"tau": tau, "q1": q1.tolist(), "q2": q2.tolist(), "k1": k1.tolist(),
                                "k2": k2.tolist(), "total": mocov3(q1, q2, k1, k2, tau),
                                "dq1": grad_fd(lambda x: mocov3(x, q2, k1, k2, tau), q1).tolist()})
    cases["cross_check"] = torch_cross_check(cases)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(cases, indent=1) + "\n")
    print("wrote", out, "|", cases["cross_check"])


if __name__ == "__main__":
    main()
