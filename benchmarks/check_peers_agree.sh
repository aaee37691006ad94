#!/bin/bash
# Quick agreement check (ctest, label integration): 15-minute searches from 3 origins on Monaco,
# yike (peers_compare) against scipy.sparse.csgraph.dijkstra on the graph `yike graph` exports.
# usage: check_peers_agree.sh YIKE PEERS_COMPARE OSM_FILE
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/yike-peers-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$1" graph --osm "$3" --out "$work/graph.csv" -q
"$2" "$3" "$work/iso" --origins 3 --repeats 1 --build-repeats 1 --seed 7 >/dev/null
/usr/bin/python3 "$here/peers.py" same-graph "$work/graph.csv" "$work/iso"
/usr/bin/python3 "$here/peers.py" check-scipy "$work/graph.csv" "$work/iso"
