"""Charts: the drawn marks equal the data, and saving is byte-identical."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from influence.render import charts
from influence.render.palette import HIDDEN_COLOR, STANCE_COLORS


def people() -> pd.DataFrame:
    """Six customer people and one of ours, with hand-picked values."""
    rows = [
        # id, name, influence, stance, score, cov, hidden, gap, coalition
        ("a", "Ana Ruiz", 95.0, "champion", 2.0, 0.9, False, False, "Coalition of Ana Ruiz"),
        ("b", "Ben Okafor", 80.0, "blocker", -2.0, 0.1, True, True, "Coalition of Ana Ruiz"),
        ("c", "Chen Wei", 70.0, "", np.nan, 0.0, False, True, "Coalition of Chen Wei"),
        ("d", "Dana Holt", 40.0, "neutral", 0.0, 0.5, False, False, "Coalition of Chen Wei"),
        ("e", "Eli $Marsh$", 20.0, "supporter", 1.0, 0.2, False, False, "Coalition of Chen Wei"),
        ("f", "Zoë 李雷", 10.0, "skeptic", -1.0, 0.0, True, False, "Coalition of Zoë 李雷"),
        ("u", "Us Person", np.nan, "", np.nan, 0.0, False, False, ""),
    ]
    df = pd.DataFrame(rows, columns=["id", "name", "influence", "stance", "stance_score",
                                     "coverage_strength", "hidden_influencer", "coverage_gap",
                                     "coalition"])  # fmt: skip
    df["title"] = ["CEO", "CFO", "CTO", "VP", "Manager", "Analyst", "AE"]
    df["internal"] = df["id"] == "u"
    df["rank"] = pd.array([1, 2, 3, 4, 5, 6, pd.NA], dtype="Int64")
    df["community"] = pd.array([0, 0, 1, 1, 1, 2, pd.NA], dtype="Int64")
    # shuffled, to prove the charts sort by influence themselves
    return df.iloc[[3, 6, 0, 5, 2, 1, 4]].reset_index(drop=True)


def test_ranking_chart_bars_in_order_with_heights_and_colours():
    fig = charts.ranking_chart(people(), top=4)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == 4
    assert [b.get_width() for b in bars] == [95.0, 80.0, 70.0, 40.0]
    ys = [b.get_y() + b.get_height() / 2 for b in bars]
    assert ys == sorted(ys, reverse=True)  # the most influential on top
    assert [to_hex(b.get_facecolor()) for b in bars] == [
        STANCE_COLORS["champion"], STANCE_COLORS["blocker"], STANCE_COLORS["unknown"],
        STANCE_COLORS["neutral"],
    ]  # fmt: skip
    assert to_hex(bars[1].get_edgecolor()) == HIDDEN_COLOR  # Ben is a hidden influencer
    assert bars[0].get_linewidth() == 0
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith("Ana Ruiz") and labels[3].startswith("Dana Holt")
    assert "hidden" in [t.get_text() for t in ax.texts]


def test_ranking_chart_excludes_internal_people_and_caps_at_top():
    fig = charts.ranking_chart(people())
    assert len(fig.axes[0].patches) == 6  # the internal person has no influence bar


def test_stance_grid_bubbles_at_the_data():
    df = people()
    fig = charts.stance_grid(df)
    ax = fig.axes[0]
    (pc,) = ax.collections
    offsets = np.asarray(pc.get_offsets())
    np.testing.assert_array_equal(offsets[:, 1], [95, 80, 70, 40, 20, 10])
    np.testing.assert_array_equal(offsets[:, 0], [2, -2, charts.UNKNOWN_X, 0, 1, -1])
    sizes = pc.get_sizes()
    cov = [0.9, 0.1, 0.0, 0.5, 0.2, 0.0]
    order = np.argsort(cov, kind="stable")
    assert np.all(np.diff(sizes[order]) >= 0)  # bigger tie, bigger bubble
    assert sizes.min() == charts.MIN_BUBBLE > 0  # no tie is still visible
    assert sizes[0] > sizes[3] > sizes[4] > sizes[1] > sizes[2]
    texts = [t.get_text() for t in ax.texts]
    for q in ["Key players to win", "Allies to leverage"]:
        assert q in texts
    assert "Ana Ruiz" in texts and "Eli $Marsh$" in texts  # drawn literally, not as math
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "unknown"


def test_stance_grid_labels_do_not_overlap():
    spans = [(0.0, 1.0, 50.0), (0.5, 1.5, 50.5), (5.0, 6.0, 50.0)]
    ys = charts._place_labels(spans, min_dy=4.0)
    assert ys[0] == 50.0 and abs(ys[1] - ys[0]) >= 4.0  # moved apart
    assert ys[2] == 50.0  # far away: stays put


def test_coverage_chart_shades_the_gap_zone_and_labels_the_gaps():
    df = people()
    fig = charts.coverage_chart(df)
    ax = fig.axes[0]
    (zone,) = [p for p in ax.patches if p.get_gid() == "gap-zone"]
    threshold = df.loc[~df["internal"], "influence"].quantile(0.75)
    assert zone.get_y() == pytest.approx(threshold)
    assert zone.get_x() + zone.get_width() == pytest.approx(charts.WEAK_TIE)
    assert zone.get_x() <= 0
    assert zone.get_y() + zone.get_height() >= 95
    labelled = sorted(t.get_text() for t in ax.texts if t.get_gid() == "gap-label")
    assert labelled == ["Ben Okafor", "Chen Wei"]
    (pc,) = ax.collections
    np.testing.assert_array_equal(np.asarray(pc.get_offsets())[:, 0], [0.9, 0.1, 0.0, 0.5, 0.2, 0])


def test_coverage_chart_custom_thresholds():
    ax = charts.coverage_chart(people(), weak_tie=0.5, high_influence=60).axes[0]
    (zone,) = [p for p in ax.patches if p.get_gid() == "gap-zone"]
    assert zone.get_y() == 60 and zone.get_x() + zone.get_width() == pytest.approx(0.5)


def test_coalition_chart_stacks_sum_to_sizes():
    ax = charts.coalition_chart(people()).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Coalition of Chen Wei", "Coalition of Ana Ruiz", "Coalition of Zoë 李雷"]
    ticks = list(ax.get_yticks())
    totals: dict[float, float] = {}
    for p in ax.patches:
        y = p.get_y() + p.get_height() / 2
        totals[y] = totals.get(y, 0) + p.get_width()
    sizes = dict(zip(labels, [totals[t] for t in ticks], strict=True))
    assert sizes == {"Coalition of Chen Wei": 3, "Coalition of Ana Ruiz": 2,
                     "Coalition of Zoë 李雷": 1}  # fmt: skip
    # the champion segment of Ana's coalition is 1 wide and green
    greens = [
        p
        for p in ax.patches
        if to_hex(p.get_facecolor()) == STANCE_COLORS["champion"] and p.get_width() > 0
    ]
    assert len(greens) == 1 and greens[0].get_width() == 1


def test_empty_input_gives_a_figure():
    empty = people().iloc[0:0]
    for f in (charts.ranking_chart, charts.stance_grid, charts.coverage_chart,
              charts.coalition_chart):  # fmt: skip
        fig = f(empty)
        assert isinstance(fig, Figure)
        ax = fig.axes[0]
        assert len(ax.patches) == 0 and len(ax.collections) == 0, f.__name__  # nothing drawn
        assert [t.get_text() for t in ax.texts] in (
            ["No external stakeholders"],
            ["No coalitions"],
        ), f.__name__


def test_save_figure_is_deterministic(tmp_path):
    df = people()
    df.loc[df["id"] == "d", "name"] = "<script>alert(1)</script>"
    outputs = []
    for run in ("one", "two"):
        fig = charts.stance_grid(df)
        paths = charts.save_figure(fig, tmp_path / run / "grid")
        assert [p.name for p in paths] == ["grid.png", "grid.svg"]
        outputs.append([p.read_bytes() for p in paths])
    assert outputs[0] == outputs[1]
    png, svg = outputs[0]
    assert png.startswith(b"\x89PNG") and b"matplotlib" not in png.lower()
    assert b"<dc:date>" not in svg and b"Matplotlib v" not in svg
    assert b"<text" not in svg  # text is drawn as paths
    assert b"<script" not in svg  # CRM text only appears escaped, in comments


def test_figure_formats_lays_out_once_and_restores_the_engine():
    """PNG and SVG from one layout, each drawn once: the PNG is what a plain drawing
    gives, the SVG places the axes where the PNG does (the figure-relative box after each
    drawing), and the figure's canvas and constrained layout are back afterwards."""
    import xml.dom.minidom

    fig = charts.stance_grid(people())
    engine, canvas = fig.get_layout_engine(), fig.canvas
    draws = []
    fig.draw = lambda renderer: draws.append(renderer) or type(fig).draw(fig, renderer)
    out = charts.figure_formats(fig)
    del fig.draw
    assert list(out) == ["png", "svg"]
    assert len(draws) == 2  # one drawing per format: no dry run before either
    assert fig.get_layout_engine() is engine and fig.canvas is canvas
    box = fig.axes[0].get_position().bounds
    assert out["png"] == charts.figure_bytes(fig, "png")  # a fresh layout: the same box
    assert fig.axes[0].get_position().bounds == pytest.approx(box, abs=1e-9)
    assert xml.dom.minidom.parseString(out["svg"]).documentElement.tagName == "svg"


def test_figures_are_not_managed_by_pyplot():
    """Charts are plain Figures: no pyplot window manager, no global figure registry."""
    fig = charts.ranking_chart(people())
    assert fig.canvas.manager is None


def test_coverage_chart_names_the_most_influential_gaps_and_counts_the_rest():
    # 30 gaps of falling influence: the 12 most influential are named, 18 counted.
    n = 30
    df = pd.DataFrame({
        "id": [f"p{i}" for i in range(n)], "name": [f"Person {i:02d}" for i in range(n)],
        "influence": np.linspace(100, 40, n), "stance": "neutral", "stance_score": 0.0,
        "coverage_strength": 0.0, "coverage_gap": True, "internal": False,
    })  # fmt: skip
    ax = charts.coverage_chart(df).axes[0]
    named = [t.get_text() for t in ax.texts if t.get_gid() == "gap-label"]
    assert sorted(named) == [f"Person {i:02d}" for i in range(12)]
    assert any(t.get_text() == "+18 more coverage gaps not named" for t in ax.texts)
    (pc,) = ax.collections
    assert len(pc.get_offsets()) == n  # every gap still drawn
    every = charts.coverage_chart(df, annotate=n).axes[0]
    assert sum(t.get_gid() == "gap-label" for t in every.texts) == n
    assert not any("not named" in t.get_text() for t in every.texts)


def test_sided_labels_keep_off_markers_and_each_other():
    # a marker right of the first point: its label goes left; the second label, at the
    # same height and overlapping horizontally, moves one step
    where = charts._place_sided(
        [(0.5, 50.0, 0.2), (0.55, 50.0, 0.2)], min_dy=4.0, markers=[(0.6, 50.0)],
        clearance=(0.01, 2.0), xlim=(0.0, 1.0),
    )  # fmt: skip
    assert where[0] == (50.0, -1)  # left: (0.28, 0.48) is clear, the right side is not
    assert where[1][0] in (46.0, 54.0)  # one step away from the first label
    # nowhere clear near: right of its point, clear of the labels only
    crowd = [(0.5, y) for y in np.arange(30, 71, 1.0)] + [(0.2, y) for y in range(30, 71)]
    where = charts._place_sided([(0.35, 50.0, 0.1)], 4.0, crowd, (0.2, 2.0), (0.0, 1.0))
    assert where == [(50.0, 1)]


def test_coverage_chart_names_do_not_overlap_on_the_sample():
    """Crestline has 9 coverage gaps in a dense cluster: no two names' text boxes meet,
    and every name stays inside the axes (measured on the drawn figure)."""
    import itertools

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    import influence

    inf = influence.load("data/sample").account("Crestline Bank").influencers()
    fig = charts.coverage_chart(inf)
    FigureCanvasAgg(fig).draw()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_gid() == "gap-label"]
    assert len(labels) == min(12, int(inf["coverage_gap"].sum())) >= 5
    boxes = [Text.get_window_extent(t, r) for t in labels]  # the text, not the leader
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    frame = ax.get_window_extent(r)
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 for b in boxes)
