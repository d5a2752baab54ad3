#!/usr/bin/env bash
# The blk backend without a guest: qemu-img bench (QEMU 11, libblkio, from the lab) against our Java
# vhost-user-blk backend and qemu-storage-daemon 11 on the same image, alternating rounds; prints the
# ratio table and writes it into generated-devices/BENCHMARKS.md (the guest dd table there stays).
# Needs root (the lab is a chroot) and what .ci/run installs.
# Usage: bench/blk-qemu-img-bench.sh [ROUNDS]   (default 5)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
.ci/lab root >/dev/null
# package builds bin/avps-serve's jar (and its lib/) and compiles the test classes the benchmark lives in.
./mvnw -B -q package -DskipTests -pl generated-devices -am
java -cp generated-devices/target/test-classes:generated-devices/target/avps-serve.jar \
  dev.avps.e2e.QemuImgBench "${1:-5}" "$PWD/generated-devices/BENCHMARKS.md" "$PWD/bin/avps-serve"
