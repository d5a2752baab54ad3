#!/usr/bin/env python3
"""Ratios of the virtqueue to its comparators from one JMH JSON result file (-rf json).

Each measurement iteration i of a benchmark is paired with iteration i of its comparator in the
same run, and the table gives min / median / max of those per-iteration ratios, so a noisy
machine shows as a wide spread instead of hiding in an average. The last column compares the
best iteration of each side (fastest time, highest rate): on a machine where other processes
take the cores, the least disturbed iterations are the closest to what the code costs.

  round trip:  RoundTripBenchmark.virtqueue time / RingFloorBenchmark.checkedSplitRing time
               (lower is better; the goal is <= 1.2)
  streaming:   StreamingBenchmark.virtqueue completed rate / agronaOneToOnePair completed rate
               (higher is better; the goal is >= 1.0)

usage: benchmarks/ratios.py result.json
"""
import json
import statistics
import sys


def iterations(entry, metric=None):
    if metric is None:
        data = entry["primaryMetric"]["rawData"]
    else:
        data = entry["secondaryMetrics"][metric]["rawData"]
    return [v for fork in data for v in fork]


def spread(ratios):
    return "%.2f / %.2f / %.2f" % (min(ratios), statistics.median(ratios), max(ratios))


def main(path):
    results = json.load(open(path))
    floor = {}
    bare = {}
    trip = {}
    stream = {}
    agrona = None
    for e in results:
        name = e["benchmark"].rsplit(".", 2)
        bench = name[-2] + "." + name[-1]
        p = e.get("params", {})
        if bench == "RingFloorBenchmark.checkedSplitRing":
            floor[int(p["batch"])] = iterations(e)
        elif bench == "RingFloorBenchmark.bareSplitRing":
            bare[int(p["batch"])] = iterations(e)
        elif bench == "RoundTripBenchmark.virtqueue" and p.get("eventIdx", "false") == "false":
            trip[(p["format"], int(p["batch"]))] = iterations(e)
        elif bench == "StreamingBenchmark.virtqueue":
            stream[p["format"]] = iterations(e, "completed")
        elif bench == "StreamingBenchmark.agronaOneToOnePair":
            agrona = iterations(e, "completed")

    print("| round trip | batch | ns/batch (median) | checked floor ns/batch (median) | x checked floor min / median / max | best / best |")
    print("|---|---|---|---|---|---|")
    for (fmt, batch), times in sorted(trip.items(), key=lambda kv: (kv[0][1], kv[0][0] != "split")):
        f = floor.get(batch)
        if not f:
            continue
        ratios = [a / b for a, b in zip(times, f)]
        print("| %s | %d | %.1f | %.1f | %s | %.2f |" % (fmt, batch, statistics.median(times), statistics.median(f),
                                                   spread(ratios), min(times) / min(f)))
    if bare:
        print()
        print("| floor | batch | bare ns/batch (median) | checked / bare min / median / max | best / best |")
        print("|---|---|---|---|---|")
        for batch in sorted(bare):
            if batch in floor:
                print("| split | %d | %.1f | %s | %.2f |" % (batch, statistics.median(bare[batch]),
                                                        spread([a / b for a, b in zip(floor[batch], bare[batch])]),
                                                        min(floor[batch]) / min(bare[batch])))
    if agrona and stream:
        print()
        print("| streaming | completed/us (median) | Agrona pair completed/us (median) | / Agrona min / median / max | best / best |")
        print("|---|---|---|---|---|")
        for fmt in ("split", "packed"):
            if fmt in stream:
                ratios = [a / b for a, b in zip(stream[fmt], agrona)]
                print("| %s | %.2f | %.2f | %s | %.2f |" % (fmt, statistics.median(stream[fmt]), statistics.median(agrona),
                                                        spread(ratios), max(stream[fmt]) / max(agrona)))


if __name__ == "__main__":
    main(sys.argv[1])
