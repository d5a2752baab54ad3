#!/usr/bin/env bash
# Linux's own virtqueue micro-benchmark (tools/virtio/ringtest, C) beside our two-thread stream.
#
# Builds virtio_ring_poll (a split ring, both ends spinning) and virtio_ring_0_9 (the same ring
# with eventfd notifications, run with --sleep so an idle end blocks in the kernel) from the
# installed linux-source-6.1 tarball, once, into ~/.cache/avps-forge/ringtest; runs each RUNS
# times for CYCLES requests and reports requests per microsecond (CYCLES / wall time), median and
# range; then runs StreamingBenchmark.virtqueue (split and packed; its threads poll and
# Thread.yield() when the ring is full or empty) with short JMH settings and prints the ratio
# Java / C of the medians for both C variants. On a machine with more runnable threads than
# cores the spinning C variant collapses (an end spins through its whole time slice while the
# other waits to run), so read the --sleep ratio there.
#
#   benchmarks/ringtest.sh                # CYCLES=2000000 RUNS=5
#   CYCLES=10000000 RUNS=10 benchmarks/ringtest.sh
#
# Needs: linux-source-6.1 gcc make linux-libc-dev (apt), JDK 25 (see README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tarball=/usr/src/linux-source-6.1.tar.xz
cache="${XDG_CACHE_HOME:-$HOME/.cache}/avps-forge/ringtest"
cycles="${CYCLES:-2000000}"
runs="${RUNS:-5}"
jdk25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

[[ -f "$tarball" ]] || { echo "ringtest.sh: $tarball missing; apt-get install linux-source-6.1" >&2; exit 2; }
if [[ ! -x "$cache/virtio_ring_poll" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "extracting tools/virtio/ringtest from $tarball (about a minute)..." >&2
  tar -xJf "$tarball" -C "$tmp" linux-source-6.1/tools/virtio/ringtest
  make -s -C "$tmp/linux-source-6.1/tools/virtio/ringtest" virtio_ring_poll virtio_ring_0_9
  mkdir -p "$cache"
  cp "$tmp/linux-source-6.1/tools/virtio/ringtest/"{virtio_ring_poll,virtio_ring_0_9} "$cache/"
fi

# Prints "median min max" of requests/us over $runs runs of "$@".
measure() {
  local rates=() start end
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$cache/$1" --run-cycles "$cycles" "${@:2}" >/dev/null
    end=$(date +%s%N)
    rates+=("$(echo "scale=4; $cycles * 1000 / ($end - $start)" | bc)")
  done
  printf '%s\n' "${rates[@]}" | sort -n | awk '{v[NR]=$1} END {printf "%.3f %.3f %.3f\n", (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2), v[1], v[NR]}'
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r poll_med poll_min poll_max < <(measure virtio_ring_poll)
read -r sleep_med sleep_min sleep_max < <(measure virtio_ring_0_9 --sleep)
echo "C virtio_ring_poll:         $poll_med requests/us (min $poll_min, max $poll_max, $runs runs of $cycles)"
echo "C virtio_ring_0_9 --sleep:  $sleep_med requests/us (min $sleep_min, max $sleep_max)"

[[ -x "$jdk25/bin/java" ]] || { echo "ringtest.sh: no JDK 25 at $jdk25 (set JDK25_HOME)" >&2; exit 2; }
[[ -f "$root/benchmarks/target/benchmarks.jar" ]] \
  || "$root/mvnw" -B -q -f "$root/pom.xml" -pl benchmarks -am package -DskipTests
json="$(mktemp --suffix=.json)"
"$jdk25/bin/java" -jar "$root/benchmarks/target/benchmarks.jar" 'StreamingBenchmark.virtqueue' \
  -f 1 -wi 3 -w 1s -i 5 -r 1s -rf json -rff "$json" >/dev/null
python3 - "$json" "$poll_med" "$sleep_med" <<'PY'
import json, statistics, sys
poll, sleep = float(sys.argv[2]), float(sys.argv[3])
for e in json.load(open(sys.argv[1])):
    it = [v for f in e["secondaryMetrics"]["completed"]["rawData"] for v in f]
    med = statistics.median(it)
    print("Java %-6s stream: %.3f requests/us (min %.3f, max %.3f); Java / C: %.2f (poll), %.2f (--sleep)"
          % (e["params"]["format"], med, min(it), max(it), med / poll, med / sleep))
PY
rm -f "$json"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
