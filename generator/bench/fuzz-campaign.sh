#!/usr/bin/env bash
# The spec fuzz campaign on several cores: N processes, each running its share of the same
# campaign (SpecFuzzCampaign's k/N argument), so N=1 and N=4 run exactly the same inputs.
#   generator/bench/fuzz-campaign.sh INPUTS SEED [PROCESSES] [OUTDIR]
# Prints each process's last progress line and the totals; exits 0 only when every process
# finished its share with no crash and no hang. Failing inputs land in OUTDIR/failures.
# A campaign may be stopped (kill the workers) and started again with the same arguments:
# each worker keeps OUTDIR/state-K (chunks done, totals) and skips what it already ran. The
# state names the build (the git trees of the spec tools, the catalog and this harness), so a
# resume on changed sources is refused; run it from a clean checkout.
set -euo pipefail
inputs="${1:?usage: fuzz-campaign.sh INPUTS SEED [PROCESSES] [OUTDIR]}"
seed="${2:?usage: fuzz-campaign.sh INPUTS SEED [PROCESSES] [OUTDIR]}"
procs="${3:-$(nproc)}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${4:-$root/generator/target/fuzz-campaign}"
mkdir -p "$out"
"$root/mvnw" -B -q -f "$root/pom.xml" -pl generator -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$out/classpath" -Dmdep.includeScope=test
# The build the campaign tests: the trees of everything the inputs and verdicts depend on.
if [ -n "$(git -C "$root" status --porcelain -- dsl-avps/src generator/src spec-models/src)" ]; then
  echo "fuzz-campaign: dsl-avps/src, generator/src or spec-models/src has uncommitted changes;" \
    "a campaign runs on a committed build so its record names it" >&2
  exit 2
fi
build="$(for t in dsl-avps/src generator/src spec-models/src; do git -C "$root" rev-parse "HEAD:$t" | cut -c1-12; done |
  paste -sd- -)"
echo "fuzz-campaign: commit $(git -C "$root" rev-parse --short HEAD), build trees $build"
cp="$root/generator/target/test-classes:$root/generator/target/classes:$(cat "$out/classpath")"
cd "$root/generator"
pids=()
for ((k = 0; k < procs; k++)); do
  java -Xmx1g -cp "$cp" dev.avps.fuzz.SpecFuzzCampaign "$inputs" "$seed" "$out/failures" "$k/$procs" \
    "$out/state-$k" "$build" >> "$out/worker-$k.log" 2>&1 &
  pids+=("$!")
done
status=0
for pid in "${pids[@]}"; do
  wait "$pid" || status=1
done
for ((k = 0; k < procs; k++)); do
  grep '^campaign: [0-9]' "$out/worker-$k.log" | tail -n 1 | sed "s/^/worker $k (last sitting): /"
done
# Totals over every sitting, from the state files: line 2 is chunks inputs crashes hangs ...
for ((k = 0; k < procs; k++)); do sed -n 2p "$out/state-$k"; done |
  awk '{i += $2; c += $3; h += $4} END {printf "total: %d inputs, %d crashes, %d hangs\n", i, c, h}'
exit "$status"
