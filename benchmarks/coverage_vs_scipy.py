#!/usr/bin/python3
"""The coverage computation of coverage_compare, redone with scipy.sparse.csgraph.dijkstra.

usage:
  coverage_vs_scipy.py run DIR [--repeats N]   check and time scipy on the problem exported in DIR
                                               (by coverage_compare); writes DIR/scipy.json
  coverage_vs_scipy.py table NAME=DIR ...      Markdown rows from DIR/meta.json and DIR/scipy.json

For every category scipy computes exactly what yike::engine::nearest_facilities does:
  1. one Dijkstra from all the category's seeds with their initial costs (routing::append_seeds:
     the facility's off-network leg plus the walk along its edge to the tail or the head), bounded
     by the category's limit. scipy has no initial costs, so a super-source node n gets one arc to
     every seed node; then dijkstra(indices=n, min_only=True, limit=...) is that multi-source search.
  2. per demand point: min over its edge's tail and head (distance + partial cost along the edge),
     and over facilities on the same edge (facility off-network leg + walk between the two
     offsets, rounded down like routing::partial_edge_cost), plus the demand's off-network leg;
     kept only if <= limit.
Zero costs: a seed can cost 0 (a facility exactly on a node). scipy 1.10 keeps explicit zeros of a
csr_matrix built from (data, indices, indptr), but any conversion that eliminates zeros (or a dense
input, where 0 means "no arc") would drop that seed silently, so every super-source arc costs
seed + 1 and 1 is subtracted from the distances, with the limit raised by 1. All values are
integers below 2**53, so float64 is exact and the comparison with yike is exact (integers).
Street arcs always cost >= 1 ms (the graph builder guarantees it; checked below).
Duplicate (u, v) pairs (parallel streets, two seeds on one node) keep their minimum.

The results are checked against yike's for every category and demand point before any time is
reported; a single difference fails the run (exit 1).
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import scipy
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

INVALID = 0xFFFFFFFF


def load_problem(folder):
    meta = json.loads((folder / "meta.json").read_text())
    edges = np.fromfile(folder / "edges.bin", dtype="<u4").reshape(-1, 4).astype(np.int64)
    demand = np.fromfile(folder / "demand.bin", dtype="<u4").reshape(-1, 5).astype(np.int64)
    categories = []
    for c, info in enumerate(meta["categories"]):
        seeds = np.fromfile(folder / f"category_{c}_seeds.bin", dtype="<u4").reshape(-1, 2).astype(np.int64)
        facilities = np.fromfile(folder / f"category_{c}_facilities.bin", dtype="<u4").reshape(-1, 3).astype(np.int64)
        categories.append({"name": info["name"], "limit": int(info["limit_ms"]), "seeds": seeds, "facilities": facilities})
    yike = np.fromfile(folder / "yike_costs.bin", dtype="<u4").reshape(len(categories), -1).astype(np.int64)
    if len(edges) != meta["edges"] or len(demand) != meta["demand"] or yike.shape[1] != meta["demand"]:
        sys.exit(f"coverage_vs_scipy: {folder}: exported arrays do not match meta.json")
    return meta, edges, demand, categories, yike


def base_graph(n, edges):
    """CSR arrays of the street graph with n + 1 rows (row n, the super-source, left empty)."""
    tail, head, cost = edges[:, 0], edges[:, 1], edges[:, 2]
    if len(cost) and cost.min() < 1:
        sys.exit("coverage_vs_scipy: an edge costs 0 ms; the export breaks the builder's guarantee")
    u = np.concatenate([tail, head])
    v = np.concatenate([head, tail])
    w = np.concatenate([cost, cost])
    loop = u == v  # a loop never shortens a path
    u, v, w = u[~loop], v[~loop], w[~loop]
    order = np.lexsort((w, v, u))
    u, v, w = u[order], v[order], w[order]
    first = np.ones(len(u), dtype=bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    u, v, w = u[first], v[first], w[first]
    indptr = np.zeros(n + 2, dtype=np.int32)
    np.cumsum(np.bincount(u, minlength=n + 1), out=indptr[1:])
    return indptr, v.astype(np.int32), w.astype(np.float64)


class Demand:
    """Per demand point the columns coverage_compare exported, split once (shared by categories)."""

    def __init__(self, demand, edges):
        self.valid = demand[:, 0] != INVALID
        edge = np.where(self.valid, demand[:, 0], 0)
        self.edge = edge
        self.offset = demand[:, 1]
        self.offnet = demand[:, 2]
        self.to_tail = demand[:, 3]
        self.to_head = demand[:, 4]
        self.tail = edges[edge, 0]
        self.head = edges[edge, 1]
        self.edge_time = edges[:, 2]
        self.edge_length = edges[:, 3]


def category_graph(n, base, seeds):
    """The street graph plus the super-source row n with one arc (cost + 1) to every seed node."""
    indptr, indices, data = base
    order = np.lexsort((seeds[:, 1], seeds[:, 0]))
    nodes, costs = seeds[order, 0], seeds[order, 1]
    first = np.ones(len(nodes), dtype=bool)
    first[1:] = nodes[1:] != nodes[:-1]
    nodes, costs = nodes[first], costs[first]
    full_indptr = indptr.copy()
    full_indptr[-1] += len(nodes)
    return csr_matrix((np.concatenate([data, costs + 1.0]), np.concatenate([indices, nodes.astype(np.int32)]),
                       full_indptr), shape=(n + 1, n + 1))


def evaluate(dist, d, facilities, limit, inf_cost):
    """yike's per-demand evaluation, vectorised: ends of the edge, same-edge facilities, off-network."""
    reach = np.minimum(dist[d.tail] + d.to_tail, dist[d.head] + d.to_head)
    if len(facilities):
        order = np.argsort(facilities[:, 0], kind="stable")
        f_edge, f_offset, f_offnet = facilities[order, 0], facilities[order, 1], facilities[order, 2]
        lo = np.searchsorted(f_edge, d.edge, side="left")
        hi = np.searchsorted(f_edge, d.edge, side="right")
        count = np.where(d.valid, hi - lo, 0)
        total = int(count.sum())
        if total:
            who = np.repeat(np.arange(len(count)), count)
            start = np.repeat(np.cumsum(count) - count, count)
            fac = np.repeat(lo, count) + (np.arange(total) - start)
            e = d.edge[who]
            length = np.minimum(np.abs(f_offset[fac] - d.offset[who]), d.edge_length[e])
            along = f_offnet[fac] + d.edge_time[e] * length // d.edge_length[e]
            np.minimum.at(reach, who, along.astype(np.float64))
    total_cost = reach + d.offnet
    keep = d.valid & (total_cost <= limit)
    return np.where(keep, total_cost, float(inf_cost)).astype(np.int64)


def solve(n, base, d, category, inf_cost, clock):
    """One category; adds the dijkstra-only and total seconds to `clock`."""
    t0 = time.perf_counter()
    graph = category_graph(n, base, category["seeds"])
    t1 = time.perf_counter()
    if len(category["seeds"]):
        dist = dijkstra(graph, directed=True, indices=n, min_only=True, limit=category["limit"] + 1)[:n] - 1.0
    else:
        dist = np.full(n, np.inf)
    t2 = time.perf_counter()
    cost = evaluate(dist, d, category["facilities"], category["limit"], inf_cost)
    t3 = time.perf_counter()
    clock["dijkstra"] += t2 - t1
    clock["total"] += t3 - t0
    return cost


def seeds_at_zero_differ(n, base, d, category, inf_cost, reference):
    """How many demand costs change when the seeds start at 0 (dijkstra(indices=seed nodes,
    min_only=True) on the street graph alone): shows why that call is not the same computation."""
    if not len(category["seeds"]):
        return 0
    indptr, indices, data = base
    graph = csr_matrix((data, indices, indptr), shape=(n + 1, n + 1))
    nodes = np.unique(category["seeds"][:, 0])
    dist = dijkstra(graph, directed=True, indices=nodes, min_only=True, limit=category["limit"])[:n]
    return int((evaluate(dist, d, category["facilities"], category["limit"], inf_cost) != reference).sum())


def run(folder, repeats):
    meta, edges, demand, categories, yike = load_problem(folder)
    n = int(meta["nodes"])
    inf_cost = int(meta["inf_cost"])
    base = base_graph(n, edges)
    d = Demand(demand, edges)

    # Check first: a time is only worth reporting for the same answers.
    clock = {"dijkstra": 0.0, "total": 0.0}
    for c, category in enumerate(categories):
        cost = solve(n, base, d, category, inf_cost, clock)
        bad = np.nonzero(cost != yike[c])[0]
        if len(bad):
            i = bad[0]
            sys.exit(f"coverage_vs_scipy: {folder}: category {c} ({category['name']}): {len(bad)} of {len(cost)} "
                     f"demand costs differ from yike's, first at demand {i}: scipy {cost[i]}, yike {yike[c][i]}")
    zero_start_diffs = [seeds_at_zero_differ(n, base, d, cat, inf_cost, yike[c]) for c, cat in enumerate(categories)]

    dijkstra_s, total_s = [], []
    for _ in range(repeats):
        clock = {"dijkstra": 0.0, "total": 0.0}
        for c, category in enumerate(categories):
            cost = solve(n, base, d, category, inf_cost, clock)
            if not np.array_equal(cost, yike[c]):
                sys.exit(f"coverage_vs_scipy: {folder}: category {c} changed between repeats")
        dijkstra_s.append(clock["dijkstra"])
        total_s.append(clock["total"])

    out = {
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
        "python": sys.version.split()[0],
        "agreement": True,
        "compared_costs": int(yike.size),
        "repeats": repeats,
        "scipy_dijkstra_ms": 1000 * statistics.median(dijkstra_s),
        "scipy_total_ms": 1000 * statistics.median(total_s),
        "scipy_dijkstra_samples_ms": [1000 * x for x in dijkstra_s],
        "scipy_total_samples_ms": [1000 * x for x in total_s],
        "seeds_at_zero_differing_costs": int(sum(zero_start_diffs)),
    }
    (folder / "scipy.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"{folder}: scipy agrees with yike on all {yike.size} costs; dijkstra {out['scipy_dijkstra_ms']:.1f} ms, "
          f"dijkstra + evaluation {out['scipy_total_ms']:.1f} ms (median of {repeats}); yike "
          f"{meta['yike_1t_ms']:.1f} ms (1 thread), {meta['yike_2t_ms']:.1f} ms (2 threads)")


def table(pairs):
    print("| city | nodes | edges | categories | facilities | demand points | yike 1 thread | yike 2 threads "
          "| scipy | scipy / yike 1T | scipy / yike 2T | searches only: yike 1T / scipy | agreement |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    for pair in pairs:
        name, folder = pair.split("=", 1)
        meta = json.loads((Path(folder) / "meta.json").read_text())
        sp = json.loads((Path(folder) / "scipy.json").read_text())
        y1, y2, st = meta["yike_1t_ms"], meta["yike_2t_ms"], sp["scipy_total_ms"]
        ys, sd = meta["yike_search_1t_ms"], sp["scipy_dijkstra_ms"]
        agree = f"yes ({sp['compared_costs']:,} costs)" if sp["agreement"] else "NO"
        print(f"| {name} | {meta['nodes']:,} | {meta['edges']:,} | {len(meta['categories'])} | "
              f"{meta['facilities_total']:,} | {meta['demand_snapped']:,} | {y1:.1f} ms | {y2:.1f} ms | "
              f"{st:.1f} ms | {st / y1:.1f}× | {st / y2:.1f}× | {ys:.1f} / {sd:.1f} ms ({sd / ys:.1f}×) | {agree} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run")
    p_run.add_argument("folder", type=Path)
    p_run.add_argument("--repeats", type=int, default=7)
    p_table = sub.add_parser("table")
    p_table.add_argument("pairs", nargs="+", metavar="NAME=DIR")
    args = parser.parse_args()
    if args.command == "run":
        run(args.folder, args.repeats)
    else:
        table(args.pairs)


if __name__ == "__main__":
    main()
