"""Static charts of one account's influencers table, as matplotlib figures.

Every function takes the influencers DataFrame (one row per person, see
:func:`influence.analysis.influencers.influencers`) and returns a
:class:`matplotlib.figure.Figure` built without pyplot: no global figure registry, no
backend switch, and Jupyter displays it inline through its repr. :func:`save_figure`
writes a figure as PNG and SVG, byte-identical for identical input.

The charts only *draw* what the analysis computed: influence, stance, coverage
strength, coalition and the ``hidden_influencer`` / ``coverage_gap`` flags. The one
derived value is the display threshold for "high influence" (a quantile of the
influence column, the same one the analysis uses to call coverage gaps).

CRM text (names, titles, coalition labels) is drawn with mathtext disabled, so a ``$``
in a name is printed as is, and SVGs are written with text converted to paths.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import ScaledTranslation

from influence.defaults import HIGH_INFLUENCE_QUANTILE, WEAK_TIE
from influence.render.files import write_bytes
from influence.render.palette import (
    GAP_COLOR,
    GRID,
    HIDDEN_COLOR,
    INK,
    MUTED,
    STANCE_COLORS,
    STANCE_ORDER,
)

#: Resolution of saved PNGs (dots per inch).
PNG_DPI = 150
#: Stance-grid x position of people whose stance is unknown (left of "blocker").
UNKNOWN_X = -3.0
#: Bubble areas (points²) of the stance grid for no tie and for the strongest tie.
MIN_BUBBLE, MAX_BUBBLE = 45.0, 620.0

#: Fixed style: a font that ships with matplotlib, fixed DPI and SVG hash salt.
STYLE: dict[str, object] = {
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
    "text.color": INK,
    "text.usetex": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 10,
    "axes.labelsize": 9,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#d0d7de",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.facecolor": "white",
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "savefig.dpi": PNG_DPI,
    "savefig.facecolor": "white",
    "svg.fonttype": "path",
    "svg.hashsalt": "influence",
    "path.simplify": True,
}

__all__ = [
    "coalition_chart",
    "coverage_chart",
    "png_bytes",
    "ranking_chart",
    "save_figure",
    "figure_formats",
    "stance_grid",
    "trend_chart",
]


@contextlib.contextmanager
def _style() -> Iterator[None]:
    """Apply :data:`STYLE` and silence missing-glyph warnings (e.g. CJK names)."""
    with mpl.rc_context(STYLE), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*Glyph .* missing from")
        yield


def _external(influencers: pd.DataFrame) -> pd.DataFrame:
    """External people with an influence score, most influential first (ties by name)."""
    df = influencers
    if "internal" in df:
        df = df[~df["internal"].fillna(False).astype(bool)]
    df = df[df["influence"].notna()].copy()
    df["_name"] = df["name"].fillna("").astype(str) if "name" in df else ""
    df = df.sort_values("_name", kind="stable").sort_values(
        "influence", ascending=False, kind="stable"
    )
    return df.drop(columns="_name").reset_index(drop=True)


def _text_col(df: pd.DataFrame, col: str) -> list[str]:
    """Column ``col`` as display strings ("" for missing values or a missing column)."""
    if col not in df:
        return [""] * len(df)
    return ["" if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else str(v)
            for v in df[col]]  # fmt: skip


def _flag_col(df: pd.DataFrame, col: str) -> np.ndarray:
    """Boolean column ``col`` (all false when missing)."""
    if col not in df:
        return np.zeros(len(df), bool)
    return df[col].fillna(False).astype(bool).to_numpy()


def _stances(df: pd.DataFrame) -> list[str]:
    """Stance labels, ``"unknown"`` for empty or unrecognised ones."""
    return [s if s in STANCE_COLORS else "unknown" for s in _text_col(df, "stance")]


def _high_influence(ext: pd.DataFrame, threshold: float | None) -> float:
    """The display threshold for high influence: ``threshold`` or the top-quartile cut."""
    if threshold is not None:
        return float(threshold)
    if ext.empty:
        return 50.0
    return float(ext["influence"].quantile(HIGH_INFLUENCE_QUANTILE))


class ChartFigure(Figure):
    """A matplotlib ``Figure`` that shows itself in Jupyter without pyplot.

    Figures made without pyplot hold no global state, but Jupyter only knows how to
    draw them once pyplot's inline backend is loaded; ``_repr_png_`` makes them show
    in any notebook front end (JupyterLab, classic Notebook, VS Code).
    """

    def _repr_png_(self) -> bytes:
        return figure_bytes(self, "png")


def _new_figure(width: float, height: float) -> Figure:
    """A pyplot-free figure with constrained layout."""
    return ChartFigure(figsize=(width, height), dpi=100, layout="constrained")


def _empty(ax, message: str) -> None:
    """Write ``message`` in the middle of an axes that has nothing to show."""
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center",
            color=MUTED, fontsize=10, parse_math=False)  # fmt: skip
    ax.set_xticks([])
    ax.set_yticks([])


def _stance_legend(owner, stances: Sequence[str], extra: Sequence = (), **kwargs) -> None:
    """A legend (on an axes or figure) of the stances that occur, in palette order,
    plus ``extra`` handles."""
    handles = [Patch(facecolor=STANCE_COLORS[s], edgecolor="none", label=s)
               for s in STANCE_ORDER if s in set(stances)]  # fmt: skip
    handles += list(extra)
    if handles:
        owner.legend(handles=handles, **kwargs)


def ranking_chart(influencers: pd.DataFrame, top: int = 15) -> Figure:
    """Horizontal bars of influence for the ``top`` most influential external people.

    Bars are coloured by stance; hidden influencers (influential beyond their formal
    level) get a purple outline and a "hidden" tag. ``ax.patches`` holds one bar per
    person, most influential first; the most influential is drawn at the top.

    Parameters
    ----------
    influencers : the influencers table (``name, title, influence, stance, internal,
        hidden_influencer`` are used).
    top : how many people to show.
    """
    ext = _external(influencers).head(max(int(top), 0))
    n = len(ext)
    with _style():
        fig = _new_figure(8.0, max(2.6, 0.36 * n + 1.3))
        ax = fig.add_subplot()
        ax.set_title("Top influencers", color=INK)
        if n == 0:
            _empty(ax, "No external stakeholders")
            return fig
        names, titles = _text_col(ext, "name"), _text_col(ext, "title")
        stances, hidden = _stances(ext), _flag_col(ext, "hidden_influencer")
        values = ext["influence"].astype(float).to_numpy()
        y = np.arange(n)[::-1].astype(float)
        ax.barh(
            y, values, height=0.68,
            color=[STANCE_COLORS[s] for s in stances],
            edgecolor=[HIDDEN_COLOR if h else "none" for h in hidden],
            linewidth=[1.8 if h else 0.0 for h in hidden],
        )  # fmt: skip
        labels = [f"{nm}  ·  {t}" if t else nm for nm, t in zip(names, titles, strict=True)]
        labels = [lb if len(lb) <= 48 else lb[:47] + "…" for lb in labels]
        ax.set_yticks(y, labels=labels, parse_math=False)
        ax.tick_params(axis="y", length=0)
        xmax = max(100.0, float(values.max()) * 1.02)
        ax.set_xlim(0, xmax * 1.12)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlabel("Influence (0–100)")
        ax.xaxis.grid(True, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        for yi, v, h in zip(y, values, hidden, strict=True):
            ax.text(v + xmax * 0.01, yi, f"{v:.0f}", va="center", ha="left", fontsize=8,
                    color=INK, parse_math=False)  # fmt: skip
            if h:
                ax.text(v + xmax * 0.055, yi, "hidden", va="center", ha="left", fontsize=7.5,
                        color=HIDDEN_COLOR, fontweight="bold", parse_math=False)  # fmt: skip
        extra = []
        if hidden.any():
            extra.append(Patch(facecolor="white", edgecolor=HIDDEN_COLOR, linewidth=1.8,
                               label="hidden influencer"))  # fmt: skip
        _stance_legend(ax, stances, extra, loc="lower right", title="Stance",
                       title_fontsize=8)  # fmt: skip
    return fig


def _place_labels(spans: list[tuple[float, float, float]], min_dy: float) -> list[float]:
    """Label heights that keep labels apart, for labels spanning ``(x0, x1)`` at ``y``.

    Labels are placed in order (most important first). Each starts at its own height
    and moves down, then up, in steps of ``min_dy`` until no earlier label whose
    horizontal span overlaps it is closer than ``min_dy`` vertically.
    """
    placed: list[tuple[float, float, float]] = []
    out = []
    for x0, x1, y in spans:
        cand = y
        for k in range(60):
            cand = y + (-1) ** k * ((k + 1) // 2) * min_dy
            if all(abs(cand - py) >= min_dy or x1 <= px0 or x0 >= px1 for px0, px1, py in placed):
                break
        else:
            cand = y
        placed.append((x0, x1, cand))
        out.append(cand)
    return out


def _place_sided(
    points: list[tuple[float, float, float]],
    min_dy: float,
    markers: list[tuple[float, float]],
    clearance: tuple[float, float],
    xlim: tuple[float, float],
    gap: float = 0.02,
    reach: int = 3,
) -> list[tuple[float, int]]:
    """Label positions ``(y, side)`` (side +1: text right of its point, -1: left) for
    labels of width ``w`` at points ``(x, y, w)``, most important first.

    Each label tries its own height on the right, then on the left, then one step of
    ``min_dy`` down and up, ..., up to ``reach`` steps, and takes the first position
    whose text box is clear of the labels placed so far (closer than ``min_dy``
    vertically where their spans overlap) and of the data ``markers`` (``(x, y)``,
    kept ``clearance = (dx, dy)`` away) and inside ``xlim``. When none is clear, it
    falls back to :func:`_place_labels`' rule: right of its point, clear of the labels.
    """
    placed: list[tuple[float, float, float]] = []
    out = []
    mdx, mdy = clearance

    def clear(x0: float, x1: float, y: float, marks: bool) -> bool:
        if any(abs(y - py) < min_dy and x1 > px0 and x0 < px1 for px0, px1, py in placed):
            return False
        return not marks or not any(
            abs(y - my) < mdy and x1 > mx - mdx and x0 < mx + mdx for mx, my in markers
        )

    def span(x: float, w: float, side: int) -> tuple[float, float]:
        return (x + gap, x + gap + w) if side > 0 else (x - gap - w, x - gap)

    for x, y, w in points:
        steps = [y + (-1) ** k * ((k + 1) // 2) * min_dy for k in range(60)]
        pick = next(
            ((c, side) for c in steps[: 2 * reach + 1] for side in (1, -1)
             if xlim[0] <= span(x, w, side)[0] and span(x, w, side)[1] <= xlim[1]
             and clear(*span(x, w, side), c, True)),
            None,
        )  # fmt: skip
        if pick is None:
            pick = (next((c for c in steps if clear(*span(x, w, 1), c, False)), y), 1)
        placed.append((*span(x, w, pick[1]), pick[0]))
        out.append(pick)
    return out


def stance_grid(
    influencers: pd.DataFrame, annotate: int = 10, high_influence: float | None = None
) -> Figure:
    """The influence–stance grid: who matters and which way they lean.

    x is the stance score (−2 blocker … +2 champion); people with no recorded stance
    sit in a separate "unknown" band at x = :data:`UNKNOWN_X`. y is influence. Bubble
    area grows with our coverage strength (our strongest tie), from a visible minimum
    for people we have no tie to. The grid is split at neutral/supporter and at the
    high-influence threshold into four quadrants. The ``annotate`` most influential
    people are named.

    The single ``PathCollection`` in ``ax.collections`` holds one bubble per external
    person, in descending influence order.

    Parameters
    ----------
    influencers : the influencers table.
    annotate : how many of the most influential people to name.
    high_influence : the influence that splits the quadrants; defaults to the
        top-quartile cut of the account's external influence.
    """
    ext = _external(influencers)
    with _style():
        fig = _new_figure(9.0, 6.2)
        ax = fig.add_subplot()
        ax.set_title("Influence–stance grid", color=INK)
        if ext.empty:
            _empty(ax, "No external stakeholders")
            return fig
        score = pd.to_numeric(ext["stance_score"], errors="coerce") if "stance_score" in ext \
            else pd.Series(np.nan, index=ext.index)  # fmt: skip
        x = score.fillna(UNKNOWN_X).clip(-2, 2).where(score.notna(), UNKNOWN_X).to_numpy(float)
        yv = ext["influence"].astype(float).to_numpy()
        cov = ext["coverage_strength"] if "coverage_strength" in ext else pd.Series(0.0, ext.index)
        cov = pd.to_numeric(cov, errors="coerce").fillna(0.0).clip(0, 1).to_numpy(float)
        sizes = MIN_BUBBLE + cov * (MAX_BUBBLE - MIN_BUBBLE)
        stances = _stances(ext)
        hidden = _flag_col(ext, "hidden_influencer")
        split = _high_influence(ext, high_influence)
        ymax = max(100.0, float(yv.max()) * 1.05)
        ylim = (-ymax * 0.04, ymax * 1.04)
        ax.set_xlim(-3.6, 2.6)
        ax.set_ylim(*ylim)
        # unknown band, and quadrants shading
        ax.axvspan(-3.6, -2.5, color="#f6f8fa", zorder=0, linewidth=0)
        ax.axvline(-2.5, color="#d0d7de", linewidth=0.8, zorder=1)
        ax.axvspan(0.5, 2.6, ymin=0, ymax=1, color="#f3faf4", zorder=0, linewidth=0)
        ax.axhline(split, color=MUTED, linewidth=0.8, linestyle="--", zorder=1)
        ax.axvline(0.5, color=MUTED, linewidth=0.8, linestyle="--", zorder=1)
        quadrants = [
            (-2.45, ylim[1], "Key players to win", "left", "top"),
            (2.55, ylim[1], "Allies to leverage", "right", "top"),
            (-2.45, ylim[0], "Watch for resistance", "left", "bottom"),
            (2.55, ylim[0], "Supporters to mobilise", "right", "bottom"),
        ]
        for qx, qy, text, ha, va in quadrants:
            dy = -1.5 if va == "top" else 1.5
            ax.text(qx, qy + dy, text, ha=ha, va=va, fontsize=9.5, fontweight="bold",
                    color="#8c959f", zorder=1, parse_math=False)  # fmt: skip
        ax.scatter(
            x, yv, s=sizes, c=[STANCE_COLORS[s] for s in stances],
            edgecolors=[HIDDEN_COLOR if h else "white" for h in hidden],
            linewidths=[1.8 if h else 0.8 for h in hidden], alpha=0.9, zorder=3,
        )  # fmt: skip
        ax.set_xticks(
            [UNKNOWN_X, -2, -1, 0, 1, 2],
            labels=["unknown", "blocker", "skeptic", "neutral", "supporter", "champion"],
        )
        ax.tick_params(axis="x", length=0)
        ax.set_xlabel("Stance")
        ax.set_ylabel("Influence (0–100)")
        ax.yaxis.grid(True, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        names = _text_col(ext, "name")
        k = min(max(int(annotate), 0), len(ext))
        shown = [nm if len(nm) <= 22 else nm[:21] + "…" for nm in names[:k]]
        spans = []
        for i in range(k):
            w = 0.1 + 0.065 * len(shown[i])  # approximate label width in stance units
            xi = float(x[i])
            spans.append((xi - w, xi, float(yv[i])) if xi >= 1.5 else (xi, xi + w, float(yv[i])))
        ys = _place_labels(spans, min_dy=(ylim[1] - ylim[0]) * 0.04)
        for i, ly in enumerate(ys):
            name = shown[i]
            r = math.sqrt(float(sizes[i])) / 2 + 3  # bubble radius in points, plus a gap
            left = x[i] >= 1.5  # champions: label on the left, inside the axes
            beside = ax.transData + ScaledTranslation((-r if left else r) / 72, 0,
                                                      fig.dpi_scale_trans)  # fmt: skip
            ax.annotate(
                name, (x[i], yv[i]), xytext=(x[i], ly), textcoords=beside,
                ha="right" if left else "left", va="center", fontsize=8, color=INK, zorder=4,
                parse_math=False,
                arrowprops=None if abs(ly - yv[i]) < 1e-9 else
                dict(arrowstyle="-", color="#8c959f", linewidth=0.6, shrinkA=0, shrinkB=r),
            )  # fmt: skip
        size_handles = [
            Line2D([], [], linestyle="", marker="o", markersize=math.sqrt(MIN_BUBBLE + c *
                   (MAX_BUBBLE - MIN_BUBBLE)), markerfacecolor="#d0d7de",
                   markeredgecolor="white", label=lbl)
            for c, lbl in [(0.0, "no tie"), (0.5, "tie 0.5"), (1.0, "tie 1.0")]
        ]  # fmt: skip
        if hidden.any():
            size_handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="",
                    marker="o",
                    markersize=8,
                    markerfacecolor="white",
                    markeredgecolor=HIDDEN_COLOR,
                    markeredgewidth=1.8,
                    label="hidden influencer",
                )
            )
        handles = [Patch(facecolor=STANCE_COLORS[s], edgecolor="none", label=s)
                   for s in STANCE_ORDER if s in set(stances)]  # fmt: skip
        fig.legend(handles=handles, loc="outside right upper", title="Stance",
                   title_fontsize=8, alignment="left")  # fmt: skip
        fig.legend(handles=size_handles, loc="outside right lower", title="Bubble: our tie",
                   title_fontsize=8, labelspacing=1.9, borderpad=1.0, alignment="left")  # fmt: skip
    return fig


def coverage_chart(
    influencers: pd.DataFrame,
    weak_tie: float = WEAK_TIE,
    high_influence: float | None = None,
    annotate: int = 12,
) -> Figure:
    """Influence against the strength of our strongest tie: who we are missing.

    x is ``coverage_strength`` (0 = no tie), y is influence. The top-left zone (influence
    at or above the high-influence threshold, tie below ``weak_tie``) is shaded — it is
    the patch with gid ``"gap-zone"`` — and the ``annotate`` most influential people the
    analysis flagged as ``coverage_gap`` are named (texts with gid ``"gap-label"``); when
    there are more, a note says how many gaps are not named (every gap keeps its ring).

    Parameters
    ----------
    influencers : the influencers table.
    weak_tie : tie strength below which a tie is weak (the analysis' ``WEAK_TIE``).
    high_influence : the influence threshold of the zone; defaults to the top-quartile
        cut of the account's external influence, as the analysis uses.
    annotate : how many of the gaps to name, most influential first (a large account
        can have hundreds: naming them all is unreadable and slow to draw).
    """
    ext = _external(influencers)
    with _style():
        fig = _new_figure(8.0, 5.6)
        ax = fig.add_subplot()
        ax.set_title("Coverage: influence vs. our strongest tie", color=INK)
        if ext.empty:
            _empty(ax, "No external stakeholders")
            return fig
        yv = ext["influence"].astype(float).to_numpy()
        cov = ext["coverage_strength"] if "coverage_strength" in ext else pd.Series(0.0, ext.index)
        xv = pd.to_numeric(cov, errors="coerce").fillna(0.0).clip(0, 1).to_numpy(float)
        gap = _flag_col(ext, "coverage_gap")
        split = _high_influence(ext, high_influence)
        ymax = max(100.0, float(yv.max()) * 1.05)
        ylim = (-ymax * 0.04, ymax * 1.04)
        xlim = (-0.04, 1.04)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        zone = Rectangle(
            (xlim[0], split),
            weak_tie - xlim[0],
            ylim[1] - split,
            facecolor="#ffebe9",
            edgecolor="none",
            zorder=0,
            gid="gap-zone",
        )
        ax.add_patch(zone)
        ax.axvline(weak_tie, color=MUTED, linewidth=0.8, linestyle="--", zorder=1)
        ax.axhline(split, color=MUTED, linewidth=0.8, linestyle="--", zorder=1)
        ax.text(xlim[0] + 0.01, ylim[1] - 1.5, "Who we are missing", ha="left", va="top",
                fontsize=9.5, fontweight="bold", color=GAP_COLOR, zorder=2,
                parse_math=False)  # fmt: skip
        ax.text(weak_tie + 0.01, ylim[0] + 1, f"weak tie < {weak_tie:g}", ha="left",
                va="bottom", fontsize=7.5, color=MUTED, parse_math=False)  # fmt: skip
        stances = _stances(ext)
        ax.scatter(
            xv, yv, s=[70 if g else 38 for g in gap], c=[STANCE_COLORS[s] for s in stances],
            edgecolors=[GAP_COLOR if g else "white" for g in gap],
            linewidths=[1.6 if g else 0.7 for g in gap], zorder=3,
        )  # fmt: skip
        names = _text_col(ext, "name")
        gaps = [i for i in range(len(ext)) if gap[i]]  # most influential first
        idx = gaps[: max(int(annotate), 0)]
        shown = {i: names[i] if len(names[i]) <= 24 else names[i][:23] + "…" for i in idx}
        # names kept off each other and, where there is room nearby, off the markers
        dy = (ylim[1] - ylim[0]) * 0.04
        points = [(float(xv[i]), float(yv[i]), 0.0105 * len(shown[i])) for i in idx]
        where = _place_sided(points, dy, list(zip(xv.tolist(), yv.tolist())),
                             (0.012, 0.55 * dy), xlim)  # fmt: skip
        for i, (ly, side) in zip(idx, where, strict=True):
            name = shown[i]
            ax.annotate(
                name, (xv[i], yv[i]), xytext=(xv[i] + side * 0.025, ly), textcoords="data",
                ha="left" if side > 0 else "right", va="center", fontsize=8, color=INK,
                zorder=4, gid="gap-label",
                parse_math=False,
                arrowprops=None if abs(ly - yv[i]) < 1e-9 else
                dict(arrowstyle="-", color="#8c959f", linewidth=0.6, shrinkA=0, shrinkB=4),
            )  # fmt: skip
        if len(gaps) > len(idx):
            ax.text(1.0, -0.12, f"+{len(gaps) - len(idx)} more coverage gaps not named",
                    transform=ax.transAxes, ha="right", va="top", fontsize=7.5, color=MUTED,
                    parse_math=False)  # fmt: skip
        ax.set_xlabel("Strength of our strongest tie (0 = no tie)")
        ax.set_ylabel("Influence (0–100)")
        ax.grid(True, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        extra = [
            Line2D(
                [],
                [],
                linestyle="",
                marker="o",
                markersize=8,
                markerfacecolor="white",
                markeredgecolor=GAP_COLOR,
                markeredgewidth=1.6,
                label="coverage gap",
            )
        ]
        _stance_legend(fig, stances, extra if gap.any() else (), loc="outside right upper",
                       title="Stance", title_fontsize=8)  # fmt: skip
    return fig


def coalition_chart(influencers: pd.DataFrame, top: int | None = 20) -> Figure:
    """One horizontal bar per coalition: its size, stacked by stance mix.

    Coalitions are the ``coalition`` labels of external people, largest first (ties by
    label). ``ax.patches`` holds, for each stance of :data:`STANCE_ORDER` in turn, one
    segment per coalition (zero-width when absent), so the segments of a coalition sum
    to its size.

    Parameters
    ----------
    influencers : the influencers table.
    top : show at most this many coalitions (``None``: all).
    """
    df = influencers
    if "internal" in df:
        df = df[~df["internal"].fillna(False).astype(bool)]
    labels = _text_col(df, "coalition")
    if "community" in df:
        labels = [lb or (f"Community {c}" if pd.notna(c) else "No coalition")
                  for lb, c in zip(labels, df["community"], strict=True)]  # fmt: skip
    else:
        labels = [lb or "No coalition" for lb in labels]
    counts = pd.crosstab(pd.Series(labels, name="coalition"),
                         pd.Series(_stances(df), name="stance"))  # fmt: skip
    counts = counts.reindex(columns=list(STANCE_ORDER), fill_value=0)
    size = counts.sum(axis=1)
    order = sorted(counts.index, key=lambda lb: (-int(size[lb]), lb))
    hidden_count = 0
    if top is not None and len(order) > top:
        hidden_count = len(order) - top
        order = order[:top]
    counts = counts.loc[order]
    n = len(counts)
    with _style():
        fig = _new_figure(8.0, max(2.6, 0.42 * n + 1.4))
        ax = fig.add_subplot()
        ax.set_title("Coalitions by stance mix", color=INK)
        if n == 0:
            _empty(ax, "No coalitions")
            return fig
        y = np.arange(n)[::-1].astype(float)
        left = np.zeros(n)
        for s in STANCE_ORDER:
            w = counts[s].to_numpy(float)
            ax.barh(y, w, left=left, height=0.62, color=STANCE_COLORS[s], edgecolor="white",
                    linewidth=0.6, label=s)  # fmt: skip
            left += w
        total = left
        names = [lb if len(lb) <= 40 else lb[:39] + "…" for lb in counts.index]
        ax.set_yticks(y, labels=names, parse_math=False)
        ax.tick_params(axis="y", length=0)
        xmax = float(total.max())
        ax.set_xlim(0, xmax * 1.15 + 0.5)
        ax.set_ylim(-0.6, n - 0.4)
        for yi, t in zip(y, total, strict=True):
            ax.text(t + xmax * 0.015 + 0.05, yi, f"{t:.0f}", va="center", ha="left",
                    fontsize=8, color=INK, parse_math=False)  # fmt: skip
        ax.set_xlabel("People")
        ax.xaxis.grid(True, color=GRID, linewidth=0.8)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_axisbelow(True)
        present = [s for s in STANCE_ORDER if counts[s].sum() > 0]
        _stance_legend(fig, present, loc="outside right upper", title="Stance",
                       title_fontsize=8)  # fmt: skip
        if hidden_count:
            ax.text(1.0, -0.12, f"+{hidden_count} smaller coalitions not shown",
                    transform=ax.transAxes, ha="right", va="top", fontsize=7.5, color=MUTED,
                    parse_math=False)  # fmt: skip
    return fig


def figure_bytes(fig: Figure, fmt: str = "png", dpi: int = PNG_DPI) -> bytes:
    """The figure as PNG or SVG bytes, deterministic for identical figures.

    The PNG carries no software tag, the SVG no date or creator and a fixed hash salt,
    and the font and DPI are fixed.
    """
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    buf = io.BytesIO()
    with _style():
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return buf.getvalue()


def figure_formats(
    fig: Figure, formats: tuple[str, ...] = ("png", "svg"), dpi: int = PNG_DPI
) -> dict[str, bytes]:
    """The figure in each of ``formats`` (see :func:`figure_bytes`), laid out once.

    The figure's layout engine runs once, as the PNG's drawing runs it (on an Agg canvas
    at ``dpi``), and is detached while the formats are drawn, so no drawing lays the
    figure out again nor makes the dry-run drawing ``savefig`` makes before a laid-out
    figure's (each took a third of a drawing's time); the canvas keeps the text extents
    the layout measured for the PNG. The bytes are those ``figure_bytes(fig, "png")``
    draws with its own layout, and every format has that layout. The figure's canvas and
    layout engine are restored afterwards.
    """
    engine = fig.get_layout_engine()
    if engine is None:
        return {fmt: figure_bytes(fig, fmt, dpi) for fmt in formats}
    canvas = fig.canvas
    agg = canvas if isinstance(canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    try:
        with _style(), _dpi(fig, dpi):
            engine.execute(fig)
        with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
            fig.set_layout_engine(None)  # None, not "none": "none" still makes the dry run
        return {fmt: figure_bytes(fig, fmt, dpi) for fmt in formats}
    finally:
        fig.set_layout_engine(engine)
        if agg is not canvas:
            fig.set_canvas(canvas)


@contextlib.contextmanager
def _dpi(fig: Figure, dpi: float) -> Iterator[None]:
    """The figure at ``dpi`` (as ``savefig`` sets it while drawing), then as it was."""
    before = fig.dpi
    fig.dpi = dpi
    try:
        yield
    finally:
        fig.dpi = before


def png_bytes(fig: Figure, dpi: int = PNG_DPI) -> bytes:
    """The figure as PNG bytes (see :func:`figure_bytes`)."""
    return figure_bytes(fig, "png", dpi)


def save_figure(fig: Figure, path_stem: str | Path) -> list[Path]:
    """Write ``<path_stem>.png`` and ``<path_stem>.svg`` atomically; returns the two paths."""
    stem = Path(path_stem)
    return [
        write_bytes(stem.with_name(f"{stem.name}.{fmt}"), data)
        for fmt, data in figure_formats(fig).items()
    ]


def trend_chart(trend: pd.DataFrame, top: int = 8) -> Figure:
    """Influence over time of the ``top`` biggest movers, one line per person.

    ``trend`` is ``Account.trend()`` (``period, id, name, influence, rank``). A mover's
    size is :math:`|I_{last} - I_{first}|` between the first and the last period in which
    the person appears (ties by id); the chart shows the ``top`` largest, biggest first in
    ``ax.lines``, each labelled at its last point with name and change.
    """
    df = trend.dropna(subset=["influence"]).sort_values(["period", "id"])
    with _style():
        fig = _new_figure(9.0, 5.4)
        ax = fig.add_subplot()
        ax.set_title("Influence over time: top movers", color=INK)
        if df.empty or df["period"].nunique() < 2:
            _empty(ax, "Not enough periods to show a trend")
            return fig
        ends = df.groupby("id")["influence"].agg(["first", "last"])
        ends["move"] = (ends["last"] - ends["first"]).abs()
        movers = sorted(ends.index, key=lambda i: (-float(ends.at[i, "move"]), str(i)))
        movers = movers[: max(int(top), 0)]
        colors = mpl.colormaps["tab10"].colors
        names = df.drop_duplicates("id").set_index("id")["name"].fillna("").astype(str)
        spans = []
        for k, pid in enumerate(movers):
            rows = df[df["id"] == pid]
            x = pd.to_datetime(rows["period"]).to_numpy()
            y = rows["influence"].astype(float).to_numpy()
            ax.plot(x, y, color=colors[k % len(colors)], linewidth=1.8, marker="o",
                    markersize=3.5, label=names.get(pid) or str(pid))  # fmt: skip
            spans.append((x[-1], y[-1], float(ends.at[pid, "last"] - ends.at[pid, "first"])))
        ys = _place_labels([(0.0, 1.0, y) for _, y, _ in spans], min_dy=4.0)
        for k, ((x, _, move), ly) in enumerate(zip(spans, ys, strict=True)):
            name = names.get(movers[k]) or str(movers[k])
            name = name if len(name) <= 22 else name[:21] + "…"
            ax.annotate(f"{name} ({move:+.0f})", (x, ly), xytext=(6, 0),
                        textcoords="offset points", va="center", ha="left", fontsize=8,
                        color=colors[k % len(colors)], parse_math=False,
                        annotation_clip=False)  # fmt: skip
        ax.set_ylim(-4, 106)
        ax.set_ylabel("Influence (0–100)")
        ax.yaxis.grid(True, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.margins(x=0.02)
        ax.tick_params(axis="x", labelrotation=30)
        ax.set_xlim(right=ax.get_xlim()[1] + (ax.get_xlim()[1] - ax.get_xlim()[0]) * 0.22)
    return fig
