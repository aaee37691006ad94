"""yike.coverage against `yike coverage`: the same report folder to the byte, the same tables and
layers, user layers as files and as GeoDataFrames, errors."""
import os
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import yike
from conftest import MONACO, SOURCE, cli_error, run_cli, tree_differences


@pytest.fixture(scope="module")
def estimated(tmp_path_factory):
    """The main job: OSM facilities, estimated households, 500 m grid cells."""
    folder = tmp_path_factory.mktemp("estimated")
    run_cli("coverage", "-q", "--osm", MONACO, "--standard", "mofcom-15min", "--out", folder / "cli")
    with pytest.warns(yike.YikeWarning, match="without building:levels"):
        result = yike.coverage(osm=MONACO, standard="mofcom-15min")
    return folder, result


def test_write_equals_the_command_s_folder(estimated):
    folder, result = estimated
    result.write(folder / "py")
    differ, count = tree_differences(folder / "cli", folder / "py")
    # summary.md/.csv/.json/.xlsx, communities, subdistricts, issues, layers.gpkg, report.html, .yike-output
    assert differ == [] and count == 10


def test_tables_equal_the_command_s_files(estimated):
    folder, result = estimated
    pd.testing.assert_frame_equal(result.targets, pd.read_csv(folder / "cli" / "summary.csv"))
    pd.testing.assert_frame_equal(result.communities_table, pd.read_csv(folder / "cli" / "communities.csv"))
    pd.testing.assert_frame_equal(result.subdistricts_table, pd.read_csv(folder / "cli" / "subdistricts.csv"))
    assert result.csv_bytes("summary.csv") == (folder / "cli" / "summary.csv").read_bytes()
    assert result.summary == (folder / "cli" / "summary.md").read_text()
    first = result.targets.iloc[0]
    assert first["target_id"] == "mofcom.convenience_5min"


@pytest.mark.parametrize("layer,attribute", [("demand", "demand"), ("uncovered", "uncovered"), ("communities", "areas"),
                                             ("subdistricts", "subdistricts"), ("facilities", "facilities")])
def test_layers_equal_the_command_s_geopackage(estimated, layer, attribute):
    folder, result = estimated
    ours = getattr(result, attribute)
    # The module's layers carry every column: the command's with --detail full.
    full = folder / "cli-full"
    if not full.exists():
        run_cli("coverage", "-q", "--osm", MONACO, "--standard", "mofcom-15min", "--detail", "full", "--out", full)
    theirs = gpd.read_file(full / "layers.gpkg", layer=layer)
    assert isinstance(ours, gpd.GeoDataFrame) and list(ours.columns) == list(theirs.columns)
    assert len(ours) == len(theirs) > 0
    for column in ours.columns:
        if column == "geometry":
            assert (ours.geometry.isna() == theirs.geometry.isna()).all()
            present = ~ours.geometry.isna()
            # the GeoPackage holds the computed doubles; the module, like the command's GeoJSON, rounds to 1e-7 degrees (at most 5e-8 per axis)
            assert ours.geometry[present].geom_equals_exact(theirs.geometry[present], 0.71e-7).all()
            continue
        a, b = ours[column], theirs[column]
        if a.dtype.kind in "fi" and b.dtype.kind in "fi":
            assert np.array_equal(a.to_numpy(float), b.to_numpy(float), equal_nan=True), column
        else:
            assert [None if v is None or v != v else v for v in a] == \
                   [None if v is None or v != v else v for v in b], column


def test_per_category_costs_are_the_command_s(estimated):
    _, result = estimated
    d = result.demand
    assert {"convenience_store_m", "convenience_store_min", "convenience_store_senior_min",
            "convenience_store_nearest", "covered_mofcom_convenience_5min"} <= set(d.columns)
    covered = d["covered_mofcom_convenience_5min"]
    share = d.loc[covered, "households"].sum() / d["households"].sum()
    assert round(share * 100, 1) == 14.2  # the README's table
    within = (d[["convenience_store_min", "supermarket_min"]].min(axis=1) <= 5) & d["snapped"]
    assert (within == covered).all()


@pytest.fixture(scope="module")
def user_layers(estimated, tmp_path_factory):
    """Facilities, households and communities as files, made from the estimated run's layers."""
    _, result = estimated
    folder = tmp_path_factory.mktemp("layers")
    facilities = result.facilities[result.facilities["category"].isin(["convenience_store", "supermarket", "pharmacy"])]
    facilities = facilities[["id", "name", "category", "geometry"]]
    facilities.to_file(folder / "facilities.geojson", driver="GeoJSON")
    households = result.demand[["id", "households", "population", "seniors", "children", "geometry"]]
    households.to_file(folder / "households.geojson", driver="GeoJSON")
    communities = result.areas[["id", "name", "geometry"]].iloc[:20]
    communities.to_file(folder / "communities.geojson", driver="GeoJSON")
    return folder


def test_user_layers_as_files_and_frames_equal_the_command(user_layers):
    f = user_layers
    run_cli("coverage", "-q", "--osm", MONACO, "--standard", "mofcom-15min", "--no-osm-facilities",
            "--facilities", f / "facilities.geojson", "--households", f / "households.geojson",
            "--communities", f / "communities.geojson", "--layers", "geojson", "--out", f / "cli")
    by_path = yike.coverage(osm=MONACO, standard="mofcom-15min", osm_facilities=False,
                            facilities=str(f / "facilities.geojson"), households=f / "households.geojson",
                            communities=f / "communities.geojson", layers="geojson")
    by_path.write(f / "py")
    differ, _ = tree_differences(f / "cli", f / "py")
    assert differ == []
    by_frame = yike.coverage(osm=MONACO, standard="mofcom-15min", osm_facilities=False,
                             facilities=gpd.read_file(f / "facilities.geojson"),
                             households=gpd.read_file(f / "households.geojson"),
                             communities=gpd.read_file(f / "communities.geojson"))
    # the same figures; only the report's list of input files names the temporary copies
    pd.testing.assert_frame_equal(by_frame.targets, by_path.targets)
    pd.testing.assert_frame_equal(by_frame.communities_table, by_path.communities_table)
    assert by_frame.demand.drop(columns="geometry").equals(by_path.demand.drop(columns="geometry"))


def test_facility_layer_with_a_category(user_layers):
    f = user_layers
    pharmacies = gpd.read_file(f / "facilities.geojson")
    pharmacies = pharmacies[pharmacies["category"] == "pharmacy"].drop(columns="category")
    pharmacies.to_file(f / "pharmacies.geojson", driver="GeoJSON")
    run_cli("coverage", "-q", "--osm", MONACO, "--standard", "mofcom-15min", "--facilities",
            f"{f / 'pharmacies.geojson'}=pharmacy", "--out", f / "cli-pharmacy")
    spec = yike.coverage(osm=MONACO, standard="mofcom-15min", facilities=f"{f / 'pharmacies.geojson'}=pharmacy")
    spec.write(f / "py-pharmacy")
    assert tree_differences(f / "cli-pharmacy", f / "py-pharmacy")[0] == []
    framed = yike.coverage(osm=MONACO, standard="mofcom-15min", facilities=(pharmacies, "pharmacy"))
    pd.testing.assert_frame_equal(framed.targets, spec.targets)


def test_scenario(tmp_path):
    scenario = os.path.join(SOURCE, "data", "scenarios", "monaco-mofcom.toml")
    run_cli("coverage", "-q", "--scenario", scenario, "--grid", "1000", "--out", tmp_path / "cli")
    result = yike.coverage(scenario=scenario, grid=1000)
    result.write(tmp_path / "py")
    assert tree_differences(tmp_path / "cli", tmp_path / "py")[0] == []
    assert len(result.areas) < 70


def test_bad_input(tmp_path):
    out = tmp_path / "out"
    code, message = cli_error("coverage", "--osm", MONACO, "--standard", "nowhere-2030", "--out", out)
    with pytest.raises(yike.ConfigError) as e:
        yike.coverage(osm=MONACO, standard="nowhere-2030")
    assert code == 1 and str(e.value) == message
    missing = tmp_path / "households.geojson"
    code, message = cli_error("coverage", "--osm", MONACO, "--households", missing, "--out", out)
    with pytest.raises(yike.DataError) as e:
        yike.coverage(osm=MONACO, households=missing)
    assert code == 1 and str(e.value) == message
    code, message = cli_error("coverage", "--osm", MONACO, "--grid", "10", "--out", out)
    with pytest.raises(yike.UsageError) as e:
        yike.coverage(osm=MONACO, grid=10)
    assert code == 2 and str(e.value) == message.replace("--grid", "grid")
    with pytest.raises(yike.UsageError, match="give one of households, estimate_households and population_raster"):
        yike.coverage(osm=MONACO, households=missing, estimate_households=True)
    with pytest.raises(yike.UsageError, match=r"give osm=FILE \(or scenario=FILE\)"):
        yike.coverage(standard="mofcom-15min")
    with pytest.raises(TypeError, match="unexpected keyword argument 'standrad'"):
        yike.coverage(osm=MONACO, standrad="mofcom-15min")
    result = yike.coverage(osm=MONACO, standard="mofcom-15min")
    with pytest.raises(yike.DataError, match="the parent folder does not exist"):
        result.write(tmp_path / "no" / "such")
    # a folder yike did not write is replaced only with force, as with --force
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    code, message = cli_error("coverage", "--osm", MONACO, "--standard", "mofcom-15min", "--out", mine)
    with pytest.raises(yike.DataError) as e:
        result.write(mine)
    assert code == 1 and str(e.value) == message and (mine / "notes.txt").exists()
    result.write(mine, force=True)
    assert (mine / "summary.csv").exists() and not (mine / "notes.txt").exists()


def test_amap_export_as_the_command_reads_it(tmp_path):
    """An AMap POI export (the README's Haidian example) read as the command reads it."""
    example = os.path.join(SOURCE, "data", "examples", "haidian")
    haidian = os.path.join(SOURCE, "data", "osm", "beijing-haidian-cau.osm.bz2")
    sheet = os.path.join(example, "facilities-amap.csv")
    communities = os.path.join(example, "communities.geojson")
    run_cli("coverage", "-q", "--osm", haidian, "--standard", "dongcheng-2020", "--facilities", sheet,
            "--poi-format", "amap", "--communities", communities, "--out", tmp_path / "cli")
    with pytest.warns(yike.YikeWarning, match="map to no category of amap.toml"):
        result = yike.coverage(osm=haidian, standard="dongcheng-2020", facilities=sheet, poi_format="amap",
                               communities=communities)
    result.write(tmp_path / "py")
    differ, count = tree_differences(tmp_path / "cli", tmp_path / "py")
    assert differ == [] and count == 11  # facility_issues.csv too
    assert "如家快捷酒店,unmapped" in (tmp_path / "py" / "facility_issues.csv").read_text(encoding="utf-8-sig")


def test_lang_and_no_data_equal_the_command(tmp_path):
    """lang= as --lang; MOFCOM's breakfast is rarely in OSM: daily_8min is no_data, with what it needs."""
    run_cli("coverage", "-q", "--osm", MONACO, "--standard", "mofcom-15min", "--lang", "en", "--out", tmp_path / "cli")
    with pytest.warns(yike.YikeWarning, match="without building:levels"):
        result = yike.coverage(osm=MONACO, standard="mofcom-15min", lang="en")
    result.write(tmp_path / "py")
    differ, count = tree_differences(tmp_path / "cli", tmp_path / "py")
    assert differ == [] and count == 10
    assert (tmp_path / "py" / "summary.md").read_text(encoding="utf-8").startswith("# Gap report: MOFCOM")
    row = result.targets.set_index("target_id").loc["mofcom.daily_8min"]
    assert row["status"] == "no_data" and row["needs_categories"] == "breakfast"


def test_dem_equals_the_command_s_folder(tmp_path):
    """dem= is --dem: with the synthetic Monaco relief, the command's folder byte for byte (tests/cli
    checks that the relief changes the figures)."""
    dem = tmp_path / "monaco-dem.asc"
    subprocess.run([sys.executable, os.path.join(SOURCE, "scripts", "monaco-dem"), str(dem)], check=True)
    run_cli("coverage", "-q", "--osm", MONACO, "--standard", "mofcom-15min", "--dem", dem, "--out", tmp_path / "cli")
    with pytest.warns(yike.YikeWarning, match="without building:levels"):
        result = yike.coverage(osm=MONACO, standard="mofcom-15min", dem=dem)
    result.write(tmp_path / "py")
    differ, count = tree_differences(tmp_path / "cli", tmp_path / "py")
    assert differ == [] and count == 10
