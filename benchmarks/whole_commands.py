#!/usr/bin/python3
"""Whole commands on synthetic cities: where the time, memory and bytes of a run go.

    /usr/bin/python3 benchmarks/whole_commands.py [--build build] [--sizes 10000 100000 1000000]
        [--repeats 3] [--commands graph,coverage,plan,evaluate] [--standard gb50180-2018]
        [--work DIR] [--markdown FILE]

For every size (walkable way-nodes) it generates `synthetic_city --way-nodes N --seed 15`, then runs,
back to back and `--repeats` times, `yike graph --osm`, `yike coverage`, `yike plan` and
`yike evaluate` on it, each under `/usr/bin/time -v` with YIKE_PHASES=1 (io/phase_log.hpp: yike
prints a timestamped mark at the start of each phase). It prints, per size and command, the median
wall, CPU and peak RSS, their ratios to `yike graph --osm` measured in the same round (the machine is
shared, so only ratios within one round compare), the wall and CPU of every phase (read, snap,
search, evaluate, each writer) with the peak resident memory reached by each phase's end (the
yike-memory lines), and the bytes of every output file.

Needs a Release build with benchmarks (`synthetic_city`): cmake -DYIKE_BUILD_BENCHMARKS=ON.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def parse_time_v(text):
    """Wall (s), CPU (s) and peak RSS (KiB) from GNU time -v's report."""
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("User time (seconds):"):
            out["user"] = float(line.split(":")[-1])
        elif line.startswith("System time (seconds):"):
            out["sys"] = float(line.split(":")[-1])
        elif line.startswith("Maximum resident set size (kbytes):"):
            out["rss_kib"] = int(line.split(":")[-1])
        elif line.startswith("Elapsed (wall clock) time"):
            value = line.split("):")[-1].strip()
            parts = [float(p) for p in value.split(":")]
            wall = 0.0
            for p in parts:
                wall = wall * 60 + p
            out["wall"] = wall
    out["cpu"] = out.get("user", 0.0) + out.get("sys", 0.0)
    return out


def parse_phases(text):
    """Per phase name: (wall s, CPU s), summed over repeated marks of the same name; and per phase
    name the peak resident memory (MiB) reached by the end of its last occurrence (the next mark's
    yike-memory line)."""
    marks = []
    peaks = []
    for line in text.splitlines():
        m = re.match(r"yike-phase (\S+) (\S+) (\S+)$", line)
        if m:
            marks.append((m.group(3), float(m.group(1)), float(m.group(2))))
        m = re.match(r"yike-memory (\S+) (\S+) (\S+)$", line)
        if m:
            peaks.append(float(m.group(2)))
    phases = {}
    order = []
    for (name, wall, cpu), nxt in zip(marks, marks[1:]):
        if name not in phases:
            phases[name] = [0.0, 0.0]
            order.append(name)
        phases[name][0] += nxt[1] - wall
        phases[name][1] += nxt[2] - cpu
    peak = {}
    for k, (name, _, _) in enumerate(marks[:-1]):
        if k + 1 < len(peaks):
            peak[name] = peaks[k + 1]
    return order, phases, peak


def file_sizes(folder):
    sizes = {}
    if folder is None or not folder.exists():
        return sizes
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.name.startswith(".yike"):
            sizes[str(p.relative_to(folder))] = p.stat().st_size
    return sizes


def run(cmd, env, out_folder):
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", tf.name] + cmd, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        timing = parse_time_v(Path(tf.name).read_text())
    if proc.returncode != 0:
        sys.exit("whole_commands.py: failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr[-3000:]))
    order, phases, peak = parse_phases(proc.stderr)
    return {"time": timing, "order": order, "phases": phases, "peak": peak, "files": file_sizes(out_folder)}


def commands(yike, city, work, standard, which):
    out = {}
    if "graph" in which:
        out["graph"] = ([yike, "graph", "--quiet", "--osm", str(city)], None)
    if "coverage" in which:
        d = work / "coverage"
        out["coverage"] = ([yike, "coverage", "--quiet", "--force", "--osm", str(city), "--standard", standard,
                            "--out", str(d)], d)
    if "plan" in which:
        d = work / "plan"
        out["plan"] = ([yike, "plan", "--quiet", "--force", "--osm", str(city), "--standard", standard,
                        "--category", "kindergarten", "--k", "5", "--generate-candidates", "500", "--out", str(d)], d)
    if "evaluate" in which:
        d = work / "evaluate"
        out["evaluate"] = ([yike, "evaluate", "--quiet", "--force", "--osm", str(city), "--standard", standard,
                            "--category", "kindergarten", "--generate-candidates", "500", "--out", str(d)], d)
    return out


def mib(kib):
    return kib / 1024.0


def report_size(n, results, names, lines):
    """Markdown for one size: results[name] = list of runs (one per round)."""
    rounds = len(results[names[0]])
    graph = results.get("graph")
    lines.append("### %s way-nodes (%d rounds, medians)" % (format(n, ","), rounds))
    lines.append("")
    lines.append("| command | wall (s) | CPU (s) | peak RSS (MiB) | output bytes | wall / graph | CPU / graph | RSS / graph |")
    lines.append("|---|--:|--:|--:|--:|--:|--:|--:|")
    for name in names:
        runs = results[name]
        wall = statistics.median(r["time"]["wall"] for r in runs)
        cpu = statistics.median(r["time"]["cpu"] for r in runs)
        rss = statistics.median(r["time"]["rss_kib"] for r in runs)
        total = sum(runs[-1]["files"].values())
        if graph and name != "graph":
            # Ratios within each round (back to back), then their median.
            rw = statistics.median(r["time"]["wall"] / g["time"]["wall"] for r, g in zip(runs, graph))
            rc = statistics.median(r["time"]["cpu"] / g["time"]["cpu"] for r, g in zip(runs, graph))
            rr = statistics.median(r["time"]["rss_kib"] / g["time"]["rss_kib"] for r, g in zip(runs, graph))
            ratios = "%.1f× | %.1f× | %.1f×" % (rw, rc, rr)
        else:
            ratios = "— | — | —"
        lines.append("| `yike %s` | %.2f | %.2f | %.0f | %s | %s |" % (name, wall, cpu, mib(rss), format(total, ","), ratios))
    lines.append("")
    for name in names:
        runs = results[name]
        if name == "graph" or not runs[0]["order"]:
            continue
        order = []
        for r in runs:
            for p in r["order"]:
                if p not in order:
                    order.append(p)
        wall_total = statistics.median(r["time"]["wall"] for r in runs)
        cells = []
        for p in order:
            if p in ("exit",):
                continue
            w = statistics.median(r["phases"].get(p, (0.0, 0.0))[0] for r in runs)
            c = statistics.median(r["phases"].get(p, (0.0, 0.0))[1] for r in runs)
            peaks = [r["peak"][p] for r in runs if p in r.get("peak", {})]
            peak = "; peak %s MiB" % format(round(statistics.median(peaks)), ",") if peaks else ""
            cells.append("%s %.2f s (%.0f %%; CPU %.2f s%s)" % (p, w, 100.0 * w / wall_total if wall_total else 0, c, peak))
        lines.append("- `yike %s` phases: %s" % (name, "; ".join(cells)))
    lines.append("")
    for name in names:
        files = results[name][-1]["files"]
        if not files:
            continue
        big = sorted(files.items(), key=lambda kv: -kv[1])
        lines.append("- `yike %s` files: %s" % (name, ", ".join("%s %s" % (k, format(v, ",")) for k, v in big)))
    lines.append("")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000, 1000000])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--commands", default="graph,coverage,plan,evaluate")
    ap.add_argument("--standard", default="gb50180-2018")
    ap.add_argument("--work", help="work folder (kept; default: a temporary folder, removed)")
    ap.add_argument("--markdown", help="also write the tables to this file")
    a = ap.parse_args()
    build = Path(a.build)
    yike = build / "cli" / "yike"
    gen = build / "benchmarks" / "synthetic_city"
    for exe in (yike, gen):
        if not os.access(exe, os.X_OK):
            sys.exit("whole_commands.py: %s missing; build with -DYIKE_BUILD_BENCHMARKS=ON" % exe)
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("whole_commands.py: /usr/bin/time missing (Debian package time)")
    which = [c for c in a.commands.split(",") if c]
    work = Path(a.work) if a.work else Path(tempfile.mkdtemp(prefix="yike-whole."))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, YIKE_PHASES="1")
    uptime = Path("/proc/loadavg").read_text().split()[:3]
    lines = ["Whole commands, `--standard %s`, load average at the start %s." % (a.standard, " ".join(uptime)), ""]
    try:
        for n in a.sizes:
            city = work / ("city_%d.osm.pbf" % n)
            if not city.exists():
                subprocess.run([str(gen), "--way-nodes", str(n), "--seed", "15", "--out", str(city)], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            cmds = commands(str(yike), city, work, a.standard, which)
            names = list(cmds)
            results = {name: [] for name in names}
            for r in range(a.repeats):
                for name in names:
                    cmd, folder = cmds[name]
                    print("== %d way-nodes, round %d: yike %s" % (n, r + 1, name), file=sys.stderr, flush=True)
                    results[name].append(run(cmd, env, folder))
            start = len(lines)
            report_size(n, results, names, lines)
            print("\n".join(lines[start:]), file=sys.stderr, flush=True)
            for folder in (work / "coverage", work / "plan", work / "evaluate"):
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    lines.append("Load average at the end: %s." % " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    text = "\n".join(lines) + "\n"
    print(text)
    if a.markdown:
        Path(a.markdown).write_text(text)


if __name__ == "__main__":
    main()
