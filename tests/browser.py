"""Browser helpers for tests: open a local HTML file in Chromium with the network cut off.

:func:`open_page` loads a file through a ``file://`` URL after routing every request:
http(s) requests are aborted and recorded, so a test can assert that a page made none;
console errors and uncaught page errors are recorded too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class PageLog:
    """What a page did while a test ran: console errors, page errors, outside requests."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def open_page(
    browser: Any,
    path: str | Path,
    *,
    viewport: tuple[int, int] = (1280, 800),
    wait_for: str | None = None,
    timeout_ms: int = 60_000,
) -> tuple[Any, list[str], list[str]]:
    """Open ``path`` in a new page of ``browser``; return ``(page, console_errors, requests)``.

    Every ``http://`` or ``https://`` request is aborted and its URL appended to
    ``requests``; console messages of type ``error`` and uncaught exceptions are appended
    to ``console_errors`` (both lists keep filling while the page lives). ``wait_for`` is
    a JavaScript expression to wait for after loading, e.g. ``"window.mapReady === true"``.
    The caller closes the page (``page.context.close()``).
    """
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block"
    )
    page = context.new_page()
    log = PageLog()

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("http://", "https://", "ws://", "wss://")):
            log.requests.append(url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and log.console_errors.append(m.text))
    page.on("pageerror", lambda e: log.console_errors.append(f"pageerror: {e}"))
    # Requests the router cannot see (e.g. blocked by CSP) still show as failed requests.
    page.on(
        "requestfailed",
        lambda r: (
            r.url.startswith(("http://", "https://"))
            and r.url not in log.requests
            and log.requests.append(r.url)
        ),
    )
    page.goto(Path(path).resolve().as_uri(), wait_until="load", timeout=timeout_ms)
    if wait_for:
        # As a function, not an expression: Playwright evals expressions inside the page,
        # which a Content-Security-Policy without 'unsafe-eval' forbids.
        fn = wait_for if "=>" in wait_for else f"() => ({wait_for})"
        page.wait_for_function(fn, timeout=timeout_ms)
    return page, log.console_errors, log.requests
