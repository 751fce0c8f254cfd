"""Where places without a point of their own go, and which town a point is near: the area centroid
of a block of grid cells holding towns, and a nearest-town grid.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from typing import Any

from sitrep.geo.names import haversine_km


def _area_centre(points: list[tuple[float, float]], cell: float) -> tuple[float, float]:
    """Area centroid of the largest connected block of grid cells holding at least one point."""
    mid_lon = statistics.median(p[1] for p in points)
    cells = set()
    for lat, lon in points:
        if lon - mid_lon > 180:
            lon -= 360
        elif lon - mid_lon < -180:
            lon += 360
        cells.add((math.floor(lat / cell), math.floor(lon / cell)))
    seen: set[tuple[int, int]] = set()
    best: list[tuple[int, int]] = []
    for start in cells:
        if start in seen:
            continue
        block, stack = [], [start]
        seen.add(start)
        while stack:
            c = stack.pop()
            block.append(c)
            for da in (-2, -1, 0, 1, 2):
                for db in (-2, -1, 0, 1, 2):
                    n = (c[0] + da, c[1] + db)
                    if n in cells and n not in seen:
                        seen.add(n)
                        stack.append(n)
        if len(block) > len(best):
            best = block
    weights = [math.cos(math.radians((a + 0.5) * cell)) for a, _ in best]
    total = sum(weights) or 1.0
    lat = sum(w * (a + 0.5) * cell for w, (a, _) in zip(weights, best, strict=True)) / total
    lon = sum(w * (b + 0.5) * cell for w, (_, b) in zip(weights, best, strict=True)) / total
    lon = (lon + 180) % 360 - 180
    return round(lat, 5), round(lon, 5)


class _TownGrid:
    """Nearest-town search on a 0.5 degree grid (used to give airfields an admin1)."""

    def __init__(self, towns: list[dict[str, Any]]) -> None:
        self.cells: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        for t in towns:
            self.cells[(math.floor(t["latitude"] * 2), math.floor(t["longitude"] * 2))].append(t)

    def nearest(self, lat: float, lon: float, max_km: float = 60.0) -> dict[str, Any] | None:
        a, b = math.floor(lat * 2), math.floor(lon * 2)
        best, best_d = None, max_km
        for da in (-1, 0, 1):
            for db in (-1, 0, 1):
                for t in self.cells.get((a + da, b + db), ()):
                    d = haversine_km(lat, lon, t["latitude"], t["longitude"])
                    if d < best_d:
                        best, best_d = t, d
        return best
