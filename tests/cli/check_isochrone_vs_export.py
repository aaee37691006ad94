#!/usr/bin/env python3
"""Independent recomputation of an isochrone's reached network from the `yike graph` export.

Runs `yike graph --out edges.csv` and `yike isochrone --network`, then, using only the exported
edges (from_node, to_node, length_cm, time_ms) and the snapped start that the isochrone reports,
recomputes with its own Dijkstra which part of every edge is reached, and compares with the reached
network yike wrote. Uses the Python standard library only. Exit 0 when they agree exactly.

usage: check_isochrone_vs_export.py YIKE OSM LON,LAT MINUTES SPEED_MM_PER_S
"""
import json
import os
import sys
import tempfile

from graph_export import dijkstra, offnet, read_edges, run, seeds


def main():
    yike, osm, at, minutes, speed = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
    budget = round(minutes * 60000)
    with tempfile.TemporaryDirectory() as tmp:
        edges_csv = os.path.join(tmp, "graph.csv")
        iso_json = os.path.join(tmp, "iso.geojson")
        run([yike, "graph", "--quiet", "--osm", osm, "--out", edges_csv])
        run([yike, "isochrone", "--quiet", "--osm", osm, "--at", at, "--minutes", sys.argv[4],
             "--network", "--out", iso_json])
        edges = read_edges(edges_csv)
        with open(iso_json) as f:
            features = json.load(f)["features"]

    polygons = [f for f in features if f["properties"]["layer"] == "isochrones"]
    lines = [f for f in features if f["properties"]["layer"] == "reached_network"]
    assert len(polygons) == 1, "expected one isochrone feature"
    props = polygons[0]["properties"]
    start_edge, offset, offnet_cm = props["snapped_edge"], props["snapped_offset_cm"], props["offnet_cm"]

    def reach(t, length, remaining):  # longest part (cm) walkable with `remaining` ms
        if remaining < 0:
            return -1
        return min(length, ((remaining + 1) * length - 1) // t)

    off_ms = offnet(offnet_cm, speed)
    dist = dijkstra(edges, seeds(edges, start_edge, offset, off_ms))

    expected = {}
    for e, (u, v, length, t) in edges.items():
        spans = []
        a = reach(t, length, budget - dist.get(u, budget + 1))
        if a >= 0:
            spans.append((0, a))
        b = reach(t, length, budget - dist.get(v, budget + 1))
        if b >= 0:
            spans.append((length - b, length))
        if e == start_edge and off_ms <= budget:
            back = min(offset, reach(t, length, budget - off_ms))
            ahead = min(length - offset, reach(t, length, budget - off_ms))
            spans.append((offset - back, offset + ahead))
        spans.sort()
        merged = []
        for s in spans:
            if merged and s[0] <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], s[1]))
            else:
                merged.append(s)
        if merged:
            expected[e] = merged

    got = {}
    for f in lines:
        p = f["properties"]
        got.setdefault(p["edge"], []).append((round(p["from_m"] * 100), round(p["to_m"] * 100)))
    for e in got:
        got[e].sort()

    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    differ = sorted(e for e in set(expected) & set(got) if expected[e] != got[e])
    reached_nodes = sum(1 for d in dist.values() if d <= budget)
    print(f"{len(expected)} edges reached by the recomputation, {len(got)} by yike; "
          f"{reached_nodes} nodes within {minutes} min; missing {len(missing)}, extra {len(extra)}, "
          f"different spans {len(differ)}")
    if missing or extra or differ:
        for e in (missing + extra + differ)[:10]:
            print(f"  edge {e}: expected {expected.get(e)}, yike {got.get(e)}")
        sys.exit(1)
    if len(expected) < 50:
        sys.exit("the check reached fewer than 50 edges: pick an origin inside the network")


if __name__ == "__main__":
    main()
