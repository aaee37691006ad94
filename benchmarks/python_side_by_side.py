#!/usr/bin/python3
"""yike's Python module side by side with OSMnx (NetworkX) on the same tasks, on the bundled Monaco sample.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/python_side_by_side.py [data/osm/monaco.osm.pbf]

Both work on the same walking graph: OSMnx 1.2 reads OSM XML only (no .osm.pbf, and no converter is
installed here), so its graph is made with ``ox.graph_from_gdfs`` from yike's ``net.nodes`` and
``net.edges``, with yike's integer ``time_ms`` as the weight. Origins start where yike snaps them
(part-way along an edge: a virtual source joined to the edge's two ends at the partial costs), so
the costs must agree exactly. pandana is not packaged in Debian 12 (only on PyPI), so it is not compared.

Tasks:
1. walking time from the nearest of three origins to every junction (one multi-source search);
2. walking time from each of 200 origins to every junction within 15 minutes (one search each);
3. 15-minute isochrone polygons of three origins: yike's (exact reached network including partly
   reached streets, 30 m corridor) against the usual OSMnx recipe (ego_graph of the whole streets
   whose both ends are reached, edges buffered by 30 m, unioned). These differ by construction;
   the areas are compared.
Prints a Markdown table: task, yike time, OSMnx/NetworkX time, ratio, agreement.
"""
import math
import os
import sys
import time

import geopandas as gpd
import networkx as nx
import numpy as np
import osmnx as ox
import shapely.ops

import yike

ORIGINS = [(7.4246, 43.7384), (7.4282, 43.7396), (7.4365, 43.7485)]


def best_of(n, f):
    best, value = math.inf, None
    for _ in range(n):
        t0 = time.perf_counter()
        value = f()
        best = min(best, time.perf_counter() - t0)
    return best, value


def osmnx_graph(net):
    nodes = net.nodes.set_index("node")
    nodes["x"], nodes["y"] = nodes.geometry.x, nodes.geometry.y
    edges = net.edges.rename(columns={"from_node": "u", "to_node": "v"})
    edges["key"] = edges["edge"]  # unique, so that to_undirected keeps parallel streets apart
    edges = edges.set_index(["u", "v", "key"])
    g = ox.graph_from_gdfs(nodes, edges)
    return g.to_undirected()  # walking is symmetric: yike's edges cost the same both ways


def starts(net, point):
    """The two (node, cost) seeds of an origin, where yike snaps it (from the isochrone's snap columns)."""
    row = net.isochrones(point, meters=1).iloc[0]
    e = net.edges.iloc[int(row["snapped_edge"])]
    offnet = -(-int(row["offnet_cm"]) * 10000 // int(net.info["speed_m_per_s"] * 1000))  # rounded up, as yike
    off = int(row["snapped_offset_cm"])
    part = lambda cm: int(e["time_ms"]) * min(cm, int(e["length_cm"])) // int(e["length_cm"])
    return [(int(e["from_node"]), offnet + part(off)), (int(e["to_node"]), offnet + part(int(e["length_cm"]) - off))]


def nx_costs(g, seeds, cutoff=None):
    """Dijkstra from a virtual source joined to the seeds; the costs of every junction reached."""
    h = g
    h.add_node("src")
    for node, cost in seeds:
        h.add_edge("src", node, key=f"seed{node}", time_ms=cost)
    try:
        return nx.single_source_dijkstra_path_length(h, "src", cutoff=cutoff, weight="time_ms")
    finally:
        h.remove_node("src")


def main():
    osm = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "data", "osm", "monaco.osm.pbf")
    t_load, net = best_of(3, lambda: yike.Network.from_osm(osm))
    g = osmnx_graph(net)
    rows = [("build the walking network from the .osm.pbf", t_load, None, "OSMnx cannot read .pbf")]

    # 1. multi-source, unbounded
    seeds = [starts(net, p) for p in ORIGINS]
    t_y, d = best_of(5, lambda: net.distances(ORIGINS))

    t_n, best = best_of(3, lambda: nx_costs(g, [s for seed in seeds for s in seed]))
    agree = all(best.get(u, -1) == c for u, c in enumerate(d.cost.tolist()))
    rows.append(("nearest of 3 origins: time to every junction", t_y, t_n,
                 f"{'identical' if agree else 'DIFFERENT'} ({np.count_nonzero(d.cost >= 0):,} junctions)"))

    # 2. 200 origins, one bounded search each
    rng = np.random.default_rng(16)
    nodes = net.nodes
    picks = rng.choice(len(nodes), 200, replace=False)
    points = [(nodes.geometry.iloc[i].x, nodes.geometry.iloc[i].y) for i in picks]
    t_y2, yd = best_of(3, lambda: [net.distances([p], max_minutes=15) for p in points])
    many_seeds = [starts(net, p) for p in points]
    t_n2, nd = best_of(1, lambda: [nx_costs(g, s, cutoff=15 * 60000) for s in many_seeds])
    agree2 = all(
        {u: c for u, c in enumerate(y.cost.tolist()) if c >= 0} == {u: c for u, c in n.items() if u != "src"}
        for y, n in zip(yd, nd))
    rows.append(("200 origins: time to every junction within 15 min", t_y2, t_n2,
                 "identical" if agree2 else "DIFFERENT"))

    # 3. isochrone polygons
    t_y3, iso = best_of(3, lambda: net.isochrones(ORIGINS, minutes=15))
    utm = iso.estimate_utm_crs()
    edges_utm = net.edges.to_crs(utm)

    def osmnx_isochrones():
        polygons = []
        for seed in seeds:
            reached = {u for u, c in nx_costs(g, seed, cutoff=15 * 60000).items() if u != "src"}
            inside = edges_utm[edges_utm["from_node"].isin(reached) & edges_utm["to_node"].isin(reached)]
            polygons.append(shapely.ops.unary_union(inside.geometry.buffer(30)))
        return polygons
    t_n3, polys = best_of(3, osmnx_isochrones)
    ours = iso.to_crs(utm).area.to_numpy()
    theirs = np.array([p.area for p in polys])
    rows.append(("15-min isochrone polygons of 3 origins", t_y3, t_n3,
                 "areas " + ", ".join(f"{a / 1e6:.3f} vs {b / 1e6:.3f} km²" for a, b in zip(ours, theirs))))

    print(f"Monaco ({net.info['nodes']:,} junctions, {net.info['edges']:,} edges); best of several runs; "
          f"osmnx {ox.__version__}, networkx {nx.__version__}\n")
    print("| task | yike | OSMnx / NetworkX | ratio | answers |")
    print("|---|---:|---:|---:|---|")
    for task, a, b, note in rows:
        other = "—" if b is None else f"{b * 1000:.1f} ms"
        ratio = "—" if b is None else f"{b / a:.0f}×"
        print(f"| {task} | {a * 1000:.1f} ms | {other} | {ratio} | {note} |")
    return 0 if agree and agree2 else 1


if __name__ == "__main__":
    sys.exit(main())
