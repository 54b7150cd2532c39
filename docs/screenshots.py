#!/usr/bin/env python3
"""Make the README's screenshots from the bundled sample.

    .venv/bin/python docs/screenshots.py

Writes ``docs/img/map.png`` (the largest sample account's influence map in headless
Debian Chromium at 1400×900, with the top influencer clicked so the side panel shows)
and ``docs/img/stance_grid.png`` (the same account's influence–stance grid, as
``influence analyze`` saves it). Needs ``/usr/bin/chromium`` and Playwright for Python
(a dev dependency); never downloads a browser and the page loads nothing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import influence
from influence.render.charts import figure_bytes, stance_grid
from influence.render.files import write_bytes

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1400, "height": 900}


def largest_account(ds: influence.Dataset) -> str:
    """The account with the most people of its own (ties broken by name)."""
    people = ds.tables.people
    size = people[~people["internal"]].groupby("account").size()
    return sorted(ds.accounts, key=lambda a: (-size.get(a, 0), a))[0]


def screenshot_map(html_path: Path, person: str, out: Path) -> None:
    """Open the map, click ``person`` where it is drawn, save a 1400×900 PNG."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
            context.route(
                "**/*", lambda r: r.abort() if r.request.url.startswith("http") else r.continue_()
            )
            page = context.new_page()
            page.goto(html_path.resolve().as_uri())
            page.wait_for_function("() => window.mapReady === true", timeout=60_000)
            # Make room for the side panel (it opens over the right of the map): zoom out
            # a little and move the picture left, then click where the person is drawn.
            x, y = page.evaluate(
                """(id) => {
                    const net = window.network;
                    const r = document.getElementById("network").getBoundingClientRect();
                    const panel = 340, scale = net.getScale() * (r.width - panel) / r.width;
                    const c = net.getViewPosition();
                    net.moveTo({ position: { x: c.x + panel / 2 / scale, y: c.y }, scale: scale });
                    const d = net.canvasToDOM(net.getPositions([id])[id]);
                    return [r.left + d.x, r.top + d.y];
                }""",
                person,
            )
            page.mouse.click(x, y)
            page.wait_for_selector("#panel:not([hidden])")
            # Then rest the pointer where nothing is drawn: no hover tooltip in the picture.
            empty = page.evaluate(
                """() => {
                    const net = window.network;
                    const r = document.getElementById("network").getBoundingClientRect();
                    for (let y = r.height - 10; y > 10; y -= 20)
                        for (let x = 10; x < r.width / 2; x += 20)
                            if (net.getNodeAt({ x, y }) === undefined &&
                                net.getEdgeAt({ x, y }) === undefined)
                                return [r.left + x, r.top + y];
                    return [r.left + 2, r.top + 2];
                }"""
            )
            page.mouse.move(*empty)
            page.wait_for_timeout(500)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main() -> int:
    ds = influence.load(ROOT / "data" / "sample")
    name = largest_account(ds)
    acct = ds.account(name)
    inf = acct.influencers()
    top = inf[~inf["internal"]].iloc[0]
    with tempfile.TemporaryDirectory() as tmp:
        html = acct.map().save(Path(tmp) / "map.html")
        screenshot_map(html, str(top["id"]), IMG / "map.png")
    write_bytes(IMG / "stance_grid.png", figure_bytes(stance_grid(inf), "png"))
    print(f"{name}: clicked {top['name']}; wrote {IMG / 'map.png'} and {IMG / 'stance_grid.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
