"""The interactive map in a real, offline Firefox (Debian's ESR, driven by WebDriver BiDi).

The Chromium tests (test_map_browser.py) cover every interaction in depth; these check
that the same file draws, responds and stays safe in the other engine users open maps in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_map import EVIL, small_inputs

import influence
from influence.render import build_map

READY = "window.mapReady === true"
# True when the view is where it was at the previous reading: no animation under way.
STILL = """(() => {
  const v = JSON.stringify([window.network.getViewPosition(), window.network.getScale()]);
  const still = v === window.__lastView;
  window.__lastView = v;
  return still;
})()"""

PAINTED = """(() => {
  const c = document.querySelector('#network canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let k = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 0 && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) k++;
  }
  return k;
})()"""


@pytest.fixture
def open_map(firefox, tmp_path: Path):
    def _open(inputs: dict, name: str = "map.html"):
        path = build_map(**inputs).save(tmp_path / name)
        firefox.open(path, wait_for=READY)
        return firefox

    return _open


def counts(ff) -> list[int]:
    return ff.evaluate("[window.network.body.data.nodes.length, window.edges.length]")


def click_node(ff, node_id: str) -> None:
    """Click the node where it is drawn, once the view has stopped moving."""
    ff.wait_until(STILL)  # polled every 0.1 s: two equal readings in a row
    x, y = ff.evaluate(
        f"""(() => {{
            const p = window.network.getPositions(['{node_id}'])['{node_id}'];
            const d = window.network.canvasToDOM(p);
            const r = document.getElementById('network').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y];
        }})()"""
    )
    ff.click(x, y)


def test_draws_offline_with_no_errors(open_map):
    ff = open_map(small_inputs())
    assert counts(ff) == [8, 9]
    assert ff.evaluate("window.nodes.get('p2').shape") == "diamond"
    assert ff.evaluate("window.network.physics.physicsEnabled") is False  # layout settled
    # Nodes and ties really drawn on the canvas. The frame after `fit()` may come a little
    # after mapReady on a loaded machine, so wait for it (and fail if it never comes).
    ff.wait_until(f"{PAINTED} > 2000")
    assert ff.evaluate("document.getElementById('map-title').textContent") == "Acme Corp"
    assert ff.console_errors == [] and ff.requests == []


def test_search_and_click_open_the_side_panel(open_map):
    ff = open_map(small_inputs())
    ff.click_element("#search")
    ff.type("cara\ue007")  # Enter
    assert ff.evaluate("window.network.getSelectedNodes()") == ["p3"]
    assert ff.evaluate("document.querySelector('#panel .panel-name').textContent") == "Cara Diaz"
    assert ff.evaluate("document.getElementById('search-msg').textContent") == "Found Cara Diaz."
    click_node(ff, "p2")
    assert ff.evaluate("window.network.getSelectedNodes()") == ["p2"]
    panel = ff.evaluate("document.getElementById('panel').textContent")
    assert "Bob Stone" in panel and "Tia Ward → Ann Lee → Bob Stone" in panel
    assert ff.evaluate("getComputedStyle(document.getElementById('panel')).display") != "none"
    assert ff.console_errors == [] and ff.requests == []


def test_untrusted_text_stays_text(open_map):
    ff = open_map(small_inputs(EVIL))
    assert ff.evaluate("typeof window.__pwned") == "undefined"
    assert ff.evaluate("document.getElementById('map-title').textContent") == EVIL + "Acme Corp"
    assert ff.evaluate("document.title") == "Influence map · " + EVIL + "Acme Corp"
    click_node(ff, "p2")
    name = ff.evaluate("document.querySelector('#panel .panel-name').textContent")
    assert name == EVIL + "Bob Stone"
    assert ff.evaluate("typeof window.__pwned") == "undefined"
    assert ff.console_errors == [] and ff.requests == []


def test_a_sample_account_map(firefox, tmp_path):
    acct = influence.load("data/sample").account("Crestline Bank")
    ties = acct.map_inputs()["ties"]
    pairs = {frozenset(p) for p in zip(ties["source"], ties["target"])}
    people = acct.influencers()
    path = acct.map().save(tmp_path / "crestline.html")
    firefox.open(path, wait_for=READY)
    assert counts(firefox) == [len(people), len(pairs)]
    firefox.wait_until(f"{PAINTED} > 10000")
    # accent- and case-insensitive search, and the what-if, in this engine too
    firefox.click_element("#search")
    firefox.type("ozturk\ue007")  # Enter
    found = people.set_index("name").at["Çağla Öztürk", "id"]
    assert firefox.evaluate("window.network.getSelectedNodes()") == [found]
    champion = people.loc[people["stance"] == "champion", "id"].iat[0]
    got = firefox.evaluate(f"window.influenceMap.whatIf({{'{champion}': 'blocker'}}).overall")
    assert got == pytest.approx(acct.overall_support(overrides={champion: "blocker"}), abs=1e-6)
    assert firefox.console_errors == [] and firefox.requests == []


def test_the_harness_sees_requests_and_console_errors(firefox, tmp_path):
    """The zero counts above can fail: a page that calls out and logs an error is caught."""
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!doctype html><img src="http://example.invalid/pixel.png">'
        '<script>console.error("boom"); window.done = true;</script>',
        encoding="utf-8",
    )
    firefox.open(page, wait_for="window.done === true")
    # (Firefox may upgrade the request to https first)
    assert [u.split("://", 1)[1] for u in firefox.requests] == ["example.invalid/pixel.png"]
    assert firefox.console_errors == ["boom"]
