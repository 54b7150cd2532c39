"""Where the people of a map stand: seeded positions for large maps, vis-network's options.

Small maps settle with vis-network's physics (seeded); maps of :data:`LARGE` or more
people come with positions computed here (:func:`layout`) and run no physics, so a
1,000-person map is interactive in about a second instead of five
(``bench/map_load.py`` measures it).
"""

from __future__ import annotations

import math
import random
from typing import Any

from influence.analysis.reproducible import igraph_seed

__all__ = ["LARGE", "SPACING", "layout", "vis_options"]

#: At this many people or more the layout is computed here (seeded Fruchterman–Reingold in
#: igraph's C core) and drawn as is: the browser runs no physics and is interactive at once.
LARGE = 300
#: Median distance from a person to the nearest other person in a precomputed layout
#: (pixels at zoom 1): about what vis-network's own physics gives a large map.
SPACING = 40.0


def layout(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], seed: int
) -> list[tuple[int, int]]:
    """Seeded, deterministic positions of ``nodes`` (in their order) for large maps.

    Fruchterman & Reingold (1991) force-directed placement, weighted by tie strength,
    with igraph's grid approximation of the repulsion (about 0.2 s for 1,000 people),
    started from positions drawn from ``random.Random(seed)``. Scaled so that the median
    distance to the nearest neighbour is :data:`SPACING` pixels, centred, rounded to whole
    pixels (vis-network keeps only the integer part of a position anyway).
    """
    import igraph as ig
    from scipy.spatial import cKDTree

    n = len(nodes)
    if n == 0:
        return []
    index = {p["id"]: i for i, p in enumerate(nodes)}
    pairs = [(index[t["from"]], index[t["to"]]) for t in edges]
    g = ig.Graph(n=n, edges=pairs)
    rng = random.Random(seed)
    r = math.sqrt(n)
    start = [[rng.uniform(-r, r), rng.uniform(-r, r)] for _ in range(n)]
    weights = [max(float(t["strength"]), 1e-3) for t in edges] or None
    # igraph draws random numbers during the layout too (from Python's ``random``): seed
    # it for this call only, as the coalitions do.
    with igraph_seed(seed):
        layout = g.layout_fruchterman_reingold(weights=weights, niter=500, seed=start, grid=True)
    xy = layout.coords
    nearest = cKDTree(xy).query(xy, k=2)[0][:, 1] if n > 1 else [0.0]
    spacing = float(sorted(nearest)[len(nearest) // 2])
    scale = SPACING / spacing if spacing > 0 else SPACING
    cx = sum(x for x, _ in xy) / n
    cy = sum(y for _, y in xy) / n
    return [(round((x - cx) * scale), round((y - cy) * scale)) for x, y in xy]


def vis_options(n: int, seed: int, large: bool) -> dict[str, Any]:
    """vis-network options: deterministic layout; physics that settles then stops, or (for
    large maps, laid out by :func:`layout`) no physics at all."""
    if large:
        physics: dict[str, Any] = {
            "enabled": False,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -6000,
                "centralGravity": 0.3,
                "springLength": 140,
                "springConstant": 0.02,
                "damping": 0.25,
                "avoidOverlap": 0.05,
            },
            "stabilization": {"enabled": False, "iterations": 0},
            "adaptiveTimestep": True,
        }
    else:
        physics = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -80,
                "centralGravity": 0.012,
                "springLength": 120,
                "springConstant": 0.05,
                "damping": 0.5,
                "avoidOverlap": 0.6,
            },
            "stabilization": {"enabled": True, "iterations": 500, "updateInterval": 25},
        }
    return {
        "autoResize": True,
        "layout": {"randomSeed": int(seed), "improvedLayout": n <= 200},
        "physics": physics,
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        "nodes": {
            "borderWidthSelected": 4,
            "font": {
                "face": "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif",
                "color": "#1f2328",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"drawThreshold": 9 if large else 5}},
        },
        "edges": {
            "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.2},
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
    }
