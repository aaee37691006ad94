"""net.isochrones against `yike isochrone`: the same features and polygons, parallel origins with
the GIL released, errors."""
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely.geometry

import yike
from conftest import MONACO, ORIGINS, cli_error, run_cli


def cli_isochrones(tmp_path, *args):
    path = tmp_path / "iso.geojson"
    run_cli("isochrone", "-q", "--osm", MONACO, *args, "--out", path)
    return json.loads(path.read_text())["features"]


def assert_same(frame, features, layer="isochrones"):
    features = [f for f in features if f["properties"].get("layer", "isochrones") == layer]
    assert len(frame) == len(features)
    for (_, row), f in zip(frame.iterrows(), features):
        for key, value in f["properties"].items():
            if key == "layer":
                continue
            got = row[key]
            assert got == value or (value is None and got != got), (key, got, value)
        if f["geometry"] is None:
            assert row.geometry is None
        else:
            # the same coordinates, to the last bit (GeoJSON numbers are written to read back exactly)
            assert shapely.geometry.mapping(row.geometry)["coordinates"] == \
                shapely.geometry.mapping(shapely.geometry.shape(f["geometry"]))["coordinates"]


def test_three_origins_equal_the_command(monaco, tmp_path):
    at = [a for lon, lat in ORIGINS for a in ("--at", f"{lon},{lat}")]
    frame = monaco.isochrones(ORIGINS, minutes=[15, 5, 10])
    assert isinstance(frame, gpd.GeoDataFrame) and frame.crs == "EPSG:4326"
    assert frame["origin"].tolist() == ["1"] * 3 + ["2"] * 3 + ["3"] * 3
    assert frame["minutes"].tolist() == [5.0, 10.0, 15.0] * 3
    assert_same(frame, cli_isochrones(tmp_path, *at, "--minutes", "5,10,15"))
    # nested bands: each within the next
    for o in range(3):
        b = frame.geometry.iloc[3 * o:3 * o + 3].tolist()
        assert b[1].buffer(1e-9).contains(b[0]) and b[2].buffer(1e-9).contains(b[1])


def test_meters_disjoint_and_network_equal_the_command(monaco, tmp_path):
    polygons, lines = monaco.isochrones(ORIGINS[1], meters=[300, 600], bands="disjoint", buffer=20, fill_holes=0,
                                        network=True)
    features = cli_isochrones(tmp_path, "--at", f"{ORIGINS[1][0]},{ORIGINS[1][1]}", "--meters", "300,600",
                              "--disjoint", "--buffer", "20", "--fill-holes", "0", "--network")
    assert_same(polygons, features)
    assert_same(lines, features, "reached_network")
    assert polygons["band"].tolist() == ["ring", "ring"] and len(lines) > 10


def test_points_file_and_geodataframe_equal_the_command(monaco, tmp_path):
    points = tmp_path / "points.geojson"
    points.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": name}, "geometry": {"type": "Point", "coordinates": list(p)}}
        for name, p in zip(["harbour", "rocher", "far"], [ORIGINS[0], ORIGINS[2], (7.30, 43.60)])]}))
    with pytest.warns(yike.YikeWarning, match="origin far .* skipped: no walkable street within 300 m"):
        from_file = monaco.isochrones(points, minutes=10)
    assert_same(from_file, cli_isochrones(tmp_path, "--points", points, "--minutes", "10"))
    assert from_file["error"].tolist()[2] == "no walkable street within 300 m"
    with pytest.warns(yike.YikeWarning):
        from_frame = monaco.isochrones(gpd.read_file(points), minutes=10)
    assert from_frame.drop(columns="geometry").equals(from_file.drop(columns="geometry"))
    assert from_frame.geometry.geom_equals_exact(from_file.geometry, 0).iloc[:2].all()


def test_threads_do_not_change_the_result(monaco):
    many = [(7.415 + 0.002 * i, 43.731 + 0.0015 * i) for i in range(12)]
    one = monaco.isochrones(many, minutes=[5, 10], threads=1)
    two = monaco.isochrones(many, minutes=[5, 10], threads=2)
    assert one.drop(columns="geometry").equals(two.drop(columns="geometry"))
    assert all(a.equals_exact(b, 0) for a, b in zip(one.geometry, two.geometry))


def test_bad_input(monaco, tmp_path):
    with pytest.raises(yike.UsageError, match="give the budgets with minutes= or meters=, one of them"):
        monaco.isochrones(ORIGINS, minutes=5, meters=300)
    code, message = cli_error("isochrone", "--osm", MONACO, "--at", "7.42,43.73", "--minutes", "0", "--out", tmp_path / "x.geojson")
    with pytest.raises(yike.UsageError) as e:
        monaco.isochrones(ORIGINS, minutes=[5, 0])
    assert code == 2 and str(e.value) == message.replace("--minutes", "minutes")
    with pytest.raises(yike.UsageError, match="beyond the supported maximum"):
        monaco.isochrones(ORIGINS, meters=60000)
    with pytest.raises(yike.UsageError, match="outside lon/lat bounds"):
        monaco.isochrones([(43.7, 97.4)], minutes=5)
    with pytest.raises(yike.UsageError, match="bands: nested or disjoint"):
        monaco.isochrones(ORIGINS, minutes=5, bands="rings")
    with pytest.raises(yike.ConfigError):
        monaco.isochrones(ORIGINS, minutes=5, buffer=-1)
    code, message = cli_error("isochrone", "--osm", MONACO, "--at", "7.30,43.60", "--minutes", "5", "--out", tmp_path / "x.geojson")
    with pytest.raises(yike.DataError) as e:
        monaco.isochrones((7.30, 43.60), minutes=5)
    assert code == 1 and str(e.value) == message.replace("--max-snap", "max_snap")
    with pytest.raises(yike.DataError, match="missing.geojson"):
        monaco.isochrones(str(tmp_path / "missing.geojson"), minutes=5)
