#!/usr/bin/python3
"""The peers' side of benchmarks/run_peers.sh: scipy, networkx, igraph, osmnx and pgRouting on the
graph `yike graph --out` exported, checked against yike's answers before any time is reported.

usage:
  peers.py same-graph CSV DIR...            the export CSV equals every DIR/edges.bin (the graph
                                            peers_compare and coverage_compare timed yike on)
  peers.py check-scipy CSV DIR              the isochrone check for scipy alone, no timing (ctest)
  peers.py build CSV XML OUT.json [--repeats N]
                                            graph build: scipy, networkx, igraph from the export CSV;
                                            osmnx graph_from_xml from the OSM XML
  peers.py isochrone CSV DIR [--repeats N] [--dsn DSN]
                                            15-minute isochrones from DIR/origins.bin (peers_compare):
                                            search (scipy, networkx, igraph, pgRouting) and polygon
                                            (the osmnx recipe); writes DIR/peers.json
  peers.py coverage DIR [--repeats N] [--dsn DSN]
                                            coverage of the problem coverage_compare exported in DIR
                                            with networkx, igraph and pgRouting (scipy: coverage_vs_scipy.py);
                                            writes DIR/peers.json
  peers.py load-pg DSN NAME CSV [COVERAGE_DIR]
                                            load the export (and the coverage seeds) into PostgreSQL
  peers.py planning DIR [--time-limit-s S]   maximal covering of planning_quality's exported instance
                                            with CBC (PuLP); checks the optima against GLPK's
  peers.py report OUT.md PLANNING_DIR BUILD_DIR NAME=DIR... [--command C] [--elapsed-s S]
                                            benchmarks/RESULTS.md from the folders run_peers.sh filled

Every failed agreement check exits with status 1 and a message naming the peer, the origin or
category and the first differing node or demand point. Costs are integer milliseconds; every peer
adds them in float64 (exact below 2**53), so "agree" means equal after rounding to an integer.
"""
import argparse
import csv
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import coverage_vs_scipy as cvs  # noqa: E402  (the scipy coverage peer and the shared evaluation)
from peers_report import median_ms, p95_ms, report  # noqa: E402  (RESULTS.md and the timing helpers)

csv.field_size_limit(1 << 30)


def fail(message):
    sys.exit(f"peers.py: DISAGREEMENT: {message}")


def read_export(path, geometry=False):
    """Arrays (tail, head, time_ms, length_cm) and the node count of `yike graph --out X.csv`;
    with geometry=True also each edge's WKT and each node's lon/lat."""
    tail, head, cost, length, wkt = [], [], [], [], []
    with open(path, newline="", encoding="utf-8-sig") as f:  # yike writes CSVs with a byte-order mark
        for row in csv.DictReader(f):
            tail.append(int(row["from_node"]))
            head.append(int(row["to_node"]))
            cost.append(int(row["time_ms"]))
            length.append(int(row["length_cm"]))
            if geometry:
                wkt.append(row["WKT"])
    nodes_path = Path(str(path)[:-len(".csv")] + ".nodes.csv")
    lonlat = []
    with open(nodes_path, newline="", encoding="utf-8-sig") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if int(row["node"]) != i:
                sys.exit(f"peers.py: {nodes_path}: nodes are not numbered 0, 1, ... in order")
            if geometry:
                x, y = row["WKT"][len("POINT ("):-1].split()
                lonlat.append((float(x), float(y)))
    n = i + 1
    graph = {"n": n, "tail": np.array(tail, dtype=np.int64), "head": np.array(head, dtype=np.int64),
             "cost": np.array(cost, dtype=np.int64), "length": np.array(length, dtype=np.int64)}
    if geometry:
        graph["wkt"] = wkt
        graph["lonlat"] = np.array(lonlat)
    return graph


# ---- graph construction, one function per library (timed by `build`, reused by the others) ----

def scipy_graph(g):
    """Directed CSR holding both directions (parallel streets: minimum), n + 1 rows as in
    coverage_vs_scipy (the last row is left empty for a super-source)."""
    from scipy.sparse import csr_matrix
    edges = np.stack([g["tail"], g["head"], g["cost"], g["length"]], axis=1)
    indptr, indices, data = cvs.base_graph(g["n"], edges)
    return csr_matrix((data, indices, indptr), shape=(g["n"] + 1, g["n"] + 1))


def networkx_graph(g, directed=False):
    """Undirected (or both-direction directed) simple graph, weight "w", parallel streets: minimum."""
    import networkx as nx
    best = {}
    for u, v, w in zip(g["tail"].tolist(), g["head"].tolist(), g["cost"].tolist()):
        key = (u, v) if u <= v else (v, u)
        if w < best.get(key, w + 1):
            best[key] = w
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(g["n"]))
    if directed:
        G.add_weighted_edges_from(((u, v, w) for (u, v), w in best.items()), weight="w")
        G.add_weighted_edges_from(((v, u, w) for (u, v), w in best.items()), weight="w")
    else:
        G.add_weighted_edges_from(((u, v, w) for (u, v), w in best.items()), weight="w")
    return G


def igraph_graph(g, directed=False):
    """Undirected multigraph (or both directions as arcs), weights as an edge attribute "w"."""
    import igraph as ig
    tail, head, cost = g["tail"].tolist(), g["head"].tolist(), g["cost"].tolist()
    if directed:
        return ig.Graph(n=g["n"] + 1, edges=list(zip(tail + head, head + tail)), directed=True,
                        edge_attrs={"w": cost + cost})
    return ig.Graph(n=g["n"], edges=list(zip(tail, head)), directed=False, edge_attrs={"w": cost})


def same_graph(csv_path, folders):
    g = read_export(csv_path)
    exported = np.stack([g["tail"], g["head"], g["cost"], g["length"]], axis=1)
    for folder in folders:
        timed = np.fromfile(Path(folder) / "edges.bin", dtype="<u4").reshape(-1, 4).astype(np.int64)
        if timed.shape != exported.shape or not np.array_equal(timed, exported):
            fail(f"{csv_path} (yike graph --out) and {folder}/edges.bin (the graph yike was timed on) differ")
    print(f"{csv_path}: {g['n']} nodes, {len(exported)} edges, identical to the graph in {', '.join(folders)}")


def build(csv_path, xml_path, out_path, repeats):
    import osmnx as ox
    import networkx as nx  # noqa: F401  (imported before timing, as a user's session would have it)
    import igraph  # noqa: F401
    import scipy.sparse  # noqa: F401
    result = {}
    for name, make in (("scipy", scipy_graph), ("networkx", networkx_graph), ("igraph", igraph_graph)):
        samples, construct = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            g = read_export(csv_path)
            t1 = time.perf_counter()
            make(g)
            t2 = time.perf_counter()
            samples.append(t2 - t0)
            construct.append(t2 - t1)
        result[name] = {"total_ms": median_ms(samples), "construct_ms": median_ms(construct),
                        "samples_ms": [1000 * s for s in samples]}
    samples = []
    for _ in range(max(1, min(repeats, 3))):
        t0 = time.perf_counter()
        G = ox.graph_from_xml(xml_path, bidirectional=True, simplify=True, retain_all=True)
        samples.append(time.perf_counter() - t0)
    result["osmnx"] = {"total_ms": median_ms(samples), "samples_ms": [1000 * s for s in samples],
                       "nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "version": ox.__version__}
    Path(out_path).write_text(json.dumps(result, indent=2) + "\n")
    print(f"{csv_path}: graph build " + ", ".join(f"{k} {v['total_ms']:.0f} ms" for k, v in result.items()))


# ---- isochrones --------------------------------------------------------------------------------

def check_reached(peer, k, origin, nodes, dist, truth_nodes, truth_dist, budget):
    """nodes/dist: what the peer reached within the budget (any order)."""
    order = np.argsort(nodes)
    nodes = np.asarray(nodes, dtype=np.int64)[order]
    dist = np.asarray(dist, dtype=np.float64)[order]
    keep = dist <= budget
    nodes, dist = nodes[keep], dist[keep]
    if len(nodes) != len(truth_nodes) or not np.array_equal(nodes, truth_nodes):
        missing = np.setdiff1d(truth_nodes, nodes)
        extra = np.setdiff1d(nodes, truth_nodes)
        fail(f"{peer}, origin {k} (node {origin}): reached {len(nodes)} nodes, yike {len(truth_nodes)}; "
             f"{len(missing)} only in yike (first {missing[:3].tolist()}), {len(extra)} only in {peer} "
             f"(first {extra[:3].tolist()})")
    off = np.nonzero(np.abs(dist - truth_dist) >= 0.5)[0]
    if len(off):
        i = off[0]
        fail(f"{peer}, origin {k} (node {origin}): {len(off)} distances differ, first at node {nodes[i]}: "
             f"{peer} {dist[i]} ms, yike {truth_dist[i]} ms")


def pg_connect(dsn):
    import psycopg2
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    return conn


def load_pg(dsn, name, csv_path, coverage_dir=None):
    """Tables NAME_edges (and NAME_seeds): vertices are node + 1, the super-source is n + 1."""
    import io
    g = read_export(csv_path)
    conn = pg_connect(dsn)
    cur = conn.cursor()
    cur.execute(f"DROP TABLE IF EXISTS {name}_edges, {name}_seeds")
    cur.execute(f"CREATE TABLE {name}_edges (id bigint, source bigint, target bigint, cost float8, reverse_cost float8)")
    buf = io.StringIO()
    for e, (u, v, w) in enumerate(zip(g["tail"].tolist(), g["head"].tolist(), g["cost"].tolist())):
        buf.write(f"{e + 1}\t{u + 1}\t{v + 1}\t{w}\t{w}\n")
    buf.seek(0)
    cur.copy_from(buf, f"{name}_edges")
    if coverage_dir:
        meta = json.loads((Path(coverage_dir) / "meta.json").read_text())
        cur.execute(f"CREATE TABLE {name}_seeds (cat int, id bigint, source bigint, target bigint, "
                    "cost float8, reverse_cost float8)")
        buf = io.StringIO()
        next_id = len(g["tail"]) + 1
        for c in range(len(meta["categories"])):
            seeds = np.fromfile(Path(coverage_dir) / f"category_{c}_seeds.bin", dtype="<u4").reshape(-1, 2)
            for node, cost in seeds.tolist():
                buf.write(f"{c}\t{next_id}\t{g['n'] + 1}\t{node + 1}\t{cost}\t-1\n")
                next_id += 1
        buf.seek(0)
        cur.copy_from(buf, f"{name}_seeds")
        cur.execute(f"CREATE INDEX ON {name}_seeds (cat)")
    cur.execute(f"ANALYZE {name}_edges")
    cur.execute("SELECT extversion FROM pg_extension WHERE extname = 'pgrouting'")
    print(f"PostgreSQL: {name}_edges loaded ({len(g['tail'])} edges), pgRouting {cur.fetchone()[0]}")
    conn.close()


def pg_versions(dsn):
    conn = pg_connect(dsn)
    cur = conn.cursor()
    cur.execute("SELECT pgr_version(), current_setting('server_version')")
    pgr, server = cur.fetchone()
    conn.close()
    return {"pgrouting": pgr, "postgresql": server}


def check_scipy(csv_path, folder):
    """The isochrone agreement check for scipy alone, without timing (the quick ctest)."""
    from scipy.sparse.csgraph import dijkstra
    folder = Path(folder)
    budget = int(json.loads((folder / "meta.json").read_text())["budget_ms"])
    A = scipy_graph(read_export(csv_path))
    origins = np.fromfile(folder / "origins.bin", dtype="<u4").astype(np.int64).tolist()
    for k, origin in enumerate(origins):
        rows = np.fromfile(folder / f"iso_{k}.bin", dtype="<u4").reshape(-1, 2).astype(np.int64)
        d = dijkstra(A, directed=True, indices=origin, limit=budget + 0.5)[:A.shape[0] - 1]
        reached = np.nonzero(np.isfinite(d))[0]
        check_reached("scipy", k, origin, reached, d[reached], rows[:, 0], rows[:, 1].astype(np.float64), budget)
    print(f"{folder}: scipy reaches yike's nodes at yike's distances from all {len(origins)} origins")


def isochrone(csv_path, folder, repeats, dsn, table):
    import geopandas as gpd
    import igraph
    import networkx as nx
    import pyproj
    import scipy
    from scipy.sparse.csgraph import dijkstra
    from shapely import wkt as shapely_wkt
    from shapely.geometry import LineString, Point
    from shapely.ops import transform, unary_union

    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text())
    budget = int(meta["budget_ms"])
    buffer_m = float(meta["buffer_m"])
    g = read_export(csv_path, geometry=True)
    origins = np.fromfile(folder / "origins.bin", dtype="<u4").astype(np.int64).tolist()
    truth = []
    for k in range(len(origins)):
        rows = np.fromfile(folder / f"iso_{k}.bin", dtype="<u4").reshape(-1, 2).astype(np.int64)
        truth.append((rows[:, 0], rows[:, 1].astype(np.float64)))

    A = scipy_graph(g)
    G = networkx_graph(g)
    I = igraph_graph(g)

    # The osmnx isochrone recipe works on a projected osmnx graph: node x/y and edge geometry in
    # metres. Projection to the UTM zone of the graph's centre, once, outside the timing (osmnx
    # users call ox.project_graph once too).
    lon0, lat0 = g["lonlat"].mean(axis=0)
    utm = pyproj.CRS.from_dict({"proj": "utm", "zone": int((lon0 + 180) // 6) + 1, "south": lat0 < 0})
    to_utm = pyproj.Transformer.from_crs("EPSG:4326", utm, always_xy=True).transform
    xs, ys = to_utm(g["lonlat"][:, 0], g["lonlat"][:, 1])
    for u in range(g["n"]):
        G.nodes[u]["x"], G.nodes[u]["y"] = float(xs[u]), float(ys[u])
    best = {}
    for e, (u, v, w) in enumerate(zip(g["tail"].tolist(), g["head"].tolist(), g["cost"].tolist())):
        key = (u, v) if u <= v else (v, u)
        if key not in best or w < best[key][0]:
            best[key] = (w, e)
    for (u, v), (_, e) in best.items():
        G.edges[u, v]["geometry"] = transform(to_utm, shapely_wkt.loads(g["wkt"][e]))

    def osmnx_recipe(center):
        """osmnx-examples' isochrone recipe (make_iso_polys): ego graph, then every reached node and
        every edge between reached nodes buffered, the buffers unioned. Buffers = yike's corridor."""
        t0 = time.perf_counter()
        sub = nx.ego_graph(G, center, radius=budget, distance="w")
        t1 = time.perf_counter()
        node_points = [Point(d["x"], d["y"]) for _, d in sub.nodes(data=True)]
        nodes_gdf = gpd.GeoDataFrame({"id": list(sub.nodes)}, geometry=node_points).set_index("id")
        edge_lines = []
        for u, v in sub.edges():
            line = G.get_edge_data(u, v).get("geometry")
            edge_lines.append(line if line is not None else LineString([nodes_gdf.loc[u].geometry,
                                                                        nodes_gdf.loc[v].geometry]))
        n_buf = nodes_gdf.buffer(buffer_m).geometry
        e_buf = gpd.GeoSeries(edge_lines).buffer(buffer_m).geometry
        iso = gpd.GeoSeries(list(n_buf) + list(e_buf)).unary_union
        t2 = time.perf_counter()
        hull = unary_union(node_points).convex_hull
        t3 = time.perf_counter()
        return sub, iso, hull, t1 - t0, t2 - t1, t3 - t2

    pg = None
    if dsn:
        pg = pg_connect(dsn).cursor()
        edges_sql = f"SELECT id, source, target, cost, reverse_cost FROM {table}_edges"

    def run_pg(origin):
        pg.execute("SELECT node, agg_cost FROM pgr_drivingDistance(%s, %s, %s, directed => true)",
                   (edges_sql, origin + 1, budget + 0.5))
        return pg.fetchall()

    # Check every peer on every origin first: a time is only worth reporting for the same answers.
    ious = []
    outside_share = []
    for k, origin in enumerate(origins):
        t_nodes, t_dist = truth[k]
        d = dijkstra(A, directed=True, indices=origin, limit=budget + 0.5)[:g["n"]]
        reached = np.nonzero(np.isfinite(d))[0]
        check_reached("scipy", k, origin, reached, d[reached], t_nodes, t_dist, budget)
        lengths = nx.single_source_dijkstra_path_length(G, origin, cutoff=budget, weight="w")
        check_reached("networkx", k, origin, list(lengths.keys()), list(lengths.values()), t_nodes, t_dist, budget)
        d = np.array(I.distances(source=origin, weights="w")[0])
        reached = np.nonzero(np.isfinite(d))[0]
        check_reached("igraph", k, origin, reached, d[reached], t_nodes, t_dist, budget)
        if pg:
            rows = run_pg(origin)
            check_reached("pgRouting", k, origin, [r[0] - 1 for r in rows], [r[1] for r in rows],
                          t_nodes, t_dist, budget)
        sub, iso, _, _, _, _ = osmnx_recipe(origin)
        check_reached("osmnx recipe (ego_graph)", k, origin, list(sub.nodes), [0.0] * sub.number_of_nodes(),
                      t_nodes, np.zeros(len(t_nodes)), budget)
        yike_poly = transform(to_utm, shapely_wkt.loads((folder / f"iso_{k}.wkt").read_text()))
        ious.append(yike_poly.intersection(iso).area / yike_poly.union(iso).area)
        # The recipe's polygon differs from yike's in two honest ways: it buffers whole edges whose
        # middle is beyond the budget (both ends reached, d(u) + d(v) + t(u, v) > 2 * budget) and
        # leaves out the partly walked edges at the frontier. Without the first kind it must lie
        # inside yike's polygon, up to the rasterised corridor's tolerance (1 % of its area).
        full = [Point(G.nodes[u]["x"], G.nodes[u]["y"]).buffer(buffer_m) for u in sub.nodes]
        full += [G.edges[u, v]["geometry"].buffer(buffer_m) for u, v in sub.edges()
                 if lengths[u] + lengths[v] + G.edges[u, v]["w"] <= 2 * budget]
        walked = unary_union(full)
        outside = walked.difference(yike_poly).area
        outside_share.append(outside / walked.area)
        if outside > 0.01 * walked.area:
            fail(f"polygon, origin {k} (node {origin}): {outside:.0f} m² of the fully walkable streets' "
                 f"{buffer_m:.0f} m corridor ({100 * outside / walked.area:.1f} %) lies outside yike's polygon")

    times = {name: [] for name in ("scipy", "networkx", "igraph", "pgRouting",
                                   "osmnx_ego_graph", "osmnx_polygon", "osmnx_convex_hull")}
    for _ in range(repeats):
        for origin in origins:
            t0 = time.perf_counter()
            dijkstra(A, directed=True, indices=origin, limit=budget + 0.5)
            t1 = time.perf_counter()
            nx.single_source_dijkstra_path_length(G, origin, cutoff=budget, weight="w")
            t2 = time.perf_counter()
            I.distances(source=origin, weights="w")
            t3 = time.perf_counter()
            times["scipy"].append(t1 - t0)
            times["networkx"].append(t2 - t1)
            times["igraph"].append(t3 - t2)
            if pg:
                t0 = time.perf_counter()
                run_pg(origin)
                times["pgRouting"].append(time.perf_counter() - t0)
            _, _, _, t_ego, t_poly, t_hull = osmnx_recipe(origin)
            times["osmnx_ego_graph"].append(t_ego)
            times["osmnx_polygon"].append(t_poly)
            times["osmnx_convex_hull"].append(t_hull)
    out = {"repeats": repeats, "origins": len(origins), "iou_min": min(ious), "iou_median": statistics.median(ious),
           "outside_max": max(outside_share),
           "versions": {"scipy": scipy.__version__, "networkx": nx.__version__, "igraph": igraph.__version__,
                        "geopandas": gpd.__version__}}
    if pg:
        out["versions"].update(pg_versions(dsn))
    for name, samples in times.items():
        if samples:
            out[name] = {"median_ms": median_ms(samples), "p95_ms": p95_ms(samples),
                         "samples_ms": [1000 * s for s in samples]}
    (folder / "peers.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"{folder}: isochrones agree on {len(origins)} origins (polygon IoU min {min(ious):.2f}); "
          + ", ".join(f"{k} {v['median_ms']:.2f} ms" for k, v in out.items() if isinstance(v, dict) and "median_ms" in v))


# ---- coverage ----------------------------------------------------------------------------------

def coverage(folder, repeats, dsn, table):
    import networkx as nx

    folder = Path(folder)
    meta, edges, demand, categories, yike = cvs.load_problem(folder)
    n = int(meta["nodes"])
    inf_cost = int(meta["inf_cost"])
    d = cvs.Demand(demand, edges)
    g = {"n": n, "tail": edges[:, 0], "head": edges[:, 1], "cost": edges[:, 2], "length": edges[:, 3]}
    D = networkx_graph(g, directed=True)
    I = igraph_graph(g, directed=True)
    base_weights = I.es["w"]
    super_node = n
    pg = None
    if dsn:
        pg = pg_connect(dsn).cursor()

    def best_seeds(seeds):
        best = {}
        for node, cost in seeds.tolist():
            if cost < best.get(node, cost + 1):
                best[node] = cost
        return best

    def networkx_solve(cat, clock):
        t0 = time.perf_counter()
        D.add_weighted_edges_from(((super_node, v, c) for v, c in best_seeds(cat["seeds"]).items()), weight="w")
        lengths = nx.single_source_dijkstra_path_length(D, super_node, cutoff=cat["limit"], weight="w")
        D.remove_node(super_node)
        t1 = time.perf_counter()
        dist = np.full(n, np.inf)
        del lengths[super_node]
        dist[list(lengths.keys())] = list(lengths.values())
        cost = cvs.evaluate(dist, d, cat["facilities"], cat["limit"], inf_cost)
        clock["search"] += t1 - t0
        clock["total"] += time.perf_counter() - t0
        return cost

    def igraph_solve(cat, clock):
        t0 = time.perf_counter()
        best = best_seeds(cat["seeds"])
        H = I.copy()
        H.add_edges([(super_node, v) for v in best])
        dist = np.array(H.distances(source=super_node, weights=base_weights + list(best.values()))[0][:n])
        t1 = time.perf_counter()
        cost = cvs.evaluate(dist, d, cat["facilities"], cat["limit"], inf_cost)
        clock["search"] += t1 - t0
        clock["total"] += time.perf_counter() - t0
        return cost

    def pg_solve(c, cat, clock):
        t0 = time.perf_counter()
        sql = (f"SELECT id, source, target, cost, reverse_cost FROM {table}_edges UNION ALL "
               f"SELECT id, source, target, cost, reverse_cost FROM {table}_seeds WHERE cat = {c}")
        pg.execute("SELECT node, agg_cost FROM pgr_drivingDistance(%s, %s, %s, directed => true)",
                   (sql, n + 1, cat["limit"] + 0.5))
        rows = pg.fetchall()
        t1 = time.perf_counter()
        dist = np.full(n + 2, np.inf)
        if rows:
            r = np.array(rows, dtype=np.float64)
            dist[r[:, 0].astype(np.int64)] = r[:, 1]
        cost = cvs.evaluate(dist[1:n + 1], d, cat["facilities"], cat["limit"], inf_cost)
        clock["search"] += t1 - t0
        clock["total"] += time.perf_counter() - t0
        return cost

    peers = {"networkx": lambda c, cat, clock: networkx_solve(cat, clock),
             "igraph": lambda c, cat, clock: igraph_solve(cat, clock)}
    if pg:
        peers["pgRouting"] = pg_solve
    out = {"repeats": repeats, "compared_costs": int(yike.size)}
    for name, solve in peers.items():
        for r in range(repeats + 1):  # the first round checks every answer and is not timed
            clock = {"search": 0.0, "total": 0.0}
            for c, cat in enumerate(categories):
                cost = solve(c, cat, clock)
                if r == 0:
                    bad = np.nonzero(cost != yike[c])[0]
                    if len(bad):
                        i = bad[0]
                        fail(f"coverage, {name}, {folder}: category {c} ({cat['name']}): {len(bad)} of {len(cost)} "
                             f"demand costs differ from yike's, first at demand {i}: {name} {cost[i]}, yike {yike[c][i]}")
            if r > 0:
                out.setdefault(name, {"search_samples_ms": [], "total_samples_ms": []})
                out[name]["search_samples_ms"].append(1000 * clock["search"])
                out[name]["total_samples_ms"].append(1000 * clock["total"])
        out[name]["search_ms"] = statistics.median(out[name]["search_samples_ms"])
        out[name]["total_ms"] = statistics.median(out[name]["total_samples_ms"])
        print(f"{folder}: coverage, {name} agrees on all {yike.size} costs; search {out[name]['search_ms']:.0f} ms, "
              f"with evaluation {out[name]['total_ms']:.0f} ms (median of {repeats})")
    (folder / "peers.json").write_text(json.dumps(out, indent=2) + "\n")


# ---- planning ----------------------------------------------------------------------------------

def planning(folder, time_limit_s):
    """Maximal covering for every k of planning_quality's results.csv, solved again with CBC through
    PuLP; the proven optima must equal GLPK's (weights are whole numbers, so exactly)."""
    import pulp
    folder = Path(folder)
    first = np.fromfile(folder / "reach_first.bin", dtype="<u4").astype(np.int64)
    reach = np.fromfile(folder / "reach_demand.bin", dtype="<u4").astype(np.int64)
    weight = np.fromfile(folder / "weight.bin", dtype="<f8")
    covered = np.fromfile(folder / "covered.bin", dtype=np.uint8)
    rows = list(csv.DictReader(open(folder / "results.csv")))
    candidates = len(first) - 1
    # Only demand that is not covered yet and that some candidate reaches can add to the objective.
    reached_by = {}
    for j in range(candidates):
        for i in reach[first[j]:first[j + 1]].tolist():
            if not covered[i] and weight[i] > 0:
                reached_by.setdefault(i, []).append(j)
    import subprocess
    cbc_version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "coinor-cbc"], capture_output=True,
                                 text=True).stdout.strip() or "?"
    out = {"solver": f"CBC {cbc_version} (coinor-cbc) through PuLP {pulp.__version__}", "rows": []}
    for row in rows:
        k = int(row["k"])
        t0 = time.perf_counter()
        model = pulp.LpProblem("maximal_covering", pulp.LpMaximize)
        x = [pulp.LpVariable(f"x{j}", cat="Binary") for j in range(candidates)]
        y = {i: pulp.LpVariable(f"y{i}", lowBound=0, upBound=1) for i in reached_by}
        model += pulp.lpSum(float(weight[i]) * y[i] for i in reached_by)
        model += pulp.lpSum(x) <= k
        for i, js in reached_by.items():
            model += y[i] <= pulp.lpSum(x[j] for j in js)
        status = model.solve(pulp.COIN_CMD(msg=False, timeLimit=time_limit_s, threads=1))
        seconds = time.perf_counter() - t0
        proven = pulp.LpStatus[status] == "Optimal"
        cbc = float(pulp.value(model.objective) or 0.0)
        # y is continuous: at an optimum of x it takes min(1, coverage), so the objective is the
        # covered weight; recount it from x to be independent of the LP values.
        chosen = [j for j in range(candidates) if (x[j].value() or 0) > 0.5]
        hit = set()
        for j in chosen:
            hit.update(i for i in reach[first[j]:first[j + 1]].tolist() if i in reached_by)
        recount = float(sum(weight[i] for i in hit))
        glpk, glpk_proven = float(row["exact"]), row["proven"] == "1"
        if proven and glpk_proven and abs(recount - glpk) > 1e-6 * max(1.0, glpk):
            fail(f"planning, k = {k}: CBC's proven optimum {recount} differs from GLPK's {glpk}")
        if float(row["heuristic"]) > recount + 1e-6 * max(1.0, recount) and proven:
            fail(f"planning, k = {k}: yike's heuristic {row['heuristic']} exceeds CBC's optimum {recount}")
        out["rows"].append({"k": k, "heuristic": float(row["heuristic"]), "heuristic_s": float(row["heuristic_s"]),
                            "glpk": glpk, "glpk_proven": glpk_proven, "glpk_s": float(row["exact_s"]),
                            "cbc": recount, "cbc_lp_objective": cbc, "cbc_proven": proven, "cbc_s": seconds})
        print(f"planning k = {k}: yike {row['heuristic']} in {float(row['heuristic_s']):.3f} s, GLPK {glpk} "
              f"in {float(row['exact_s']):.2f} s, CBC {recount} in {seconds:.2f} s")
    (folder / "cbc.json").write_text(json.dumps(out, indent=2) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("same-graph")
    p.add_argument("csv")
    p.add_argument("folders", nargs="+")
    p = sub.add_parser("check-scipy")
    p.add_argument("csv")
    p.add_argument("folder")
    p = sub.add_parser("build")
    p.add_argument("csv")
    p.add_argument("xml")
    p.add_argument("out")
    p.add_argument("--repeats", type=int, default=5)
    p = sub.add_parser("isochrone")
    p.add_argument("csv")
    p.add_argument("folder")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--dsn")
    p.add_argument("--table", default="g")
    p = sub.add_parser("coverage")
    p.add_argument("folder")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--dsn")
    p.add_argument("--table", default="g")
    p = sub.add_parser("planning")
    p.add_argument("folder")
    p.add_argument("--time-limit-s", type=int, default=120)
    p = sub.add_parser("report")
    p.add_argument("out")
    p.add_argument("planning")
    p.add_argument("build_dir")
    p.add_argument("pairs", nargs="+")
    p.add_argument("--command", dest="command_line", default="benchmarks/run_peers.sh")
    p.add_argument("--elapsed-s", type=int, default=0)
    p.add_argument("--load-start", default="? ? ?")
    p = sub.add_parser("load-pg")
    p.add_argument("dsn")
    p.add_argument("name")
    p.add_argument("csv")
    p.add_argument("coverage_dir", nargs="?")
    a = parser.parse_args()
    if a.command == "same-graph":
        same_graph(a.csv, a.folders)
    elif a.command == "check-scipy":
        check_scipy(a.csv, a.folder)
    elif a.command == "build":
        build(a.csv, a.xml, a.out, a.repeats)
    elif a.command == "isochrone":
        isochrone(a.csv, a.folder, a.repeats, a.dsn, a.table)
    elif a.command == "coverage":
        coverage(a.folder, a.repeats, a.dsn, a.table)
    elif a.command == "planning":
        planning(a.folder, a.time_limit_s)
    elif a.command == "report":
        report(a.out, a.planning, a.build_dir, a.pairs, a.command_line, a.elapsed_s, a.load_start)
    else:
        load_pg(a.dsn, a.name, a.csv, a.coverage_dir)


if __name__ == "__main__":
    main()
