"""HTML pages that are safe with untrusted text: templates, escaping, inlined assets, CSP.

CRM text is untrusted: every value a page's script reads travels as JSON inside
``<script type="application/json">`` (:func:`json_for_script`: ``<``, ``>``, ``&``,
U+2028 and U+2029 escaped), templates autoescape, inlined scripts and styles are checked
not to close their element (:func:`script_safe`, :func:`style_safe`), and each page
carries a Content-Security-Policy that forbids loading anything.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jinja2

__all__ = [
    "TEMPLATES",
    "MAP_CSP",
    "json_for_script",
    "vis_assets",
    "environment",
    "map_environment",
    "script_safe",
    "style_safe",
]

#: The page templates, scripts and styles.
TEMPLATES = Path(__file__).parent / "templates"

#: Content-Security-Policy of the map: inline script and style only, nothing external.
MAP_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def json_for_script(value: object) -> str:
    """Stable JSON that is safe inside ``<script type="application/json">``.

    >>> json_for_script({"b": "</script>&", "a": "\\u2028"})
    '{"a":"\\\\u2028","b":"\\\\u003c/script\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    for ch, esc in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


@cache
def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as bundled with the installed pyvis."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (
        (lib / "vis-network.min.js").read_text("utf-8"),
        (lib / "vis-network.css").read_text("utf-8"),
    )


@cache
def map_environment() -> jinja2.Environment:
    """The Jinja environment of the map page: autoescaping on, strict undefined."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def script_safe(js: str) -> str:
    """``js``, checked to be safe to inline in a ``<script>`` element."""
    low = js.lower()
    if "</script" in low or "<!--" in low:
        raise ValueError("inlined script contains '</script' or '<!--'")
    return js


def style_safe(css: str) -> str:
    """``css``, checked to be safe to inline in a ``<style>`` element."""
    if "</style" in css.lower():
        raise ValueError("inlined style contains '</style'")
    return css


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of the render layer: autoescaping on, strict undefined. One
    per process, so a template is compiled once (a report's took 30 ms to compile)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
