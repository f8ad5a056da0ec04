# shellcheck shell=bash
# selfsup-env.sh: the environment the selfsup CLI runs in, shared by the source-tree launcher ./selfsup and
# the distribution's bin/selfsup (which ships this file as lib/selfsup-env.sh). Sourcing it only defines
# functions; nothing is set or printed until a launcher calls them, in this order:
#
#   selfsup_offline_env                       export DJL_OFFLINE (default true), OPT_OUT_TRACKING=true and
#                                             UCX_ERROR_SIGNALS (default empty)
#   configure_torch                           the GPU set-up: PYTORCH_* and LD_LIBRARY_PATH (see below)
#   if selfsup_print_env; then exit 0; fi     SELFSUP_PRINT_ENV=1: print what configure_torch chose
#   selfsup_java_opts "$@"                    set java_opts (default heap, by the command's data, and JVM options)
#   if selfsup_print_java_opts; then exit 0; fi   SELFSUP_PRINT_JAVA_OPTS=1: print java_opts
#   selfsup_utf8_locale                       LC_ALL=C.UTF-8 when the locale is not UTF-8
#
# Environment read: SELFSUP_TORCH, SELFSUP_TORCH_SITES, SELFSUP_PRINT_ENV, SELFSUP_HEAP, SELFSUP_JAVA_OPTS,
# SELFSUP_PRINT_JAVA_OPTS, PYTORCH_LIBRARY_PATH, VIRTUAL_ENV, CONDA_PREFIX, DJL_OFFLINE (see ./selfsup's header).

# Offline by default: no model-zoo or native download, no telemetry call at engine start-up.
selfsup_offline_env() {
  export DJL_OFFLINE="${DJL_OFFLINE:-true}"
  export OPT_OUT_TRACKING=true
  # Open MPI's UCX transport installs a SIGSEGV handler that takes the JVM's own (implicit null checks) for
  # crashes and kills the rank ("Caught signal 11" in libucs): off unless set (also for mpirun ./selfsup ...)
  [ -n "${UCX_ERROR_SIGNALS+x}" ] || export UCX_ERROR_SIGNALS=""
}

# GPU set-up. DJL needs a JNI built for the exact libtorch it loads; DJL 0.35 bundles one (cu128 flavour)
# for libtorch 2.7.1, e.g. pip's torch==2.7.1. Unless PYTORCH_LIBRARY_PATH is already set, look for a CUDA
# PyTorch (the same rule as `selfsup doctor`: torch/lib holds libtorch_cuda.so, and torch/version.py says
# 2.7.1 or a DJL 0.35.0 JNI built for its version is in torch/lib or in DJL's cache under
# pytorch/<version>-<flavour>-linux-x86_64/) and point DJL at it; put the CUDA libraries beside it (pip:
# site-packages/nvidia/*/lib, e.g. nvidia/cu13/lib or nvidia/cuda_runtime/lib; conda: the environment's lib)
# on LD_LIBRARY_PATH, where DJL and NCCL look for libcudart. Nothing is set on a machine without one (the
# bundled CPU libtorch).
torch_sites() {
  if [ -n "${SELFSUP_TORCH_SITES:-}" ]; then
    tr ':' '\n' <<<"$SELFSUP_TORCH_SITES"
    return
  fi
  local prefixes=() p d py
  [ -n "${VIRTUAL_ENV:-}" ] && prefixes+=("$VIRTUAL_ENV")
  [ -n "${CONDA_PREFIX:-}" ] && prefixes+=("$CONDA_PREFIX")
  # the environment of the python3 on PATH (a virtualenv that is not activated; nothing is run)
  py="$(command -v python3 2>/dev/null || true)"
  [ -n "$py" ] && prefixes+=("$(cd "$(dirname "$py")/.." 2>/dev/null && pwd)")
  prefixes+=("$HOME/.local")
  for d in "$HOME"/.pyenv/versions/*/; do [ -d "$d" ] && prefixes+=("${d%/}"); done
  prefixes+=(/usr/local /usr)
  for p in "${prefixes[@]}"; do
    for d in "$p"/lib/python3*/; do
      [ -d "$d" ] && printf '%s\n' "${d%/}/site-packages" "${d%/}/dist-packages"
    done
  done
  echo /usr/lib/python3/dist-packages
}
configure_torch() {
  [ -n "${PYTORCH_LIBRARY_PATH:-}" ] && return 0
  [ "${SELFSUP_TORCH:-auto}" = "off" ] && return 0
  local site version base flavor cuda cache nv d envlib f
  cache="${ENGINE_CACHE_DIR:-${DJL_CACHE_DIR:-$HOME/.djl.ai}}/pytorch"
  while IFS= read -r site; do
    [ -f "$site/torch/version.py" ] || continue
    [ -f "$site/torch/lib/libtorch_cuda.so" ] || continue
    version="$(sed -n "s/^__version__ *= *['\"]\([^'\"]*\)['\"].*/\1/p" "$site/torch/version.py" | head -n 1)"
    base="${version%%+*}"
    if [ "$base" = 2.7.1 ]; then
      flavor=cu128 # the only flavour of DJL's bundled CUDA JNI
    else
      case "$version" in *+cu*) flavor="${version#*+}" ;; *)
        cuda="$(sed -n "s/^cuda *\(: *[^=]*\)\?= *['\"]\([^'\"]*\)['\"].*/\2/p" "$site/torch/version.py" | head -n 1)"
        flavor="cu${cuda//./}" ;;
      esac
      [ -f "$site/torch/lib/0.35.0-libdjl_torch.so" ] || [ -f "$site/torch/lib/libdjl_torch.so" ] \
        || [ -f "$cache/$base-$flavor-linux-x86_64/0.35.0-libdjl_torch.so" ] || continue
    fi
    export PYTORCH_LIBRARY_PATH="$site/torch/lib" PYTORCH_VERSION="$base" PYTORCH_FLAVOR="$flavor"
    nv=""
    for d in "$site"/nvidia/*/lib; do [ -d "$d" ] && nv="${nv:+$nv:}$d"; done
    envlib="$(dirname "$(dirname "$site")")" # conda: <env>/lib/python3.X/site-packages -> <env>/lib
    if [ "$(basename "$envlib")" = lib ]; then
      for f in "$envlib"/libcudart.so*; do [ -e "$f" ] && { nv="${nv:+$nv:}$envlib"; break; }; done
    fi
    [ -n "$nv" ] && export LD_LIBRARY_PATH="$nv${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    return 0
  done < <(torch_sites)
}

# SELFSUP_PRINT_ENV set: prints the PyTorch environment chosen and returns 0 (the launcher then exits 0);
# otherwise prints nothing and returns 1.
selfsup_print_env() {
  [ -n "${SELFSUP_PRINT_ENV:-}" ] || return 1
  local k
  for k in PYTORCH_LIBRARY_PATH PYTORCH_VERSION PYTORCH_FLAVOR LD_LIBRARY_PATH; do
    printf '%s=%s\n' "$k" "${!k:-}"
  done
  return 0
}

# Default Java heap: half of the memory (the container's limit when it is lower than the RAM), at most 8g,
# at least 256m. The heap holds the decoded data set (uint8 images; STL-10's 105k images are 2.9 GB) and the
# metrics; the tensors live in native memory OUTSIDE the heap, so the heap must leave room for them — a
# larger heap only postpones garbage collection and lets the process outgrow the machine.
default_heap() {
  local kb="" limit="" bytes=""
  if [ -r /proc/meminfo ]; then
    kb="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
  elif bytes="$(sysctl -n hw.memsize 2>/dev/null)"; then
    kb=$((bytes / 1024))
  fi
  for f in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
    if [ -r "$f" ]; then limit="$(cat "$f")"; break; fi
  done
  if [[ "$limit" =~ ^[0-9]+$ ]] && { [ -z "$kb" ] || [ $((limit / 1024)) -lt "$kb" ]; }; then
    kb=$((limit / 1024))
  fi
  [[ "$kb" =~ ^[0-9]+$ ]] || return 1
  local mb=$((kb / 2048))
  (( mb > 8192 )) && mb=8192
  (( mb < 256 )) && mb=256
  echo "${mb}m"
}

# The default heap for small work: the built-in Fashion-MNIST subset, (Fashion-)MNIST, CIFAR and synthetic
# data hold at most ~200 MB of pixels. The parallel collector grows its young generation to whatever -Xmx
# allows, so the demo with an 8 GB ceiling peaked at 3.5 GB resident; 2 GB keeps it near its need.
SELFSUP_SMALL_HEAP_MB=2048

# Whether the command's arguments (or the --config file, or the configuration saved in a --checkpoint run
# folder they name) mention a data set held or evaluated at scale: STL-10 (2.9 GB of pixels), Tiny ImageNet
# (1.2 GB), ImageNet presets, image folders, list files and shards (kNN banks and probe features of many
# images). Those keep the large default heap.
selfsup_large_work() {
  local a prev="" f
  local words='stl10|tinyimagenet|imagenet|imagefolder|listfile|shards'
  for a in "$@"; do
    if [[ "$a" =~ $words ]]; then return 0; fi
    f=""
    case "$prev" in --config | --checkpoint) f="$a" ;; esac
    case "$a" in --config=* | --checkpoint=*) f="${a#*=}" ;; esac
    if [ -n "$f" ]; then
      for c in "$f" "$f/config.yaml" "$(dirname "$(dirname "$f")")/config.yaml"; do
        if [ -f "$c" ] && grep -qiE "$words" "$c" 2>/dev/null; then return 0; fi
      done
    fi
    prev="$a"
  done
  return 1
}

# Sets java_opts from the command's arguments ("$@"): SELFSUP_JAVA_OPTS when set (it replaces all defaults),
# else the default heap (SELFSUP_HEAP; else default_heap for large work, see selfsup_large_work, and at most
# SELFSUP_SMALL_HEAP_MB otherwise), the parallel GC and native access.
selfsup_java_opts() {
  local heap default_opts mb
  heap="${SELFSUP_HEAP:-$(default_heap || true)}"
  if [ -z "${SELFSUP_HEAP:-}" ] && [[ "$heap" =~ ^([0-9]+)m$ ]]; then
    mb="${BASH_REMATCH[1]}"
    if (( mb > SELFSUP_SMALL_HEAP_MB )) && ! selfsup_large_work "$@"; then heap="${SELFSUP_SMALL_HEAP_MB}m"; fi
  fi
  if [ -n "$heap" ]; then
    default_opts="-Xmx$heap -XX:+UseParallelGC"
  else
    default_opts="-XX:MaxRAMPercentage=50 -XX:+UseParallelGC" # memory size unknown: let the JVM take half
  fi
  # JNA (libtorch's C shim, MPI, NCCL, libjpeg-turbo) loads native code: say so, or Java 22+ warns at start.
  default_opts="$default_opts --enable-native-access=ALL-UNNAMED"
  java_opts="${SELFSUP_JAVA_OPTS:-$default_opts}"
}

# SELFSUP_PRINT_JAVA_OPTS set: prints java_opts and returns 0 (the launcher then exits 0); otherwise returns 1.
selfsup_print_java_opts() {
  [ -n "${SELFSUP_PRINT_JAVA_OPTS:-}" ] || return 1
  echo "$java_opts"
}

# File names: the JVM encodes path names with the locale's character set; under LANG=C (ASCII) a non-ASCII
# name from a list file cannot be opened. Run under a UTF-8 locale when the current one is not.
selfsup_utf8_locale() {
  case "$(locale charmap 2>/dev/null || true)" in
    UTF-8 | utf-8 | utf8) ;;
    *) if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then export LC_ALL=C.UTF-8; fi ;;
  esac
}
