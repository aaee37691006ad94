#!/usr/bin/env python3
"""Independent recomputation of one coverage target from the `yike graph` export.

Runs `yike graph --out edges.csv` and `yike coverage --layers geojson`, then, from the exported
edges (from_node, to_node, length_cm, time_ms) and the snapped positions the report's layers give
for every facility and demand point, recomputes with its own multi-source Dijkstra every demand
point's cost to the nearest facility of the target's category, the covered households and the
achieved share, and compares them with the report (summary.csv and the demand layer).
Python standard library only. Exit 0 when they agree.

usage: check_coverage_vs_export.py YIKE OSM STANDARD TARGET_ID SPEED_MM_PER_S
"""
import csv
import json
import os
import sys
import tempfile

from graph_export import dijkstra, offnet, partial, read_edges, run, seeds


def main():
    yike, osm, standard, target_id, speed = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    with tempfile.TemporaryDirectory() as tmp:
        edges_csv = os.path.join(tmp, "graph.csv")
        report = os.path.join(tmp, "report")
        run([yike, "graph", "--quiet", "--osm", osm, "--out", edges_csv])
        run([yike, "coverage", "--quiet", "--osm", osm, "--standard", standard, "--layers", "geojson",
             "--detail", "full", "--out", report])
        edges = read_edges(edges_csv)
        with open(os.path.join(report, "summary.csv"), newline="", encoding="utf-8-sig") as f:
            targets = {row["target_id"]: row for row in csv.DictReader(f)}
        with open(os.path.join(report, "layers.geojson")) as f:
            features = json.load(f)["features"]

    target = targets[target_id]
    categories = target["categories"].split(";")
    assert target["kind"] == "coverage", "pick a coverage target"
    assert len(categories) == 1 or target["require"] == "any", "pick a target of one category or of any of several"
    minutes = float(target["threshold_minutes"])
    budget = round(minutes * 60000)
    assert target["basis"] == "households" and target["profile"] == "walk", "the check covers household/walk targets"

    facilities = [f["properties"] for f in features
                  if f["properties"]["layer"] == "facilities" and f["properties"]["category"] in categories
                  and f["properties"]["snapped"]]
    demand = [f["properties"] for f in features if f["properties"]["layer"] == "demand"]
    if not facilities:
        sys.exit(f"no facility of {categories}: pick another target")

    starts = []
    for f in facilities:
        starts += seeds(edges, f["snapped_edge"], f["snapped_offset_cm"], offnet(f["offnet_cm"], speed))
    dist = dijkstra(edges, starts)

    inf = float("inf")
    covered = total = 0.0
    mismatches = 0
    columns = [c + "_min" for c in categories]
    for d in demand:
        total += d["households"]
        if not d["snapped"]:
            continue
        e, off = d["snapped_edge"], d["snapped_offset_cm"]
        u, v, length, _ = edges[e]
        best = min(dist.get(u, inf) + partial(edges, e, off), dist.get(v, inf) + partial(edges, e, length - off))
        for f in facilities:
            if f["snapped_edge"] == e:
                best = min(best, offnet(f["offnet_cm"], speed) + partial(edges, e, abs(f["snapped_offset_cm"] - off)))
        cost = best + offnet(d["offnet_cm"], speed)
        if cost <= budget:
            covered += d["households"]
        values = [d[c] for c in columns if d.get(c) is not None]
        reported = min(values) if values else None
        if cost != inf and reported is not None and abs(reported * 60000 - cost) > 1e-6 * max(1, cost):
            mismatches += 1
            if mismatches <= 5:
                print(f"  demand {d['id']}: recomputed {cost} ms, report {reported * 60000} ms")
    share = covered / total
    reported_share = float(target["achieved"])
    print(f"{target_id} ({' or '.join(categories)}, {minutes:g} min): {len(facilities)} facilities, {len(demand)} demand points; "
          f"recomputed share {share:.6f}, report {reported_share:.6f}; per-point cost mismatches {mismatches}")
    if mismatches or abs(share - reported_share) > 1e-9:
        sys.exit(1)
    if covered == 0 or covered == total:
        sys.exit("the check is not discriminating (nothing or everything covered): pick another target")


if __name__ == "__main__":
    main()
