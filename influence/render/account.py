"""One account's files: the map, the charts, the graph exports and the report.

Everything here draws values computed before (:meth:`influence.Account.report_context`
and :meth:`influence.Account.map` gather them); nothing is computed.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from influence.render import charts, export
from influence.render.map import InfluenceMap
from influence.render.report import ReportContext, render_report

__all__ = ["CHARTS", "render_account"]

#: The charts of an account, by file name under ``charts/``.
CHARTS = {
    "ranking": charts.ranking_chart,
    "stance_grid": charts.stance_grid,
    "coverage": charts.coverage_chart,
    "coalitions": charts.coalition_chart,
}


def render_account(
    report: ReportContext,
    influence_map: InfluenceMap,
    influencers: pd.DataFrame,
    ties: pd.DataFrame,
) -> dict[str, bytes]:
    """The files of one account, by path relative to its folder.

    Parameters
    ----------
    report : influence.render.report.ReportContext
        What the report shows. Its ``charts`` are replaced by the charts drawn here.
    influence_map : influence.render.map.InfluenceMap
        The interactive map (``map.html``).
    influencers : pandas.DataFrame
        The influencers table (``Account.influencers()``): the charts' data and the
        graph exports' nodes.
    ties : pandas.DataFrame
        The account's ties (``source, target, strength, ...``), the graph exports' edges.

    Returns
    -------
    dict
        ``map.html``, ``graph.gexf``, ``graph.graphml``, ``graph.json``,
        ``charts/<key>.png`` and ``charts/<key>.svg`` for each of :data:`CHARTS`, and
        ``report.html`` (which embeds the same PNG bytes).

    Examples
    --------
    >>> import influence
    >>> acct = influence.load("data/sample").account("Northwind Logistics")
    >>> files = render_account(acct.report_context(), acct.map(), acct.influencers(), acct.ties)
    >>> sorted(files)[:3], files["report.html"][:15]
    (['charts/coalitions.png', 'charts/coalitions.svg', 'charts/coverage.png'], b'<!DOCTYPE html>')
    """
    inf = influencers
    graph = export.export_graph(inf, ties)
    files = {
        "map.html": influence_map.html.encode("utf-8"),
        "graph.gexf": export.to_gexf(graph, date=report.as_of),
        "graph.graphml": export.to_graphml(graph),
        "graph.json": export.to_json(graph),
    }
    for key, draw in CHARTS.items():
        for fmt, data in charts.figure_formats(draw(inf)).items():
            files[f"charts/{key}.{fmt}"] = data
    # The report embeds the PNGs just rendered (the same bytes) rather than drawing again.
    pngs = {key: files[f"charts/{key}.png"] for key in CHARTS}
    files["report.html"] = render_report(replace(report, charts=pngs)).encode("utf-8")
    return files
