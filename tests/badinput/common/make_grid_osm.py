"""Writes grid.osm: a 5 x 5 street grid in Beijing (116.400-116.404 E, 39.900-39.904 N), about
85 m x 111 m per block, the small walking network the bad-input cases run on."""
import pathlib

n = 5
lines = ["<?xml version='1.0' encoding='UTF-8'?>", '<osm version="0.6" generator="yike tests/badinput">']
def node_id(r, c):
    return 1 + r * n + c
for r in range(n):
    for c in range(n):
        lines.append(f'  <node id="{node_id(r, c)}" version="1" lat="{39.900 + 0.001 * r:.7f}" lon="{116.400 + 0.001 * c:.7f}"/>')
way = 100
for r in range(n):
    refs = "".join(f'<nd ref="{node_id(r, c)}"/>' for c in range(n))
    lines.append(f'  <way id="{way}" version="1">{refs}<tag k="highway" v="residential"/></way>')
    way += 1
for c in range(n):
    refs = "".join(f'<nd ref="{node_id(r, c)}"/>' for r in range(n))
    lines.append(f'  <way id="{way}" version="1">{refs}<tag k="highway" v="footway"/></way>')
    way += 1
lines.append("</osm>")
pathlib.Path(__file__).with_name("grid.osm").write_text("\n".join(lines) + "\n", encoding="utf-8")
