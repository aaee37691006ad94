"""Reading `yike graph --out FILE.csv` and searching it, for the independent checks in this folder.

Only the Python standard library. The rounding rules are the ones yike documents: walking part of
an edge costs the edge's time scaled by the part, rounded down; the straight walk off the network
costs its length at the profile's speed, rounded up.
"""
import csv
import heapq
import subprocess
import sys


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"command failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr}")


def read_edges(path):
    """edge id -> (from_node, to_node, length_cm, time_ms)"""
    edges = {}
    with open(path, newline="", encoding="utf-8-sig") as f:  # yike writes CSVs with a byte-order mark
        for row in csv.DictReader(f):
            edges[int(row["edge"])] = (int(row["from_node"]), int(row["to_node"]),
                                       int(row["length_cm"]), int(row["time_ms"]))
    return edges


def partial(edges, e, part_cm):
    """time (ms) of walking `part_cm` of edge e, rounded down"""
    length, t = edges[e][2], edges[e][3]
    return t * min(part_cm, length) // length


def offnet(length_cm, speed_mm_per_s):
    """time (ms) of walking `length_cm` off the network, rounded up"""
    return (length_cm * 10000 + speed_mm_per_s - 1) // speed_mm_per_s


def seeds(edges, edge, offset_cm, offnet_ms):
    """the two (cost, node) starts of a point at `offset_cm` along `edge`"""
    u, v, length, _ = edges[edge]
    return [(offnet_ms + partial(edges, edge, offset_cm), u), (offnet_ms + partial(edges, edge, length - offset_cm), v)]


def dijkstra(edges, starts):
    """node -> shortest time (ms) from any of the (cost, node) starts; walking is symmetric"""
    adjacency = {}
    for u, v, _, t in edges.values():
        adjacency.setdefault(u, []).append((v, t))
        adjacency.setdefault(v, []).append((u, t))
    queue = list(starts)
    heapq.heapify(queue)
    dist = {}
    while queue:
        d, u = heapq.heappop(queue)
        if u in dist:
            continue
        dist[u] = d
        for v, t in adjacency.get(u, []):
            if v not in dist:
                heapq.heappush(queue, (d + t, v))
    return dist
