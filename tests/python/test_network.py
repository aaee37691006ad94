"""yike.Network against `yike graph`: statistics, nodes and edges, graph files, errors."""
import json
import os
import re

import numpy as np
import pandas as pd
import pytest

import yike
from conftest import MONACO, cli_error, run_cli


def test_info_equals_graph_statistics(monaco):
    out = run_cli("graph", "--osm", MONACO).stdout
    number = lambda label: int(re.search(label + r"\s+([\d,]+)", out).group(1).replace(",", ""))
    info = monaco.info
    assert info["nodes"] == number("nodes \\(junctions\\)") == 3988
    assert info["edges"] == number("edges") == 5160
    assert info["walkable_ways"] == number("walkable ways")
    assert info["components"] == number("components")
    assert f"{info['length_m'] / 1000:.1f} km" in out
    assert info["profile"] == "walk" and info["speed_m_per_s"] == 1.0


def test_nodes_and_edges_equal_the_export(monaco, tmp_path):
    path = tmp_path / "graph.geojson"
    run_cli("graph", "-q", "--osm", MONACO, "--out", path)
    features = json.loads(path.read_text())["features"]
    edges = [f for f in features if f["properties"]["layer"] == "edges"]
    nodes = [f for f in features if f["properties"]["layer"] == "nodes"]
    e = monaco.edges
    assert len(e) == len(edges)
    for column in ["edge", "from_node", "to_node", "from_osm_id", "to_osm_id", "way_id", "length_m", "length_cm", "time_ms"]:
        assert e[column].tolist() == [f["properties"][column] for f in edges], column
    assert all(list(map(list, g.coords)) == f["geometry"]["coordinates"] for g, f in zip(e.geometry, edges))
    n = monaco.nodes
    assert n["node"].tolist() == [f["properties"]["node"] for f in nodes]
    assert n["osm_id"].tolist() == [f["properties"]["osm_id"] for f in nodes]
    assert [[p.x, p.y] for p in n.geometry] == [f["geometry"]["coordinates"] for f in nodes]
    assert e["length_cm"].dtype == np.int64 and e["time_ms"].dtype == np.int64


def test_graph_file_round_trip(monaco, tmp_path):
    path = tmp_path / "monaco.ykg"
    monaco.save(path)
    loaded = yike.Network.from_graph_file(path)
    pd.testing.assert_frame_equal(pd.DataFrame(loaded.edges.drop(columns="geometry")),
                                  pd.DataFrame(monaco.edges.drop(columns="geometry")))
    assert loaded.info["nodes"] == monaco.info["nodes"]
    # the command reads the module's graph file and the module reads the command's
    assert "nodes (junctions)     3,988" in run_cli("graph", "--graph", path).stdout
    cli_file = tmp_path / "cli.ykg"
    run_cli("graph", "-q", "--osm", MONACO, "--save", cli_file)
    assert cli_file.read_bytes() == path.read_bytes()


def test_senior_profile_and_speed(monaco):
    senior = yike.Network.from_osm(MONACO, profile="senior")
    fast = yike.Network.from_osm(MONACO, speed=1.5)
    assert senior.profile == "senior" and senior.info["speed_m_per_s"] == 0.9
    assert fast.info["speed_m_per_s"] == 1.5
    assert (senior.edges["time_ms"] > monaco.edges["time_ms"]).all()
    assert (fast.edges["time_ms"] < monaco.edges["time_ms"]).all()
    assert (fast.edges["length_cm"] == monaco.edges["length_cm"]).all()


def test_bad_input_raises_the_command_s_error(tmp_path):
    missing = str(tmp_path / "missing.osm.pbf")
    code, message = cli_error("graph", "--osm", missing)
    with pytest.raises(yike.DataError) as e:
        yike.Network.from_osm(missing)
    assert str(e.value) == message and code == 1

    code, message = cli_error("graph", "--osm", MONACO, "--profile", "runner")
    with pytest.raises(yike.ConfigError) as e:
        yike.Network.from_osm(MONACO, profile="runner")
    assert str(e.value) == message and code == 1

    code, message = cli_error("graph", "--osm", MONACO, "--speed", "40")
    with pytest.raises(yike.ConfigError) as e:
        yike.Network.from_osm(MONACO, speed=40)
    assert str(e.value) == message

    not_a_graph = tmp_path / "not.ykg"
    not_a_graph.write_text("hello")
    code, message = cli_error("graph", "--graph", not_a_graph)
    with pytest.raises(yike.DataError) as e:
        yike.Network.from_graph_file(not_a_graph)
    assert str(e.value) == message
    assert issubclass(yike.DataError, yike.Error) and issubclass(yike.ConfigError, yike.Error)
    assert issubclass(yike.UsageError, yike.Error) and not issubclass(yike.UsageError, yike.DataError)
    with pytest.raises(yike.UsageError):
        yike.Network.from_osm(42)
