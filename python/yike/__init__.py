"""yike (一刻): exact 15-minute walking coverage of services, from Python.

The same engine as the ``yike`` command, called in-process: walking networks from OpenStreetMap,
isochrones, nearest-source costs, coverage reports against planning standards, candidate evaluation
and site planning. Results come back as pandas DataFrames, or GeoDataFrames (EPSG:4326) when
geopandas is installed; ``write(folder)`` writes exactly the folder the command writes.

    import yike
    net = yike.Network.from_osm("data/osm/monaco.osm.pbf")
    bands = net.isochrones([(7.4246, 43.7384)], minutes=[5, 10, 15])
    report = yike.coverage(osm="data/osm/monaco.osm.pbf", standard="mofcom-15min")
    report.targets

Errors raise yike.DataError (bad or missing data, files that cannot be read), yike.ConfigError
(malformed settings: standards, profiles, scenarios, option values the engine checks) and
yike.UsageError (argument combinations and values the command would refuse with exit 2), all
subclasses of yike.Error, carrying the command's one-line messages. See doc/python.md.
"""
import io as _io
import os
import tempfile
import warnings as _warnings
from collections import namedtuple

import numpy as np
import pandas as pd

try:
    import geopandas as _gpd
except ImportError:  # plain DataFrames, geometry as WKB bytes
    _gpd = None

from . import _yike

Error = _yike.Error
DataError = _yike.DataError
ConfigError = _yike.ConfigError
UsageError = _yike.UsageError

__all__ = [
    "Network", "Distances", "coverage", "evaluate", "plan", "standards", "describe_standard",
    "CoverageResult", "Report", "SitingResult", "Error", "DataError", "ConfigError", "UsageError", "YikeWarning",
]


class YikeWarning(UserWarning):
    """What the command prints as ``warning: ...`` (skipped features, unsnapped points, ...)."""


def _warn(messages):
    for m in messages:
        _warnings.warn(m, YikeWarning, stacklevel=3)


def _frame(table):
    """A (Geo)DataFrame of the columns and WKB geometries the compiled module hands over."""
    columns, geometries = table
    df = pd.DataFrame(dict(columns))
    if _gpd is not None:
        geometry = _gpd.GeoSeries.from_wkb(list(geometries), crs="EPSG:4326")
        return _gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")
    df["geometry"] = list(geometries)
    return df


def _path(value, name):
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    raise UsageError(f"{name}: expected a file path, a GeoDataFrame or a DataFrame, got {type(value).__name__}")


def _is_frame(value):
    return isinstance(value, pd.DataFrame)


def _write_frame(frame, folder, stem):
    """A file the engine reads exactly as it reads the user's files: GeoJSON for a GeoDataFrame
    (in lon/lat when it has a CRS; without one, the run's crs= applies, as for the command),
    CSV with lon/lat columns for a plain DataFrame (which then needs crs=)."""
    if _gpd is not None and isinstance(frame, _gpd.GeoDataFrame):
        if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
            frame = frame.to_crs("EPSG:4326")
        path = os.path.join(folder, stem + ".geojson")
        frame.to_file(path, driver="GeoJSON")
        return path
    path = os.path.join(folder, stem + ".csv")
    frame.to_csv(path, index=False)
    return path


class _Inputs:
    """Turns the inputs a notebook has (paths, GeoDataFrames, DataFrames) into paths, writing
    frames into a temporary folder that lives for the run."""

    def __init__(self):
        self._dir = None
        self._count = 0

    def path(self, value, name):
        if value is None:
            return None
        if _is_frame(value):
            if self._dir is None:
                self._dir = tempfile.TemporaryDirectory(prefix="yike-")
            self._count += 1
            return _write_frame(value, self._dir.name, f"{name}-{self._count}")
        return _path(value, name)

    def close(self):
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None


def _lonlat_list(points, name):
    """(lon, lat) pairs from one pair, a sequence of pairs, an (n, 2) array or a GeoDataFrame of points."""
    if _gpd is not None and isinstance(points, _gpd.GeoDataFrame):
        g = points if points.crs is None or points.crs.equals("EPSG:4326") else points.to_crs("EPSG:4326")
        return [(float(p.x), float(p.y)) for p in g.geometry.representative_point()]
    if isinstance(points, pd.DataFrame):
        return [(float(x), float(y)) for x, y in zip(points["lon"], points["lat"])]
    arr = np.asarray(points, dtype=float)
    if arr.ndim == 1 and arr.shape[0] == 2:
        arr = arr.reshape(1, 2)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise UsageError(f"{name}: expected (lon, lat) pairs, got an array of shape {arr.shape}")
    return [(float(x), float(y)) for x, y in arr]


def _budgets(value):
    if value is None:
        return None
    if np.isscalar(value):
        return [float(value)]
    return [float(v) for v in value]


Distances = namedtuple("Distances", ["cost", "source"])
Distances.__doc__ = """Nearest-source costs: ``cost`` (int64: milliseconds, or centimetres when
measured in metres; -1 where no source is within the limit) and ``source`` (int64 index into the
sources; -1 likewise), per node of the network or per target point."""


class Network:
    """A walking network: the graph ``yike graph`` builds (or loads with ``--graph``)."""

    def __init__(self, native):
        self._net = native
        self._nodes = None
        self._edges = None

    @classmethod
    def from_osm(cls, path, profile="walk", speed=None, barriers=True):
        """Builds the walking network of an OSM extract (.osm.pbf, .osm, .osm.gz, .osm.bz2) for a
        profile (``walk``, ``senior``, ``wheelchair`` or a TOML file), optionally at another speed (m/s).
        With ``barriers`` (as ``yike isochrone --osm``; ``False`` is ``--no-barriers``) the extract's
        walls, water edges, railways and motorways are read too, and isochrones stop at them."""
        net = cls(_yike.Network.from_osm(_path(path, "path"), os.fspath(profile), speed, bool(barriers)))
        _warn(net._net.warnings)
        return net

    @classmethod
    def from_graph_file(cls, path):
        """Loads a graph file written by ``save`` or ``yike graph --save``."""
        return cls(_yike.Network.from_graph_file(_path(path, "path")))

    def save(self, path):
        """Writes the graph file (.ykg) that ``from_graph_file`` and ``yike ... --graph`` read."""
        self._net.save(_path(path, "path"))

    @property
    def info(self):
        """The statistics ``yike graph`` prints (nodes, edges, length_m, components, ...)."""
        return self._net.info()

    @property
    def profile(self):
        return self.info["profile"]

    @property
    def nodes(self):
        """Junctions and dead ends: ``node`` (dense id), ``osm_id`` and the point (as ``yike graph --out``)."""
        if self._nodes is None:
            columns, lon, lat = self._net.nodes()
            df = pd.DataFrame(dict(columns))
            if _gpd is not None:
                df = _gpd.GeoDataFrame(df, geometry=_gpd.points_from_xy(lon, lat), crs="EPSG:4326")
            else:
                df["lon"], df["lat"] = lon, lat
            self._nodes = df
        return self._nodes

    @property
    def edges(self):
        """Street pieces with ``from_node``/``to_node``, OSM ids, ``length_m`` and the integer costs
        the searches use, ``length_cm`` and ``time_ms`` (as ``yike graph --out``)."""
        if self._edges is None:
            self._edges = _frame(self._net.edges())
        return self._edges

    def isochrones(self, points, minutes=None, meters=None, bands="nested", max_snap=300.0, buffer=30.0,
                   fill_holes=5000.0, network=False, threads=None):
        """Walking isochrones, as ``yike isochrone``: one row per origin and budget with ``origin``,
        ``minutes`` (or ``meters``), ``band``, ``area_m2``, ``reached_length_m``, the snapped start and
        the polygon. ``points``: a (lon, lat) pair, a sequence of pairs (origins "1", "2", ...), a
        point file or a GeoDataFrame (ids from its ``id`` or ``name`` column, as ``--points``).
        Origins are computed in parallel on ``threads`` threads (default: all cores) with the GIL
        released. ``bands="disjoint"`` gives rings. With ``network=True`` returns
        (isochrones, reached_network)."""
        times, lengths = _budgets(minutes), _budgets(meters)
        if (times is None) == (lengths is None):
            raise UsageError("give the budgets with minutes= or meters=, one of them")
        if bands not in ("nested", "disjoint"):
            raise UsageError(f"bands: nested or disjoint (got {bands!r})")
        inputs = _Inputs()
        try:
            given, path = [], ""
            if isinstance(points, (str, os.PathLike)) or (_gpd is not None and isinstance(points, _gpd.GeoDataFrame)):
                path = inputs.path(points, "points")
            else:
                given = [(str(i + 1), lon, lat) for i, (lon, lat) in enumerate(_lonlat_list(points, "points"))]
            polygons, lines, warnings = self._net.isochrones(
                given, path, times if times is not None else lengths, times is not None, bands == "disjoint",
                float(max_snap), float(buffer), float(fill_holes), bool(network), threads)
        finally:
            inputs.close()
        _warn(warnings)
        if network:
            return _frame(polygons), _frame(lines)
        return _frame(polygons)

    def distances(self, sources, targets=None, max_minutes=None, max_meters=None, max_snap=300.0):
        """The cost from the nearest source, exactly as the searches of ``yike coverage`` count it
        (integers: walking time in ms, or length in cm with ``max_meters``): per node of the network
        (``targets=None``: index by ``nodes.node``) or per target point. Points are snapped like
        isochrone origins (an unsnappable source is a DataError; an unsnappable target gets -1).
        Without a limit the whole network is searched. Returns ``Distances(cost, source)``."""
        if max_minutes is not None and max_meters is not None:
            raise UsageError("give max_minutes= or max_meters=, not both")
        by_time = max_meters is None
        limit = max_minutes if by_time else max_meters
        tgt = None if targets is None else _lonlat_list(targets, "targets")
        cost, source = self._net.distances(_lonlat_list(sources, "sources"), tgt, by_time,
                                           None if limit is None else float(limit), float(max_snap))
        return Distances(cost, source)

    def __repr__(self):
        i = self.info
        return (f"<yike.Network {i['source']}: profile {i['profile']}, {i['nodes']:,} nodes, "
                f"{i['edges']:,} edges, {i['length_m'] / 1000:.1f} km>")


class Report:
    """The tables and layers of an evaluated coverage (a coverage run, or a plan's before/after)."""

    def __init__(self, tables):
        self._fetch = tables
        self._tables = None
        self._cache = {}

    def _t(self):
        if self._tables is None:
            self._tables = self._fetch()
        return self._tables

    def _layer(self, name):
        if name not in self._cache:
            self._cache[name] = _frame(self._t()["layers"][name])
        return self._cache[name]

    def _csv(self, name):
        return pd.read_csv(_io.BytesIO(self._t()[name]))

    @property
    def targets(self):
        """summary.csv: every target with required vs achieved, status and uncovered demand."""
        return self._csv("summary_csv")

    @property
    def communities_table(self):
        """communities.csv: every target per community (or grid cell)."""
        return self._csv("communities_csv")

    @property
    def subdistricts_table(self):
        """subdistricts.csv: every target per sub-district."""
        return self._csv("subdistricts_csv")

    @property
    def summary(self):
        """summary.md (bilingual Markdown)."""
        return self._t()["summary_md"]

    @property
    def demand(self):
        """Demand points with per-category distance (``<category>_m``), walking time (``_min``),
        senior walking time (``_senior_min``), nearest facility and covered flags per target."""
        return self._layer("demand")

    @property
    def uncovered(self):
        """One row per target and demand point the target leaves uncovered."""
        return self._layer("uncovered")

    @property
    def areas(self):
        """Communities (or grid cells) with their demand and every target's status and share."""
        return self._layer("communities")

    @property
    def subdistricts(self):
        """Sub-districts (or the whole study area) with every target's status and share."""
        return self._layer("subdistricts")

    @property
    def facilities(self):
        """Facilities with their snap and the demand each serves."""
        return self._layer("facilities")

    def csv_bytes(self, name):
        """The exact bytes of summary.csv, communities.csv or subdistricts.csv."""
        return self._t()[{"summary.csv": "summary_csv", "communities.csv": "communities_csv",
                          "subdistricts.csv": "subdistricts_csv"}[name]]


class CoverageResult(Report):
    """The result of ``yike.coverage``: the report's tables and layers, and ``write(folder)``."""

    def __init__(self, native):
        super().__init__(native.tables)
        self._run = native

    @property
    def standard(self):
        return self._run.standard

    @property
    def warnings(self):
        return list(self._run.warnings)

    def write(self, folder, force=False):
        """Writes the report folder ``yike coverage --out FOLDER`` writes (byte-identical for the
        same inputs); its parent must exist; the folder is replaced atomically, and, as with the
        command, only when it is empty or was written by yike (``force=True``: any folder holding
        none of the run's inputs)."""
        self._run.write(_path(folder, "folder"), bool(force))


class SitingResult:
    """The result of ``yike.plan`` (``sites``: the chosen sites in order, ``before``/``after``
    reports) or ``yike.evaluate`` (``candidates``: ranked)."""

    def __init__(self, native, is_plan):
        self._run = native
        self._is_plan = is_plan
        self._rows = None

    def _table(self):
        if self._rows is None:
            self._rows = _frame(self._run.rows())
        return self._rows

    @property
    def sites(self):
        """plan: per category the chosen sites in order, with the values of plan.csv (unrounded)."""
        if not self._is_plan:
            raise AttributeError("an evaluation has candidates, not sites")
        return self._table()

    @property
    def candidates(self):
        """evaluate: the candidates ranked by newly covered demand (the values of evaluation.csv, unrounded)."""
        if self._is_plan:
            raise AttributeError("a plan has sites, not candidates")
        return self._table()

    @property
    def before(self):
        return Report(self._run.before)

    @property
    def after(self):
        if not self._is_plan:
            raise AttributeError("an evaluation has no after state")
        return Report(self._run.after)

    @property
    def summary(self):
        """plan.md or evaluation.md."""
        return self._run.markdown()

    @property
    def warnings(self):
        return list(self._run.warnings)

    def write(self, folder, force=False):
        """Writes the folder ``yike plan --out`` (or ``yike evaluate --out``) writes (``force`` as
        for ``CoverageResult.write``)."""
        self._run.write(_path(folder, "folder"), bool(force))


_COVERAGE_KEYS = (
    "osm", "standard", "facilities", "households", "communities", "subdistricts", "crs", "scenario",
    "osm_facilities", "category_field", "capacity_field", "floor_area_field", "staff_field",
    "estimate_households", "population_raster", "parent_field", "community_households", "grid", "profile",
    "senior_profile", "max_snap", "decay", "layers", "lang", "threads", "poi_format", "encoding", "dem",
)


def _facility_list(facilities, inputs):
    """[(path, category or "")] from a path, "PATH=CATEGORY", (path or frame, category), a frame, or a list of these."""
    if facilities is None:
        return None
    if isinstance(facilities, (str, os.PathLike, pd.DataFrame)) or (
            isinstance(facilities, tuple) and len(facilities) == 2 and isinstance(facilities[1], str)):
        facilities = [facilities]
    out = []
    for f in facilities:
        if isinstance(f, tuple):
            out.append((inputs.path(f[0], "facilities"), f[1]))
        elif isinstance(f, (str, os.PathLike)):
            spec = os.fspath(f)
            eq = spec.rfind("=")  # FILE=CATEGORY, as --facilities
            out.append((spec[:eq], spec[eq + 1:]) if eq > 0 else (spec, ""))
        else:
            out.append((inputs.path(f, "facilities"), ""))
    return out


def _settings(kwargs, inputs):
    args = {k: kwargs.get(k) for k in _COVERAGE_KEYS}
    if isinstance(args["standard"], (list, tuple)):  # several standards in one run, as --standard a,b
        args["standard"] = ",".join(os.fspath(s) for s in args["standard"])
    for key in ("osm", "scenario", "population_raster", "standard", "profile", "senior_profile", "dem"):
        if args[key] is not None:
            args[key] = os.fspath(args[key])
    for key in ("households", "communities", "subdistricts"):
        args[key] = inputs.path(args[key], key)
    args["facilities"] = _facility_list(args["facilities"], inputs)
    if args["osm_facilities"] is None:
        args["osm_facilities"] = True
    return args


def _check(kwargs, allowed, function):
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise TypeError(f"{function}() got an unexpected keyword argument {unknown[0]!r}")


def coverage(osm=None, standard=None, facilities=None, households=None, communities=None, crs=None, **options):
    """Coverage and gap report against a planning standard, as ``yike coverage``: the same
    inputs (keywords named like the command's options: ``scenario``, ``subdistricts``,
    ``osm_facilities=False``, ``category_field``, ``capacity_field``, ``estimate_households``,
    ``population_raster``, ``parent_field``, ``community_households``, ``grid``, ``profile``,
    ``senior_profile``, ``dem``, ``max_snap``, ``decay``, ``layers``, ``lang``, ``threads``, ``poi_format``,
    ``encoding``, ...). ``facilities``,
    ``households``, ``communities`` and ``subdistricts`` take file paths or (Geo)DataFrames;
    facilities also "PATH=CATEGORY" or (path or frame, category). Returns a CoverageResult."""
    _check(options, _COVERAGE_KEYS, "coverage")
    kwargs = dict(options, osm=osm, standard=standard, facilities=facilities, households=households,
                  communities=communities, crs=crs)
    inputs = _Inputs()
    try:
        result = CoverageResult(_yike.run_coverage(_settings(kwargs, inputs)))
    finally:
        inputs.close()
    _warn(result.warnings)
    return result


_SITING_KEYS = ("candidates", "generate_candidates", "only_uncovered", "mask", "target",
                "candidate_capacity_field", "capacity", "candidate_floor_area_field", "candidate_staff_field")


def _siting(kwargs, inputs, categories):
    args = _settings(kwargs, inputs)
    args["candidates"] = inputs.path(kwargs.get("candidates"), "candidates")
    args["mask"] = inputs.path(kwargs.get("mask"), "mask")
    for key in ("generate_candidates", "only_uncovered", "target", "candidate_capacity_field", "capacity",
                "candidate_floor_area_field", "candidate_staff_field"):
        args[key] = kwargs.get(key)
    if isinstance(categories, str):
        categories = categories.split(",")
    args["categories"] = None if categories is None else list(categories)
    return args


def evaluate(osm=None, standard=None, category=None, **options):
    """What each candidate site would newly bring within a target's threshold, as ``yike evaluate``:
    ``candidates`` (path or GeoDataFrame) or ``generate_candidates=SPACING_M``, ``only_uncovered``,
    ``mask``, ``target``, ``candidate_capacity_field`` or ``capacity``, ``candidate_floor_area_field``
    and ``candidate_staff_field`` (ratio targets), and any keyword of
    ``coverage``. Returns a SitingResult with ``candidates`` ranked."""
    _check(options, _COVERAGE_KEYS + _SITING_KEYS, "evaluate")
    kwargs = dict(options, osm=osm, standard=standard)
    inputs = _Inputs()
    try:
        result = SitingResult(_yike.run_evaluate(_siting(kwargs, inputs, category)), False)
    finally:
        inputs.close()
    _warn(result.warnings)
    return result


def plan(osm=None, standard=None, categories=None, k=None, target_share=None, exact=False, **options):
    """New sites that close the gaps, as ``yike plan``: the best ``k`` sites (maximal covering,
    or capacity-aware with ``capacity``/``candidate_capacity_field``) or the fewest reaching
    ``target_share`` (set covering), per category (default: every category of the standard's
    coverage targets), with the same candidate keywords as ``evaluate``. Returns a SitingResult
    with ``sites``, ``before`` and ``after``."""
    _check(options, _COVERAGE_KEYS + _SITING_KEYS + ("category",), "plan")
    if categories is None:
        categories = options.pop("category", None)
    kwargs = dict(options, osm=osm, standard=standard)
    inputs = _Inputs()
    try:
        if k is not None and (isinstance(k, bool) or not float(k).is_integer()):
            raise UsageError(f"k: a whole number of sites (got {k!r})")
        args = _siting(kwargs, inputs, categories)
        args["k"] = None if k is None else int(k)
        args["target_share"] = target_share
        args["exact"] = bool(exact)
        result = SitingResult(_yike.run_plan(args), True)
    finally:
        inputs.close()
    _warn(result.warnings)
    return result


def standards():
    """The shipped planning standards (``yike standards list``): id, names, target counts, file."""
    return pd.DataFrame(_yike.standards(), columns=["id", "name_zh", "name_en", "targets", "unconfirmed", "file"])


def describe_standard(standard):
    """A standard's targets as Markdown (``yike standards show ID``): a shipped id or a TOML file."""
    return _yike.describe_standard(os.fspath(standard))
