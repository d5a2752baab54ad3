#!/usr/bin/env bash
# The spec fuzz campaign on several cores: N processes, each running its share of the same
# campaign (SpecFuzzCampaign's k/N argument), so N=1 and N=4 run exactly the same inputs.
#   generator/bench/fuzz-campaign.sh INPUTS SEED [PROCESSES] [OUTDIR]
# Prints each process's last progress line and the totals; exits 0 only when every process
# finished its share with no crash and no hang. Failing inputs land in OUTDIR/failures.
set -euo pipefail
inputs="${1:?usage: fuzz-campaign.sh INPUTS SEED [PROCESSES] [OUTDIR]}"
seed="${2:?usage: fuzz-campaign.sh INPUTS SEED [PROCESSES] [OUTDIR]}"
procs="${3:-$(nproc)}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${4:-$root/generator/target/fuzz-campaign}"
mkdir -p "$out"
"$root/mvnw" -B -q -f "$root/pom.xml" -pl generator -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$out/classpath" -Dmdep.includeScope=test
cp="$root/generator/target/test-classes:$root/generator/target/classes:$(cat "$out/classpath")"
cd "$root/generator"
pids=()
for ((k = 0; k < procs; k++)); do
  java -Xmx1g -cp "$cp" dev.avps.fuzz.SpecFuzzCampaign "$inputs" "$seed" "$out/failures" "$k/$procs" \
    > "$out/worker-$k.log" 2>&1 &
  pids+=("$!")
done
status=0
for pid in "${pids[@]}"; do
  wait "$pid" || status=1
done
for ((k = 0; k < procs; k++)); do
  grep '^campaign: [0-9]' "$out/worker-$k.log" | tail -n 1 | sed "s/^/worker $k: /"
done
# Totals over the workers' last lines: inputs, crashes, hangs.
for ((k = 0; k < procs; k++)); do grep '^campaign: [0-9]' "$out/worker-$k.log" | tail -n 1; done |
  awk '{i += $2; c += $4; h += $6} END {printf "total: %d inputs, %d crashes, %d hangs\n", i, c, h}'
exit "$status"
