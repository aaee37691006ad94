"""Shared by the Python module's tests: the `yike` command to cross-check against, the bundled
Monaco sample, and helpers that run the command and compare its folders with the module's.

ctest runs these with Debian's /usr/bin/python3 and PYTHONPATH set to the built package
(tests/CMakeLists.txt); YIKE_BINARY names the command and YIKE_SOURCE_DIR the source tree.
"""
import filecmp
import os
import subprocess
import sys

import pytest

import yike

SOURCE = os.environ["YIKE_SOURCE_DIR"]
BINARY = os.environ["YIKE_BINARY"]
MONACO = os.path.join(SOURCE, "data", "osm", "monaco.osm.pbf")
# Independent searches over the `yike graph` export (Python standard library), shared with tests/cli.
sys.path.insert(0, os.path.join(SOURCE, "tests", "cli"))

# Three origins in Monaco (the harbour, the Rocher, Monte-Carlo), used by the isochrone tests and doc/python.md.
ORIGINS = [(7.4246, 43.7384), (7.4282, 43.7396), (7.4365, 43.7485)]


def run_cli(*args):
    """Runs `yike ARGS`; fails the test when it does not succeed."""
    result = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True)
    assert result.returncode == 0, f"yike {' '.join(map(str, args))} failed ({result.returncode}): {result.stderr}"
    return result


def cli_error(*args):
    """(exit code, message) of a `yike ARGS` run that fails: the one line after 'yike: error: '."""
    result = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True)
    assert result.returncode != 0, f"yike {' '.join(map(str, args))} should have failed"
    lines = [line for line in result.stderr.splitlines() if line.startswith("yike: error: ")]
    assert len(lines) == 1, result.stderr
    return result.returncode, lines[0][len("yike: error: "):]


def tree_differences(a, b):
    """Relative paths that are missing on one side or whose bytes differ."""
    def files(root):
        out = set()
        for folder, _, names in os.walk(root):
            for n in names:
                out.add(os.path.relpath(os.path.join(folder, n), root))
        return out
    fa, fb = files(a), files(b)
    differ = sorted(fa ^ fb)
    differ += sorted(p for p in fa & fb if not filecmp.cmp(os.path.join(a, p), os.path.join(b, p), shallow=False))
    return differ, len(fa)


@pytest.fixture(scope="session")
def monaco():
    return yike.Network.from_osm(MONACO)
