#!/usr/bin/env bash
# selfsup's GPU check: runs every GPU path of selfsup on this machine's GPU, side by side with a PyTorch
# mirror of the same work (tools/torch_mirror.py on the machine's own PyTorch), and writes the results as
# JSON lines plus one log per stage.
#
# usage: tools/gpu-check.sh [--selfsup CMD] [--python PY] [--out DIR] [--quick] [--stages LIST]
#   --selfsup CMD  the selfsup command (default: ./selfsup; a distribution's bin/selfsup works the same)
#   --python PY    the Python that holds PyTorch + torchvision (default: python3)
#   --out DIR      results folder (default: gpu-check-<date>); it receives results.jsonl (one object per
#                  measurement: what, selfsup, pytorch, unit, plus the settings), summary.txt and logs/
#   --quick        fewer configurations and steps (a smoke run of every path, about 3 minutes)
#   --stages LIST  comma-separated subset of: env,doctor,step,train,augment,epoch,nccl,timm (default: all)
#   --cpu-dry-run  the same script on the CPU at toy sizes (checks the script itself on a machine without GPU)
#
# Needs: an NVIDIA GPU, a CUDA PyTorch that selfsup can load (`selfsup doctor` says whether it can: DJL
# 0.35 bundles a JNI for libtorch 2.7.1 only), and 16 cores for the end-to-end rows. Without a PyTorch
# that imports, the mirror rows are skipped and said so. Every stage runs under a time limit; a stage that
# fails is reported in summary.txt and the others still run. The whole check takes about 6 minutes.
# The timm stage needs timm in PY (tools/timm_load_check.py); without it its row says "skipped" and why.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SELFSUP="./selfsup"; PY="python3"; OUT=""; QUICK=0; STAGES="env,doctor,step,train,augment,epoch,nccl,timm"; DRY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --selfsup) SELFSUP="$2"; shift 2 ;;
    --python) PY="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --cpu-dry-run) DRY=1; QUICK=1; shift ;;
    --stages) STAGES="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-gpu-check-$(date -u +%Y%m%d-%H%M)}"
mkdir -p "$OUT/logs" "$OUT/work" || exit 2
OUT="$(cd "$OUT" && pwd)"; W="$OUT/work"; LOGS="$OUT/logs"; RES="$OUT/results.jsonl"; SUM="$OUT/summary.txt"
: >"$RES"; : >"$SUM"
MIRROR="$here/tools/torch_mirror.py"
export PYTHONUNBUFFERED=1

note() { echo "$*" | tee -a "$SUM"; }
has_stage() { [[ ",$STAGES," == *",$1,"* ]]; }
# last JSON line of a log ("" if none)
last_json() { grep -E '^\{.*\}$' "$1" 2>/dev/null | tail -n 1; }
# one result row: what, selfsup value, pytorch value, unit, settings JSON object
row() {
  "$PY" - "$@" >>"$RES" <<'PYEOF'
import json, sys
what, s, p, unit, settings = sys.argv[1:6]
def num(v):
    try:
        return float(v)
    except ValueError:
        return None
o = {"what": what, "selfsup": num(s), "pytorch": num(p), "unit": unit}
o.update(json.loads(settings or "{}"))
print(json.dumps(o))
PYEOF
}
# field of a JSON line
field() { "$PY" -c 'import json,sys; d=json.loads(sys.argv[1] or "{}"); v=d.get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"; }
# stage NAME SECONDS CMD...: runs CMD with a time limit, logging to logs/NAME.log
stage() {
  local name="$1" limit="$2"; shift 2
  local t0=$SECONDS
  timeout -k 10 "$limit" "$@" >"$LOGS/$name.log" 2>&1
  local rc=$?
  local took=$((SECONDS - t0))
  if [ $rc -eq 0 ]; then echo "ok    $name (${took} s)" >>"$SUM"; else note "FAIL  $name: exit $rc after ${took} s (logs/$name.log)"; tail -n 5 "$LOGS/$name.log" | sed 's/^/      /' >>"$SUM"; fi
  return $rc
}
# device names of the two sides; the dry run shrinks every size (its figures mean nothing)
GPU=gpu; CUDA=cuda; CORES=$(nproc)
if [ $DRY = 1 ]; then GPU=cpu; CUDA=cpu; fi
mirror_ok=0
if [ $DRY = 1 ]; then
  "$PY" -c 'import torch, torchvision' 2>/dev/null && mirror_ok=1
else
  "$PY" -c 'import torch, torchvision; assert torch.cuda.is_available()' 2>/dev/null && mirror_ok=1
fi
[ $mirror_ok = 1 ] || note "note: $PY has no CUDA PyTorch + torchvision: PyTorch columns stay empty"
T_START=$SECONDS

# ---------------------------------------------------------------- env and doctor
if has_stage env; then
  { nvidia-smi; nproc; free -g; "$PY" -c 'import torch,torchvision;print("torch",torch.__version__,"torchvision",torchvision.__version__,"cuda",torch.version.cuda,"cudnn",torch.backends.cudnn.version(),torch.cuda.get_device_name(0))'; $SELFSUP --version; } >"$LOGS/env.log" 2>&1
  note "machine: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1), $CORES cores; $(grep -m1 '^torch' "$LOGS/env.log")"
fi
if has_stage doctor; then
  stage doctor 120 $SELFSUP doctor
  grep -E '^(libtorch|JNI|native symbols|devices|bf16|fp16|channels-last) ' "$LOGS/doctor.log" | sed 's/^/  /' >>"$SUM"
fi

# ---------------------------------------------------------------- the training step, side by side
if has_stage step; then
  if [ $DRY = 1 ]; then
    configs=("rsa resnet18-cifar 4 32" "byol resnet50 2 64"); precs=("fp32" "bf16 cl"); steps=1; warm=1
  elif [ $QUICK = 1 ]; then
    configs=("rsa resnet18-cifar 512 32" "byol resnet50 64 224"); precs=("fp32" "bf16 cl" "fp16"); steps=5; warm=3
  else
    configs=("rsa resnet18-cifar 512 32" "byol resnet18-cifar 512 32" "rsa resnet50 128 224" "byol resnet50 128 224")
    precs=("fp32" "bf16 cl" "fp16"); steps=12; warm=5
  fi
  for c in "${configs[@]}"; do
    read -r method arch batch size <<<"$c"
    for p in "${precs[@]}"; do
      read -r prec cl <<<"$p"
      clflag=""; [ -n "${cl:-}" ] && clflag="--channels-last"
      tag="step-$method-$arch-$prec${cl:+-cl}"
      stage "$tag" 150 $SELFSUP bench step --method "$method" --arch "$arch" --batch "$batch" --size "$size" \
        --device $GPU --precision "$prec" $clflag --warmup $warm --steps $steps
      s="$(last_json "$LOGS/$tag.log")"
      m=""
      if [ $mirror_ok = 1 ]; then
        stage "$tag-torch" 150 "$PY" "$MIRROR" step --method "$method" --arch "$arch" --batch "$batch" --size "$size" \
          --device $CUDA --precision "$prec" $clflag --warmup $warm --steps $steps
        m="$(last_json "$LOGS/$tag-torch.log")"
      fi
      set_json="{\"method\":\"$method\",\"arch\":\"$arch\",\"batch\":$batch,\"size\":$size,\"precision\":\"$prec\",\"channels_last\":$([ -n "$clflag" ] && echo true || echo false)}"
      row "step source img/s" "$(field "$s" src_img_per_s)" "$(field "$m" img_per_s)" "img/s" "$set_json"
      row "step median ms" "$(field "$s" median_ms)" "$(field "$m" ms_per_step)" "ms" "$set_json"
      row "step peak GPU memory" "$(field "$s" peak_device_mem_mb)" "$(field "$m" peak_device_mem_mb)" "MB (device total - free)" "$set_json"
      row "step peak allocator memory" "" "$(field "$m" peak_mem_mb)" "MB (torch.cuda.max_memory_allocated)" "$set_json"
    done
  done
fi

# ---------------------------------------------------------------- a real training: kill -9, resume, probe, eval
if has_stage train; then
  runs="$W/runs"; name=gpu-train
  train=($SELFSUP train --device $GPU --precision bf16 --epochs 4 --knn-every 1 --probe fast --name $name --runs-dir "$runs")
  [ $DRY = 1 ] && train=($SELFSUP train --device cpu --dataset synthetic --arch small --width 8 --batch-size 32 \
    --epochs 2 --knn-every 1 --probe fast --name $name --runs-dir "$runs")
  ( "${train[@]}" >"$LOGS/train-killed.log" 2>&1 & pid=$!
    for _ in $(seq 1 600); do
      [ -f "$runs/$name/checkpoints/last.ckpt" ] && break
      kill -0 $pid 2>/dev/null || break
      sleep 0.2
    done
    if [ -f "$runs/$name/checkpoints/last.ckpt" ] && kill -9 $pid 2>/dev/null; then
      echo "killed with -9 after the first checkpoint" >>"$LOGS/train-killed.log"
    elif kill -9 $pid 2>/dev/null; then
      echo "killed with -9 after 120 s without a checkpoint" >>"$LOGS/train-killed.log"
    else
      echo "ended before it could be killed" >>"$LOGS/train-killed.log"
    fi
    wait $pid 2>/dev/null; true )
  note "train: $(tail -n 1 "$LOGS/train-killed.log")"
  stage train-resumed 300 "${train[@]}"
  grep -E 'resuming|kNN top-1|linear probe|eval:' "$LOGS/train-resumed.log" | sed 's/^/  /' >>"$SUM"
  stage eval-knn 120 $SELFSUP eval knn --checkpoint "$runs/$name/checkpoints/last.ckpt"
  grep -iE 'top-1|top1' "$LOGS/eval-knn.log" | tail -n 2 | sed 's/^/  /' >>"$SUM"
  cp "$runs/$name/metrics.jsonl" "$LOGS/train-metrics.jsonl" 2>/dev/null
fi

# CIFAR-10's binary format, random pixels: the in-memory CIFAR-size data of the end-to-end rows
cifar="$W/cifar-10-batches-bin"
n_cifar=$([ $QUICK = 1 ] && echo 10000 || echo 50000); [ $DRY = 1 ] && n_cifar=500
make_cifar() {
  [ -f "$cifar/test_batch.bin" ] && return 0
  "$PY" - "$cifar" "$n_cifar" <<'PYEOF'
import os, sys, numpy as np
d, n = sys.argv[1], int(sys.argv[2]); os.makedirs(d, exist_ok=True)
rng = np.random.default_rng(0)
per = n // 5
for i in range(1, 7):
    m = per if i < 6 else 1000
    rec = np.empty((m, 3073), np.uint8); rec[:, 0] = rng.integers(0, 10, m); rec[:, 1:] = rng.integers(0, 256, (m, 3072))
    rec.tofile(os.path.join(d, f"data_batch_{i}.bin" if i < 6 else "test_batch.bin"))
open(os.path.join(d, "batches.meta.txt"), "w").write("\n".join("abcdefghij"))
PYEOF
}

# ---------------------------------------------------------------- device augmentation against the CPU plan
if has_stage augment; then
  secs=$([ $QUICK = 1 ] && echo 4 || echo 8)
  ab=512; [ $DRY = 1 ] && ab=32
  stage aug-device 120 $SELFSUP bench device-aug --plan rsa --batch $ab --size 32 --seconds "$secs" --device $GPU
  make_cifar
  stage aug-cpu 120 $SELFSUP bench aug --dataset cifar10 --data-dir "$cifar" --plan rsa --size 32 --threads "$CORES" --batch $ab --seconds "$secs"
  d="$(last_json "$LOGS/aug-device.log")"; c="$(last_json "$LOGS/aug-cpu.log")"
  row "augmentation source img/s, device (selfsup) vs CPU plan (selfsup)" "$(field "$d" src_img_per_s)" "" "img/s" "{\"plan\":\"rsa\",\"size\":32,\"cpu_plan_img_per_s\":$(field "$c" src_img_per_s || echo null)}"
  stage aug-parity 180 $SELFSUP bench device-aug --plan rsa --batch $((ab / 2)) --size 32 --parity --device $GPU
  p="$(last_json "$LOGS/aug-parity.log")"
  [ -n "$p" ] && echo "$p" >>"$RES"
fi

# ---------------------------------------------------------------- the whole loop end to end on 16 cores
if has_stage epoch; then
  make_cifar
  maxs=$([ $QUICK = 1 ] && echo 15 || echo 60); eb=512; [ $DRY = 1 ] && { maxs=3; eb=8; }
  common=(--method rsa --plan rsa --arch resnet18-cifar --batch-size $eb --device $GPU --precision bf16 --channels-last
    --threads "$CORES" --knn-every 0 --probe "" --max-steps "$maxs" --runs-dir "$W/runs" --name epoch)
  stage epoch-cifar 240 $SELFSUP bench epoch --dataset cifar10 --data-dir "$cifar" --image-size 32 "${common[@]}"
  s="$(last_json "$LOGS/epoch-cifar.log")"; m=""
  if [ $mirror_ok = 1 ]; then
    stage epoch-cifar-torch 240 "$PY" "$MIRROR" epoch --data memory-cifar --images "$n_cifar" --plan rsa --method rsa \
      --arch resnet18-cifar --batch $eb --size 32 --workers $((CORES - 1)) --precision bf16 --channels-last \
      --max-steps "$maxs" --device $CUDA
    m="$(last_json "$LOGS/epoch-cifar-torch.log")"
  fi
  set_json="{\"data\":\"CIFAR-size in memory\",\"method\":\"rsa\",\"batch\":512,\"precision\":\"bf16\",\"channels_last\":true,\"cores\":$CORES,\"torch_workers\":$((CORES - 1))}"
  row "epoch source img/s" "$(field "$s" src_img_per_s)" "$(field "$m" img_per_s)" "img/s" "$set_json"
  row "epoch data wait per step" "$(field "$s" wait_ms_per_step)" "$(field "$m" data_wait_ms_per_step)" "ms" "$set_json"

  jpgs="$W/jpegs"
  nj=$([ $QUICK = 1 ] && echo 1000 || echo 4000); [ $DRY = 1 ] && nj=40
  stage generate-jpegs 180 $SELFSUP data generate --out "$jpgs" --images "$nj" --classes 20
  maxj=$([ $QUICK = 1 ] && echo 6 || echo 30); jb=128; js=224; [ $DRY = 1 ] && { maxj=3; jb=4; js=64; }
  common=(--method rsa --plan rsa --arch resnet50 --batch-size $jb --device $GPU --precision bf16 --channels-last
    --threads "$CORES" --knn-every 0 --probe "" --max-steps "$maxj" --runs-dir "$W/runs" --name epoch224)
  stage epoch-jpeg 300 $SELFSUP bench epoch --dataset imagefolder --data-dir "$jpgs" --image-size $js "${common[@]}"
  s="$(last_json "$LOGS/epoch-jpeg.log")"; m=""
  if [ $mirror_ok = 1 ]; then
    stage epoch-jpeg-torch 300 "$PY" "$MIRROR" epoch --data-dir "$jpgs" --plan rsa --method rsa --arch resnet50 \
      --batch $jb --size $js --workers $((CORES - 1)) --precision bf16 --channels-last --max-steps "$maxj" --device $CUDA
    m="$(last_json "$LOGS/epoch-jpeg-torch.log")"
  fi
  set_json="{\"data\":\"folder of ImageNet-like JPEGs at 224\",\"method\":\"rsa\",\"arch\":\"resnet50\",\"batch\":128,\"precision\":\"bf16\",\"channels_last\":true,\"cores\":$CORES}"
  row "epoch source img/s" "$(field "$s" src_img_per_s)" "$(field "$m" img_per_s)" "img/s" "$set_json"
  row "epoch data wait per step" "$(field "$s" wait_ms_per_step)" "$(field "$m" data_wait_ms_per_step)" "ms" "$set_json"
fi

# ---------------------------------------------------------------- NCCL through selfsup launch
if has_stage nccl; then
  backend=nccl; nb=256; [ $DRY = 1 ] && { backend=mpi; nb=4; }
  stage nccl-1rank 180 $SELFSUP launch --nproc-per-node 1 --backend $backend -- bench step --method rsa --arch resnet18-cifar \
    --batch $nb --size 32 --device $GPU --precision bf16 --channels-last --warmup 3 --steps 5
  s="$(last_json "$LOGS/nccl-1rank.log")"
  row "nccl 1 rank step source img/s" "$(field "$s" src_img_per_s)" "" "img/s" "{\"ranks\":1,\"all_reduce_ms\":$(field "$s" all_reduce_ms || echo null)}"
  stage nccl-2ranks-1gpu 180 $SELFSUP launch --nproc-per-node 2 --backend $backend -- bench step \
    --method rsa --arch resnet18-cifar --batch $nb --size 32 --device $GPU --warmup 2 --steps 3
  note "nccl, two ranks on one GPU: $(grep -m1 -iE 'error|img/s|nccl' "$LOGS/nccl-2ranks-1gpu.log" | cut -c1-200)"
fi

# ---------------------------------------------------------------- ViT weights to and from timm
# Three rows, each comparing timm's features with selfsup's on the same seeded PNGs (tools/timm_load_check.py):
#  1. one step of the MoCo v3 ViT-S/16 preset on 8 seeded 224 px PNGs, exported with timm's names, loaded strictly
#     into timm.create_model('vit_small_patch16_224', num_classes=0, num_heads=12);
#  2. one step of rsa-cifar10-vit-t4 with mean pooling on 32 px PNGs, exported, loaded into timm's
#     VisionTransformer(**sidecar["timm"]) (patch 4, img_size 32, global_pool 'avg');
#  3. the other way: a ViT-S/16 made and initialised by timm, saved by torch.save, imported by `selfsup import`.
# `embed` neither resizes nor crops an image of the model's own size.
timm_row() { # name: appends the check's JSON line to the results
  local t; t="$(last_json "$LOGS/$1.log")"
  if [ -n "$t" ]; then
    echo "$t" >>"$RES"
    note "$1: $(echo "$t" | cut -c1-300)"
  else
    row "timm load of selfsup's ViT export" "" "" "relative max |diff|" "{\"error\":\"no result (logs/$1.log)\"}"
  fi
}
if has_stage timm; then
  TIMM="$here/tools/timm_load_check.py"; tdata="$W/timm-data"; tdata32="$W/timm-data32"; truns="$W/runs"
  tprec=fp16; tb=8; [ $DRY = 1 ] && { tprec=fp32; tb=4; }
  tcommon=(--dataset imagefolder --labels none --batch-size $tb --epochs 1 --warmup-epochs 0 --precision $tprec
    --device $GPU --knn-every 0 --probe "" --online-probe false --embedding-map false --tensorboard false
    --runs-dir "$truns")
  stage timm-images 60 "$PY" "$TIMM" images --out "$tdata" --images 8 --size 224
  stage timm-train 300 $SELFSUP train --preset mocov3-imagenet-vit-s16 --data-dir "$tdata" --image-size 224 \
    "${tcommon[@]}" --name timm-vit
  stage timm-export 120 $SELFSUP export --checkpoint "$truns/timm-vit" --format safetensors --out "$W/timm-vit.safetensors"
  stage timm-embed 120 $SELFSUP embed --checkpoint "$truns/timm-vit" --images "$tdata/train" --out "$W/timm-vit.csv"
  stage timm-check 300 "$PY" "$TIMM" check --weights "$W/timm-vit.safetensors" --embeddings "$W/timm-vit.csv" \
    --images 8 --size 224 --model vit_small_patch16_224
  timm_row timm-check

  stage timm-images32 60 "$PY" "$TIMM" images --out "$tdata32" --images 8 --size 32
  stage timm-train-t4 300 $SELFSUP train --preset rsa-cifar10-vit-t4 --pooling mean --data-dir "$tdata32" \
    --image-size 32 "${tcommon[@]}" --name timm-vit-t4
  stage timm-export-t4 120 $SELFSUP export --checkpoint "$truns/timm-vit-t4" --format safetensors \
    --out "$W/timm-vit-t4.safetensors"
  stage timm-embed-t4 120 $SELFSUP embed --checkpoint "$truns/timm-vit-t4" --images "$tdata32/train" \
    --out "$W/timm-vit-t4.csv"
  stage timm-check-t4 300 "$PY" "$TIMM" check --weights "$W/timm-vit-t4.safetensors" \
    --embeddings "$W/timm-vit-t4.csv" --images 8 --size 32
  timm_row timm-check-t4

  stage timm-make 120 "$PY" "$TIMM" make --model vit_small_patch16_224 --out "$W/timm-made.pth"
  if [ -f "$W/timm-made.pth" ]; then # without timm, make says "skipped" and so does the check below
    stage timm-import 120 $SELFSUP import --from "$W/timm-made.pth" --arch vit-small --out "$W/timm-made.safetensors"
    stage timm-import-embed 120 $SELFSUP embed --weights "$W/timm-made.safetensors" --images "$tdata/train" \
      --out "$W/timm-made.csv"
  fi
  stage timm-import-check 300 "$PY" "$TIMM" check --weights "$W/timm-made.pth" --embeddings "$W/timm-made.csv" --images 8 --size 224 --model vit_small_patch16_224
  timm_row timm-import-check
fi

note "total: $((SECONDS - T_START)) s; results: $RES"
