#!/usr/bin/env python3
"""Writes extras.osm: a small OSM fixture for the OSM extras reader (tests/io/test_inputs.cpp).
Positions are metres east/north of (116.4, 39.9), converted with the local sphere of Gaussian mean
radius that yike's LocalProjection uses, so footprints come out at their nominal sizes."""
import math

A, F = 6378137.0, 1 / 298.257223563
E2 = F * (2 - F)
LON0, LAT0 = 116.4, 39.9
s = math.sin(math.radians(LAT0))
M = A * (1 - E2) / (1 - E2 * s * s) ** 1.5
N = A / math.sqrt(1 - E2 * s * s)
R = math.sqrt(M * N)

def P(x, y):
    return (LON0 + math.degrees(x / (R * math.cos(math.radians(LAT0)))), LAT0 + math.degrees(y / R))

nodes = {}   # id -> (x, y, tags)
ways = []    # (id, refs, tags)
rels = []    # (id, members, tags)

def square(first_id, x0, y0, w, h, tags_by_index=None):
    ids = []
    for k, (x, y) in enumerate([(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]):
        nodes[first_id + k] = (x, y, (tags_by_index or {}).get(k, {}))
        ids.append(first_id + k)
    return ids + [ids[0]]

nodes[1] = (0, 0, {"amenity": "pharmacy", "name": "康复药房", "capacity": "12"})
ways.append((100, square(10, 100, 0, 20, 20, {1: {"entrance": "main"}}),
             {"amenity": "clinic", "building": "yes", "building:levels": "2", "name": "社区诊所"}))
# A park whose bounding-box centre falls in its hole.
outer = square(20, 200, 0, 40, 40, {0: {"entrance": "yes"}})
inner = square(24, 215, 15, 10, 10)
ways.append((200, outer, {}))
ways.append((201, inner, {}))
rels.append((900, [("w", 200, "outer"), ("w", 201, "inner")], {"type": "multipolygon", "leisure": "park", "name": "小公园"}))

ways.append((300, square(30, 0, 100, 20, 30, {1: {"entrance": "main"}}), {"building": "apartments", "building:levels": "6"}))
ways.append((301, square(34, 50, 100, 10, 20), {"building": "residential"}))
ways.append((302, square(38, 80, 100, 10, 10), {"building": "yes"}))               # no residential landuse around
ways.append((303, square(42, 120, 100, 5, 5), {"building": "house", "building:levels": "1"}))  # 25 m2: too small

# Compound 1: landuse outline, walls drawn separately on its nodes, a gate on one wall.
outline = square(50, 300, 100, 100, 100)
nodes[54] = (350, 100, {"barrier": "gate"})
ways.append((400, outline, {"landuse": "residential", "name": "幸福小区"}))
ways.append((401, [50, 54, 51], {"barrier": "wall"}))
ways.append((402, [51, 52, 53, 50], {"barrier": "wall"}))
ways.append((410, square(60, 330, 150, 30, 15), {"building": "yes", "building:levels": "4"}))
ways.append((411, square(64, 350, 120, 20, 20, {0: {"entrance": "yes"}}), {"building": "apartments", "building:levels": "10"}))
# Compound 2: the landuse outline is itself the fence, the gate on it.
ways.append((420, square(70, 500, 100, 60, 60, {1: {"barrier": "gate"}}), {"landuse": "residential", "barrier": "fence"}))
ways.append((430, square(74, 520, 120, 10, 10), {"building": "yes"}))

# Water: a lake (closed way) and a multipolygon lake whose outer way carries no tags.
ways.append((500, square(80, 0, 300, 50, 50), {"natural": "water"}))
nodes[84] = (60, 300, {})
nodes[85] = (60, 350, {})
nodes[86] = (70, 300, {})
nodes[87] = (70, 350, {})
ways.append((501, [84, 85], {"barrier": "wall", "highway": "footway"}))  # walkable: not a barrier
ways.append((502, [86, 87], {"barrier": "hedge"}))                      # hedges are not barriers
ways.append((510, square(90, 100, 300, 50, 50), {}))
rels.append((901, [("w", 510, "outer")], {"type": "multipolygon", "natural": "water"}))

def esc(v):
    return v.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

def tags(t):
    return "".join(f'    <tag k="{esc(k)}" v="{esc(v)}"/>\n' for k, v in t.items())

out = ["<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"yike make_extras_osm.py\">\n"]
for nid in sorted(nodes):
    x, y, t = nodes[nid]
    lon, lat = P(x, y)
    out.append(f'  <node id="{nid}" version="1" lat="{lat:.7f}" lon="{lon:.7f}">\n{tags(t)}  </node>\n')
for wid, refs, t in sorted(ways):
    out.append(f'  <way id="{wid}" version="1">\n' + "".join(f'    <nd ref="{r}"/>\n' for r in refs) + tags(t) + "  </way>\n")
for rid, members, t in sorted(rels):
    out.append(f'  <relation id="{rid}" version="1">\n' +
               "".join(f'    <member type="{"way" if k == "w" else "node"}" ref="{r}" role="{role}"/>\n' for k, r, role in members) +
               tags(t) + "  </relation>\n")
out.append("</osm>\n")
open("extras.osm", "w", encoding="utf-8").write("".join(out))
