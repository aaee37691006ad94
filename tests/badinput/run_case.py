"""Runs one case of the bad-input corpus (tests/badinput/<case>/case.json) against the yike binary.

    run_case.py YIKE DATA_DIR CASE_DIR       run one case, exit 0 when its expected outcome holds
    run_case.py --readme CORPUS_DIR          print the case table of README.md
    run_case.py --check-readme CORPUS_DIR    fail when README.md does not list every case as --readme does

The case's files and those of common/ are copied into a fresh folder, which is the working folder of
the run, so that messages name files as the case gives them. case.json keys:
  what       one line: the bad input
  setup      steps run before yike, in order (paths relative to the working folder, {data} is the
             repository's data/ folder): ["copy", SRC, DST], ["truncate", SRC, DST, BYTES],
             ["corrupt", SRC, DST, OFFSET, COUNT] (COUNT bytes from OFFSET inverted), ["encode", SRC,
             DST, CODEC] (re-encode a UTF-8 text), ["bom", SRC, DST] (prepend a UTF-8 BOM),
             ["write", PATH, TEXT], ["mkdir", PATH], ["run", ARGS...] (a yike run that must succeed),
             ["compress", SRC, DST, "gz"|"bz2"] (whatever DST's name says)
  args       the yike command line ({data} as above)
  exit       the expected exit code: 1 bad data, 2 bad usage, 0 ran (then `warning` or `contains`)
  error      regex the one stderr line must match (exit 1 or 2); the line must start "yike: error: "
  warning    regex a stderr line must match (exit 0): the counted warning
  absent     paths that must not exist afterwards (no half-written output)
  present    paths that must exist afterwards
  unchanged  paths whose bytes must be the same before and after the run (a good output kept)
  contains   {path: regex}: files the run wrote and what they must hold (read correctly)
  outcome    one line for README.md: what yike does
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

TIMEOUT_S = 60  # a hang fails the case


def expand(text, data_dir):
    return text.replace("{data}", str(data_dir))


def snapshot(path):
    """The bytes of a file, or of every file under a folder, keyed by relative name."""
    if path.is_dir():
        return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
    return path.read_bytes()


def setup_step(step, work, yike, data_dir):
    op, args = step[0], [expand(a, data_dir) if isinstance(a, str) else a for a in step[1:]]
    p = lambda s: work / s  # noqa: E731  (absolute paths stay absolute)
    if op == "copy":
        shutil.copyfile(p(args[0]), p(args[1]))
    elif op == "truncate":
        p(args[1]).write_bytes(p(args[0]).read_bytes()[: args[2]])
    elif op == "corrupt":
        b = bytearray(p(args[0]).read_bytes())
        for i in range(args[2], args[2] + args[3]):
            b[i] ^= 0xFF
        p(args[1]).write_bytes(bytes(b))
    elif op == "encode":
        p(args[1]).write_bytes(p(args[0]).read_text(encoding="utf-8").encode(args[2]))
    elif op == "bom":
        p(args[1]).write_bytes(b"\xef\xbb\xbf" + p(args[0]).read_bytes())
    elif op == "write":
        p(args[0]).write_text(args[1], encoding="utf-8")
    elif op == "compress":
        import bz2, gzip  # noqa: E401
        data = p(args[0]).read_bytes()
        p(args[1]).write_bytes(bz2.compress(data) if args[2] == "bz2" else gzip.compress(data, mtime=0))
    elif op == "mkdir":
        p(args[0]).mkdir(parents=True, exist_ok=True)
    elif op == "run":
        r = subprocess.run([yike, *args], cwd=work, capture_output=True, text=True, timeout=TIMEOUT_S)
        if r.returncode != 0:
            raise SystemExit(f"setup run failed ({r.returncode}): {' '.join(args)}\n{r.stderr}")
    else:
        raise SystemExit(f"unknown setup step {op}")


def run_case(yike, data_dir, case_dir):
    case = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    failures = []
    with tempfile.TemporaryDirectory(prefix=f"yike-badinput-{case_dir.name}-") as tmp:
        work = pathlib.Path(tmp)
        for src in (case_dir.parent / "common", case_dir):
            for f in src.iterdir():
                if f.is_file() and f.name != "case.json" and not f.name.endswith(".py"):
                    shutil.copyfile(f, work / f.name)
        for step in case.get("setup", []):
            setup_step(step, work, yike, data_dir)
        before = {u: snapshot(work / u) for u in case.get("unchanged", [])}
        args = [expand(a, data_dir) for a in case["args"]]
        try:
            r = subprocess.run([yike, *args], cwd=work, capture_output=True, text=True, errors="replace",
                               timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return [f"no answer within {TIMEOUT_S} s (hang)"]
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        expected = case["exit"]
        if r.returncode != expected:
            failures.append(f"exit code {r.returncode}, expected {expected}")
        if expected != 0:
            if len(lines) != 1:
                failures.append(f"{len(lines)} stderr lines, expected one error line")
            elif not lines[0].startswith("yike: error: "):
                failures.append("the stderr line does not start with 'yike: error: '")
            if lines and not re.search(case["error"], lines[-1]):
                failures.append(f"the error line does not match /{case['error']}/")
        elif "warning" in case and not any(re.search(case["warning"], line) for line in lines):
            failures.append(f"no stderr line matches /{case['warning']}/")
        for path, pattern in case.get("contains", {}).items():
            if not (work / path).is_file():
                failures.append(f"{path} missing after the run")
            elif not re.search(pattern, (work / path).read_text(encoding="utf-8", errors="replace")):
                failures.append(f"{path} does not match /{pattern}/")
        for a in case.get("absent", []):
            if (work / a).exists():
                failures.append(f"{a} exists after the run")
        for a in case.get("present", []):
            if not (work / a).exists():
                failures.append(f"{a} missing after the run")
        for u, old in before.items():
            if not (work / u).exists() or snapshot(work / u) != old:
                failures.append(f"{u} was changed by the run")
        # A folder the case itself made and wants kept (someone else's, named like a temporary) is not a leftover.
        kept = {pathlib.PurePath(u).parts[0] for u in case.get("unchanged", [])}
        leftovers = [f.name for f in work.iterdir() if ".tmp" in f.name and f.name not in kept]
        if leftovers:
            failures.append(f"temporary files left behind: {', '.join(sorted(leftovers))}")
        if failures:
            failures.append(f"command: yike {' '.join(args)}\nstderr:\n{r.stderr}")
    return failures


def cases(corpus):
    return sorted(d for d in corpus.iterdir() if (d / "case.json").is_file())


def readme_table(corpus):
    rows = ["| case | bad input | exit | outcome |", "|---|---|---:|---|"]
    for d in cases(corpus):
        c = json.loads((d / "case.json").read_text(encoding="utf-8"))
        exit_text = str(c["exit"]) if c["exit"] != 0 else "0 + warning"
        rows.append(f"| `{d.name}` | {c['what']} | {exit_text} | {c['outcome']} |")
    return "\n".join(rows) + "\n"


def main(argv):
    if len(argv) == 3 and argv[1] == "--readme":
        sys.stdout.write(readme_table(pathlib.Path(argv[2])))
        return 0
    if len(argv) == 3 and argv[1] == "--check-readme":
        corpus = pathlib.Path(argv[2])
        if readme_table(corpus) not in (corpus / "README.md").read_text(encoding="utf-8"):
            print("README.md does not list the cases as case.json says; regenerate the table with"
                  " `python3 tests/badinput/run_case.py --readme tests/badinput`")
            return 1
        return 0
    if len(argv) != 4:
        print(__doc__)
        return 2
    failures = run_case(argv[1], pathlib.Path(argv[2]).resolve(), pathlib.Path(argv[3]).resolve())
    for f in failures:
        print(f"{pathlib.Path(argv[3]).name}: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
