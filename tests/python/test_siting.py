"""yike.plan and yike.evaluate against `yike plan` and `yike evaluate`: the same folders to the
byte, the same sites and rankings, errors."""
import pandas as pd
import pytest

import yike
from conftest import MONACO, cli_error, run_cli, tree_differences

PLAN = ["--standard", "mofcom-15min", "--category", "convenience_store", "--k", "5", "--generate-candidates", "100"]


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan")
    run_cli("plan", "-q", "--osm", MONACO, *PLAN, "--out", folder / "cli")
    result = yike.plan(osm=MONACO, standard="mofcom-15min", categories="convenience_store", k=5, generate_candidates=100)
    return folder, result


def test_plan_folder_equals_the_command_s(planned):
    folder, result = planned
    result.write(folder / "py")
    differ, count = tree_differences(folder / "cli", folder / "py")
    assert differ == [] and count > 16  # plan.md/.csv, communities.csv, sites.gpkg, before/ and after/


def test_plan_sites_equal_plan_csv(planned):
    folder, result = planned
    csv = pd.read_csv(folder / "cli" / "plan.csv", dtype={"candidate": str})
    sites = result.sites
    assert sites["candidate"].tolist() == csv["candidate"].tolist() and len(sites) == 5
    assert sites["order"].tolist() == [1, 2, 3, 4, 5]
    assert sites["marginal_gain"].round(3).tolist() == csv["marginal_gain"].tolist()
    assert sites["cumulative_share"].round(6).tolist() == csv["cumulative_share"].tolist()
    # the README's figures: 918, 917, 599, 538 and 460 households, 14.2 % -> 30.5 %
    assert sites["marginal_gain"].round().tolist() == [918, 917, 599, 538, 460]
    assert round(sites["cumulative_share"].iloc[-1] * 100, 1) == 30.5
    assert result.summary == (folder / "cli" / "plan.md").read_text()
    pd.testing.assert_frame_equal(result.before.targets, pd.read_csv(folder / "cli" / "before" / "summary.csv"))
    pd.testing.assert_frame_equal(result.after.targets, pd.read_csv(folder / "cli" / "after" / "summary.csv"))
    assert len(result.after.facilities) == len(result.before.facilities) + 5


def test_evaluate_equals_the_command(tmp_path):
    args = ["--standard", "mofcom-15min", "--category", "pharmacy", "--generate-candidates", "200", "--only-uncovered"]
    run_cli("evaluate", "-q", "--osm", MONACO, *args, "--out", tmp_path / "cli")
    result = yike.evaluate(osm=MONACO, standard="mofcom-15min", category="pharmacy", generate_candidates=200,
                           only_uncovered=True)
    result.write(tmp_path / "py")
    assert tree_differences(tmp_path / "cli", tmp_path / "py")[0] == []
    csv = pd.read_csv(tmp_path / "cli" / "evaluation.csv", dtype={"candidate": str})
    table = result.candidates
    assert table["candidate"].tolist() == csv["candidate"].tolist() and len(table) > 10
    assert table["newly_covered"].round(3).tolist() == csv["newly_covered"].tolist()
    assert result.summary == (tmp_path / "cli" / "evaluation.md").read_text()


def test_evaluate_and_plan_a_presence_target(tmp_path):
    # The README's senior dining example: a category only Dongcheng's presence target names.
    args = ["--standard", "dongcheng-2020", "--category", "senior_dining", "--generate-candidates", "150"]
    run_cli("evaluate", "-q", "--osm", MONACO, *args, "--out", tmp_path / "cli")
    result = yike.evaluate(osm=MONACO, standard="dongcheng-2020", category="senior_dining", generate_candidates=150)
    result.write(tmp_path / "py")
    assert tree_differences(tmp_path / "cli", tmp_path / "py")[0] == []
    csv = pd.read_csv(tmp_path / "cli" / "evaluation.csv", dtype={"candidate": str, "unit": str})
    table = result.candidates
    assert table["candidate"].tolist() == csv["candidate"].tolist() and len(table) == 1253
    assert table["gain_15min"].round(3).tolist() == csv["gain_15min"].tolist()
    assert table["makes_unit_pass"].sum() == 592
    planned = yike.plan(osm=MONACO, standard="dongcheng-2020", categories="senior_dining", k=3, generate_candidates=150)
    units = pd.read_csv(_write(planned, tmp_path / "plan") / "units.csv", dtype={"candidate": str})
    chosen = units[units["status"] == "planned"]
    assert sorted(planned.sites["candidate"].tolist()) == sorted(chosen["candidate"].tolist()) and len(chosen) == 3


def test_plan_a_ratio_target_with_floor_areas(tmp_path):
    # Dongcheng's 350 m2 of community rooms per community (grid cells on Monaco): candidates with
    # a floor area close a cell's shortfall; the folder equals the command's.
    (tmp_path / "rooms.csv").write_text("id,lon,lat,floor_area\nbig,7.4246,43.7384,400\nsmall,7.4185,43.7315,100\n")
    args = ["--standard", "dongcheng-2020", "--target", "dc.community_rooms", "--k", "1", "--candidates",
            tmp_path / "rooms.csv", "--crs", "EPSG:4326", "--candidate-floor-area-field", "floor_area"]
    run_cli("plan", "-q", "--osm", MONACO, *args, "--out", tmp_path / "cli")
    result = yike.plan(osm=MONACO, standard="dongcheng-2020", target="dc.community_rooms", k=1,
                       candidates=tmp_path / "rooms.csv", crs="EPSG:4326", candidate_floor_area_field="floor_area")
    result.write(tmp_path / "py")
    assert tree_differences(tmp_path / "cli", tmp_path / "py")[0] == []
    assert result.sites["candidate"].tolist() == ["big"]
    assert result.sites["shortfall"].tolist() == [350.0]


def _write(result, folder):
    result.write(folder)
    return folder


def test_candidates_from_a_frame(planned, tmp_path):
    _, result = planned
    candidates = result.sites[["candidate", "geometry"]].rename(columns={"candidate": "id"})
    candidates.to_file(tmp_path / "candidates.geojson", driver="GeoJSON")
    run_cli("plan", "-q", "--osm", MONACO, "--standard", "mofcom-15min", "--category", "convenience_store", "--k", "2",
            "--candidates", tmp_path / "candidates.geojson", "--out", tmp_path / "cli")
    framed = yike.plan(osm=MONACO, standard="mofcom-15min", categories=["convenience_store"], k=2, candidates=candidates)
    csv = pd.read_csv(tmp_path / "cli" / "plan.csv", dtype={"candidate": str})
    assert framed.sites["candidate"].tolist() == csv["candidate"].tolist()
    assert framed.sites["marginal_gain"].round(3).tolist() == csv["marginal_gain"].tolist()


def test_bad_input(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(yike.UsageError, match="give the number of sites with k=N or the share to reach with target_share=S"):
        yike.plan(osm=MONACO, standard="mofcom-15min", generate_candidates=100)
    with pytest.raises(yike.UsageError, match="give the candidates with candidates=FILE or generate_candidates=SPACING_M"):
        yike.plan(osm=MONACO, standard="mofcom-15min", k=3)
    with pytest.raises(yike.UsageError, match=r"target_share: a share in \(0, 1\]"):
        yike.plan(osm=MONACO, standard="mofcom-15min", target_share=1.5, generate_candidates=100)
    with pytest.raises(yike.UsageError, match="give the category of the new facility with category=ID"):
        yike.evaluate(osm=MONACO, standard="mofcom-15min", generate_candidates=100)
    code, message = cli_error("evaluate", "--osm", MONACO, "--standard", "mofcom-15min", "--category", "unicorn_stable",
                              "--generate-candidates", "100", "--out", out)
    with pytest.raises(yike.ConfigError) as e:
        yike.evaluate(osm=MONACO, standard="mofcom-15min", category="unicorn_stable", generate_candidates=100)
    assert code == 1 and str(e.value) == message
