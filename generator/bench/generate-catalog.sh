#!/usr/bin/env bash
# Times `bin/avps generate -t all` over the whole catalog in one CLI run, as a user would call it
# (JVM start-up and spec loading included). Uses hyperfine when installed, else a plain loop.
#   generator/bench/generate-catalog.sh [RUNS] [CATALOG_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-5}"
catalog="${2:-$root/spec-models/src/main/avps}"
avps="$root/bin/avps"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

specs=$(find "$catalog" -name '*.avps' | wc -l)
# One untimed run: warms the page cache and tells how many devices the catalog has.
summary=$("$avps" generate --no-warnings -t all -o "$work/warm" "$catalog" 2>&1 | tail -1)
devices=$(sed -n 's/.*avps: \([0-9]*\) device(s).*/\1/p' <<<"$summary")
files=$(sed -n 's/.* \([0-9]*\) file(s) written.*/\1/p' <<<"$summary")
echo "catalog: $catalog ($specs spec files, $devices devices, $files files per run)"

if command -v hyperfine >/dev/null; then
  hyperfine --runs "$runs" --prepare "rm -rf $work/out" \
    "$avps generate --no-warnings -t all -o $work/out $catalog"
  exit 0
fi

measure() { # $1 = label, $2 = 1 to start from an empty output directory
  local total=0 best=0 t0 t1 ms
  for ((i = 0; i < runs; i++)); do
    [[ "$2" == 1 ]] && rm -rf "$work/out"
    t0=$(date +%s%N)
    "$avps" generate --no-warnings -t all -o "$work/out" "$catalog" 2>/dev/null
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    total=$((total + ms))
    if ((best == 0 || ms < best)); then best=$ms; fi
  done
  local mean=$((total / runs))
  printf '%-34s mean %6d ms  best %6d ms  per device %5d ms\n' "$1" "$mean" "$best" $((mean / devices))
}
measure "all targets, empty output dir:" 1
measure "all targets, nothing changed:" 0
