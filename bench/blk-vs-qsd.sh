#!/usr/bin/env bash
# Guest dd throughput: our Java vhost-user-blk backend vs qemu-storage-daemon, alternating rounds.
# Needs the packages .ci/run installs (qemu-system-common, which comes with qemu-system-x86, has qemu-storage-daemon).
# Usage: bench/blk-vs-qsd.sh [ROUNDS]   (default 5; writes generated-devices/BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v qemu-storage-daemon >/dev/null || { echo "install qemu-system-x86 (its qemu-system-common has qemu-storage-daemon) first" >&2; exit 2; }
./mvnw -B -q install -DskipTests -pl generated-devices -am
./mvnw -B -q -pl generated-devices test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.avps.e2e.BlkBenchmark -Dexec.args="${1:-5} $PWD/generated-devices/BENCHMARKS.md"
