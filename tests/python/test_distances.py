"""net.distances against an independent Dijkstra over the `yike graph` export, from the snapped
starts `yike isochrone` reports."""
import json

import numpy as np
import pytest

import yike
from conftest import MONACO, ORIGINS, run_cli
from graph_export import dijkstra, offnet, read_edges


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    run_cli("graph", "-q", "--osm", MONACO, "--out", folder / "graph.csv")
    return read_edges(folder / "graph.csv")


def snapped_start(tmp_path, point):
    """(edge, offset_cm, offnet_cm) of a point, as the command snaps it."""
    path = tmp_path / "start.geojson"
    run_cli("isochrone", "-q", "--osm", MONACO, "--at", f"{point[0]},{point[1]}", "--meters", "1", "--out", path)
    p = json.loads(path.read_text())["features"][0]["properties"]
    return p["snapped_edge"], p["snapped_offset_cm"], p["offnet_cm"]


def part(edges, e, cm, metric):
    length, t = edges[e][2], edges[e][3]
    return min(cm, length) if metric == "length" else t * min(cm, length) // length


def leg(cm, metric):
    return cm if metric == "length" else offnet(cm, 1000)


def starts(edges, start, metric):
    e, offset, off = start
    u, v, length, _ = edges[e]
    return [(leg(off, metric) + part(edges, e, offset, metric), u),
            (leg(off, metric) + part(edges, e, length - offset, metric), v)]


def metric_edges(edges, metric):
    return edges if metric == "time" else {e: (u, v, l, l) for e, (u, v, l, _) in edges.items()}


@pytest.mark.parametrize("metric", ["time", "length"])
def test_per_node_costs_equal_an_independent_search(monaco, export, tmp_path, metric):
    sources = ORIGINS[:2]
    begins = [snapped_start(tmp_path, p) for p in sources]
    edges = metric_edges(export, metric)
    per_source = [dijkstra(edges, starts(export, b, metric)) for b in begins]
    limit = 15 if metric == "time" else 1200
    got = monaco.distances(sources, **({"max_minutes": limit} if metric == "time" else {"max_meters": limit}))
    budget = limit * 60000 if metric == "time" else limit * 100
    assert got.cost.dtype == np.int64 and len(got.cost) == monaco.info["nodes"]
    reached = 0
    for u in range(len(got.cost)):
        best = min((d.get(u, 1 << 62), i) for i, d in enumerate(per_source))
        if best[0] <= budget:
            reached += 1
            assert (got.cost[u], got.source[u]) == best, u
        else:
            assert (got.cost[u], got.source[u]) == (-1, -1), u
    assert reached > 100


def test_per_target_costs_equal_an_independent_search(monaco, export, tmp_path):
    source, targets = ORIGINS[0], [ORIGINS[1], ORIGINS[2], (7.4210, 43.7350)]
    dist = dijkstra(export, starts(export, snapped_start(tmp_path, source), "time"))
    expected = []
    for t in targets:
        e, offset, off = snapped_start(tmp_path, t)
        u, v, length, _ = export[e]
        expected.append(offnet(off, 1000) + min(dist[u] + part(export, e, offset, "time"),
                                                dist[v] + part(export, e, length - offset, "time")))
    got = monaco.distances([source], targets)
    assert got.cost.tolist() == expected and got.source.tolist() == [0, 0, 0]
    limited = monaco.distances([source], targets, max_minutes=min(expected) / 60000)
    assert limited.cost.tolist() == [c if c == min(expected) else -1 for c in expected]


def test_unsnappable_points(monaco):
    got = monaco.distances([ORIGINS[0]], [(7.30, 43.60), ORIGINS[1]])
    assert got.cost[0] == -1 and got.cost[1] > 0
    with pytest.raises(yike.DataError, match=r"source 0 \(7.3,43.6\) is off the network"):
        monaco.distances([(7.30, 43.60)])
    with pytest.raises(yike.UsageError, match="give max_minutes= or max_meters=, not both"):
        monaco.distances([ORIGINS[0]], max_minutes=5, max_meters=500)
    with pytest.raises(yike.UsageError, match="max_minutes: must be a positive number"):
        monaco.distances([ORIGINS[0]], max_minutes=-5)
