#!/usr/bin/python3
"""Joins selfsup's benchmark JSON lines with tools/torch_mirror.py's, one output JSON line per metric.

  python3 tools/gpu_compare.py SELFSUP_FILE MIRROR_FILE [--table]

SELFSUP_FILE holds the output of `selfsup bench step ...` and/or `selfsup bench epoch ...` (their table
lines are skipped: only lines that parse as JSON objects with "bench" = step|epoch are read);
MIRROR_FILE holds the JSON lines of `tools/torch_mirror.py step|epoch ...` (they carry a "torch" key).
Both files may hold many runs. Runs are matched on their settings:
  step:  method, arch, batch, views, size, precision, channels_last
  epoch: method, arch, plan, batch, precision, channels_last (selfsup's epoch line has no view size; the
         mirror's size is copied into the row)
Repeated runs with the same settings are reduced to the median of each metric (n_selfsup / n_pytorch
say how many). Each output row:
  {"what": "step median ms", "selfsup": 12.3, "pytorch": 10.1, "unit": "ms", "ratio": 1.22,
   "better": "lower", <the settings>, "n_selfsup": 1, "n_pytorch": 1}
ratio = selfsup / pytorch. Metrics (both sides use the same definitions):
  step:  median_ms (ms), src_img_per_s (img/s), rss_end_kib (KiB), peak_mem_mb (MiB; selfsup prints none,
         so its value is null)
  epoch: src_img_per_s (all steps, first wait included), seconds, wait_ms_total, wait_ms_per_step,
         wait_ms_median, wait_ms_first_step, and the mirror-only img_per_s / data_wait_ms_per_step of its
         timed steps after warm-up (selfsup null)
Settings present in only one file are listed on stderr as unmatched.
"""
import argparse
import json
import statistics
import sys

KEYS = {"step": ("method", "arch", "batch", "views", "size", "precision", "channels_last"),
        "epoch": ("method", "arch", "plan", "batch", "precision", "channels_last")}
METRICS = {
    "step": [("median_ms", "step median ms", "ms", "lower"),
             ("src_img_per_s", "step source img/s", "img/s", "higher"),
             ("rss_end_kib", "step host RSS at end", "KiB", "lower"),
             ("peak_mem_mb", "step peak GPU memory (timed steps)", "MiB", "lower")],
    "epoch": [("src_img_per_s", "epoch source img/s (all steps)", "img/s", "higher"),
              ("seconds", "epoch wall time (all steps)", "s", "lower"),
              ("wait_ms_total", "epoch data wait total (all steps)", "ms", "lower"),
              ("wait_ms_per_step", "epoch data wait mean per step (all steps)", "ms", "lower"),
              ("wait_ms_median", "epoch data wait median per step", "ms", "lower"),
              ("wait_ms_first_step", "epoch data wait for the first batch", "ms", "lower"),
              ("img_per_s", "epoch source img/s after warm-up", "img/s", "higher"),
              ("data_wait_ms_per_step", "epoch data wait per step after warm-up", "ms", "lower")],
}


def read(path, mirror):
    runs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                o = json.loads(line)
            except ValueError:
                continue
            kind = o.get("what", o.get("bench"))
            if kind not in KEYS or ("torch" in o) != mirror:
                continue
            runs.append((kind, o))
    return runs


def group(runs):
    out = {}
    for kind, o in runs:
        if kind == "step" and "views" not in o:
            o = dict(o, views=None)
        key = (kind,) + tuple(o.get(k) for k in KEYS[kind])
        out.setdefault(key, []).append(o)
    return out


def med(objs, field):
    vals = [o[field] for o in objs if isinstance(o.get(field), (int, float)) and not isinstance(o.get(field), bool)]
    return statistics.median(vals) if vals else None


def main():
    ap = argparse.ArgumentParser(description="join selfsup and torch_mirror benchmark JSON lines")
    ap.add_argument("selfsup")
    ap.add_argument("pytorch")
    ap.add_argument("--table", action="store_true", help="also print a table to stderr")
    a = ap.parse_args()
    ours, theirs = group(read(a.selfsup, False)), group(read(a.pytorch, True))
    rows = []
    for key in sorted(set(ours) & set(theirs), key=str):
        kind = key[0]
        s, p = ours[key], theirs[key]
        settings = dict(zip(KEYS[kind], key[1:]))
        settings["size"] = settings.get("size", p[0].get("size"))
        settings["selfsup_device"] = s[-1].get("device")
        settings["pytorch_device"] = p[-1].get("device")
        settings["torch"] = p[-1].get("torch")
        for field, what, unit, better in METRICS[kind]:
            sv, pv = med(s, field), med(p, field)
            if sv is None and pv is None:
                continue
            ratio = round(sv / pv, 3) if sv is not None and pv else None
            row = {"what": what, "selfsup": sv, "pytorch": pv, "unit": unit, "ratio": ratio, "better": better}
            row.update(settings)
            row.update({"n_selfsup": len(s), "n_pytorch": len(p)})
            rows.append(row)
            print(json.dumps(row))
    for label, only in (("selfsup", set(ours) - set(theirs)), ("pytorch", set(theirs) - set(ours))):
        for key in sorted(only, key=str):
            print("unmatched %s run: %s" % (label, dict(zip(("what",) + KEYS[key[0]], key))), file=sys.stderr)
    if a.table:
        for r in rows:
            print("%-46s %-14s b%-5s s%-4s %-5s%s  selfsup %10s  pytorch %10s %-6s ratio %s"
                  % (r["what"], r["method"] + "/" + r["arch"], r["batch"], r["size"], r["precision"],
                     " cl" if r["channels_last"] else "   ", r["selfsup"], r["pytorch"], r["unit"], r["ratio"]),
                  file=sys.stderr)
    if not rows:
        print("no run matched", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
