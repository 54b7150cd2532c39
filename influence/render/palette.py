"""Colours shared by every chart, map and report of the render layer."""

from __future__ import annotations

#: Stance → colour, from strongest support to strongest opposition; ``unknown`` is for
#: people whose stance was not recorded (an empty ``stance``).
STANCE_COLORS: dict[str, str] = {
    "champion": "#1a7f37",
    "supporter": "#7ccf8a",
    "neutral": "#9aa0a6",
    "skeptic": "#f0883e",
    "blocker": "#cf222e",
    "unknown": "#d0d7de",
}

#: Stances in display order (support first); the keys of :data:`STANCE_COLORS`.
STANCE_ORDER: tuple[str, ...] = tuple(STANCE_COLORS)

#: Accent colours for marks that are not stances.
HIDDEN_COLOR = "#8250df"  # hidden influencers
GAP_COLOR = "#cf222e"  # coverage gaps
INK = "#1f2328"  # text
MUTED = "#656d76"  # secondary text, grid lines
GRID = "#eaeef2"


def stance_color(stance: object) -> str:
    """The colour of a stance label; anything unrecognised (``""``, NaN) is ``unknown``.

    >>> stance_color("blocker")
    '#cf222e'
    >>> stance_color("")
    '#d0d7de'
    """
    key = stance if isinstance(stance, str) and stance in STANCE_COLORS else "unknown"
    return STANCE_COLORS[key]
