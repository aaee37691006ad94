#!/usr/bin/python3
"""The worked example of doc/python.md: Monaco's walking network, isochrones from three points,
coverage against MOFCOM's 15-minute convenience circle, and a map saved as PNG.

    PYTHONPATH=build/python /usr/bin/python3 doc/python_example.py [OUT.png]
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import yike

# 1. The walking network (walk profile, 1.0 m/s).
net = yike.Network.from_osm("data/osm/monaco.osm.pbf")
print(net)

# 2. 5/10/15-minute isochrones from three points, computed in parallel.
points = [(7.4246, 43.7384), (7.4282, 43.7396), (7.4365, 43.7485)]
iso = net.isochrones(points, minutes=[5, 10, 15])
print(iso[["origin", "minutes", "area_m2", "reached_length_m", "snap_distance_m"]].to_string(index=False))

# 3. Coverage against a shipped standard (facilities from OSM, households estimated from buildings).
report = yike.coverage(osm="data/osm/monaco.osm.pbf", standard="mofcom-15min")
print(report.targets[["target_id", "achieved", "status", "uncovered_households"]].to_string(index=False))

# Households more than 5 minutes from a convenience store or small supermarket.
demand = report.demand
uncovered = demand[~demand["covered_mofcom_convenience_5min"]]
shops = report.facilities[report.facilities["category"].isin(["convenience_store", "supermarket"])]

# 4. A map: streets, grid cells by their share, uncovered households, shops, one origin's bands.
utm = iso.estimate_utm_crs()
fig, ax = plt.subplots(figsize=(10, 6.5), dpi=110)
report.areas.to_crs(utm).plot(ax=ax, column="mofcom_convenience_5min_achieved", cmap="RdYlGn", vmin=0, vmax=1,
                              alpha=0.35, edgecolor="white", linewidth=0.5, legend=True,
                              legend_kwds={"label": "share of households within 5 min", "shrink": 0.6})
net.edges.to_crs(utm).plot(ax=ax, color="#9a9a9a", linewidth=0.4)
bands = iso[iso["origin"] == "1"].to_crs(utm)
for minutes, colour in [(15, "#c6dbef"), (10, "#6baed6"), (5, "#2171b5")]:
    bands[bands["minutes"] == minutes].plot(ax=ax, color=colour, alpha=0.55, edgecolor=colour)
uncovered.to_crs(utm).plot(ax=ax, color="#d6007e", markersize=uncovered["households"] / 3, alpha=0.6)
shops.to_crs(utm).plot(ax=ax, color="black", marker="^", markersize=22)
ax.set_title("Monaco: households beyond a 5-minute walk of a convenience store (magenta),\n"
             "shops (triangles), 5/10/15-minute isochrones from the harbour (blue)", fontsize=10)
ax.set_axis_off()
ax.annotate("© OpenStreetMap contributors, ODbL", (0.99, 0.01), xycoords="axes fraction", ha="right", fontsize=7)
# The extract's streets reach into France: show the part with households.
x0, y0, x1, y1 = report.demand.to_crs(utm).total_bounds
ax.set_xlim(x0 - 300, x1 + 300)
ax.set_ylim(y0 - 300, y1 + 300)
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "doc/images/python-monaco.png", bbox_inches="tight")
