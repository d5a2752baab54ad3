#!/usr/bin/env bash
# Start-up benchmark: whole-process wall time of bin/avps and bin/avps-lsp as a user runs them.
#   generator/bench/startup.sh [RUNS]        (default 5; run after ./mvnw -B package -pl generator -am)
# Three configurations, interleaved run by run so a change in machine load hits all alike:
#   17-nocache  AVPS_JAVA=java AVPS_CACHE=off  (the launcher as it was: JDK 17, no cache)
#   17-cds      AVPS_JAVA=java                 (JDK 17 with its CDS archive)
#   default     what bin/avps picks            (JDK 25 with its AOT cache when installed)
# Workloads: `generate -t all` over the whole catalog into an empty directory; `check` of one
# file; the language server's first diagnostics for a file opened right after `initialize`
# (time from process start, and from didOpen). One untimed warm-up per configuration and workload
# first (it also makes the caches). Prints min / median / max in ms and the load average; with
# GNU time installed also the CPU time (user + sys) of the same runs, which depends far less on
# what else the machine is doing than wall time does.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-5}"
catalog="$root/spec-models/src/main/avps"
one="$catalog/virtio/blk.avps"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. "$root/bin/lib/lsp-session.sh"
mkdir -p "$work/ws" && cp "$one" "$work/ws/"
configs=(17-nocache 17-cds default)

with_config() { # $1 = configuration, rest = command
  case "$1" in
    17-nocache) AVPS_JAVA=java AVPS_CACHE=off "${@:2}" ;;
    17-cds) AVPS_JAVA=java "${@:2}" ;;
    default) "${@:2}" ;;
  esac
}
gnu_time=""
[[ -x /usr/bin/time ]] && /usr/bin/time -f '%U' -o /dev/null true 2>/dev/null && gnu_time=/usr/bin/time
timed() { # runs a command, CPU seconds (user + sys) into $work/cpu when GNU time is there
  if [[ -n "$gnu_time" ]]; then "$gnu_time" -f '%U %S' -o "$work/cpu" "$@"; else "$@"; fi
}
cpu_ms() { [[ -s "$work/cpu" ]] && awk '{printf "%d", ($1 + $2) * 1000}' "$work/cpu" || echo -1; }
ms_of() { # wall ms and CPU ms of a command
  local t0 t1; rm -f "$work/cpu"
  t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
  echo "$(((t1 - t0) / 1000000)) $(cpu_ms)"
}
generate() { rm -rf "$work/out"; timed "$root/bin/avps" generate --no-warnings -t all -o "$work/out" "$catalog"; }
check() { timed "$root/bin/avps" check "$one"; }
lsp() { rm -f "$work/cpu"; avps_lsp_session "$work/ws/$(basename "$one")" timed "$root/bin/avps-lsp"; }
stats() { # numbers on stdin -> "min / median / max"
  sort -n | awk '{a[NR]=$1} END {printf "%d / %d / %d", a[1], a[int((NR+1)/2)], a[NR]}'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
declare -A samples
for c in "${configs[@]}"; do # warm-up: page cache, and the start-up caches are made here
  with_config "$c" generate >/dev/null 2>&1 || true
  with_config "$c" check >/dev/null 2>&1 || true
  with_config "$c" lsp >/dev/null || true
done
for ((i = 0; i < runs; i++)); do
  for c in "${configs[@]}"; do
    read -r wall cpu < <(ms_of with_config "$c" generate)
    samples[$c,generate]+="$wall "; samples[$c,generate-cpu]+="$cpu "
    read -r wall cpu < <(ms_of with_config "$c" check)
    samples[$c,check]+="$wall "; samples[$c,check-cpu]+="$cpu "
    read -r from_start from_open < <(with_config "$c" lsp || echo "-1 -1")
    samples[$c,lsp-start]+="$from_start "; samples[$c,lsp-open]+="$from_open "
    samples[$c,lsp-cpu]+="$(cpu_ms) "
  done
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-36s %-26s %-26s %-26s\n' "workload (ms: min / median / max)" "${configs[@]}"
for w in generate check lsp-start lsp-open generate-cpu check-cpu lsp-cpu; do
  row=()
  for c in "${configs[@]}"; do row+=("$(tr ' ' '\n' <<<"${samples[$c,$w]}" | grep . | stats)"); done
  case $w in
    generate) label="generate -t all, whole catalog" ;;
    check) label="check one file" ;;
    lsp-start) label="lsp: start to first diagnostics" ;;
    lsp-open) label="lsp: didOpen to first diagnostics" ;;
    generate-cpu) label="CPU: generate -t all" ;;
    check-cpu) label="CPU: check one file" ;;
    lsp-cpu) label="CPU: lsp session" ;;
  esac
  printf '%-36s %-26s %-26s %-26s\n' "$label" "${row[@]}"
done
