"""The render layer: turns computed tables into maps, charts and reports (never computes metrics).

:func:`build_map` draws the self-contained interactive influence map of one account.
"""

from influence.render.map import InfluenceMap, build_map

__all__ = ["InfluenceMap", "build_map"]
