"""A small WebDriver BiDi client for Debian's Firefox ESR, with the network cut off.

Playwright drives only its own patched Firefox, which we never download; Firefox itself
speaks the W3C WebDriver BiDi protocol (https://w3c.github.io/webdriver-bidi/) over a
WebSocket when started with ``--remote-debugging-port``. :class:`Firefox` starts
``/usr/bin/firefox-esr`` headless in a throw-away profile whose proxy points at a closed
local port, subscribes to console entries and network requests, and offers the handful
of commands the map tests need: open a file, evaluate JavaScript, click, type.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import time
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

FIREFOX = Path("/usr/bin/firefox-esr")

# Every http(s) request goes to a proxy on a closed local port (9, "discard"), so it fails
# even if the page tried; the requests are also recorded from network events.
PREFS = """\
user_pref("network.proxy.type", 1);
user_pref("network.proxy.http", "127.0.0.1");
user_pref("network.proxy.http_port", 9);
user_pref("network.proxy.ssl", "127.0.0.1");
user_pref("network.proxy.ssl_port", 9);
user_pref("network.proxy.no_proxies_on", "");
user_pref("network.proxy.allow_hijacking_localhost", true);
user_pref("app.update.enabled", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
"""


class BiDiError(RuntimeError):
    """A WebDriver BiDi command failed."""


class Firefox:
    """Headless Firefox ESR under WebDriver BiDi; use as a context manager."""

    def __init__(self, exe: Path = FIREFOX, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._dir = tempfile.TemporaryDirectory(prefix="influence-firefox-")
        profile = Path(self._dir.name, "profile")
        profile.mkdir()
        (profile / "user.js").write_text(PREFS, encoding="utf-8")
        self._stderr = Path(self._dir.name, "stderr.txt")
        with open(self._stderr, "wb") as err:
            self._proc = subprocess.Popen(
                [str(exe), "--headless", "--no-remote", "--remote-debugging-port=0",
                 "--profile", str(profile), "--window-size=1280,800"],
                stdout=subprocess.DEVNULL, stderr=err,
            )  # fmt: skip
        self._stack = ExitStack()
        self._ws: ClientConnection = self._stack.enter_context(
            connect(self._endpoint() + "/session", max_size=None)
        )
        self._id = 0
        #: Console entries of level ``error`` (page errors included) and outside requests.
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        self.command("session.new", {"capabilities": {}})
        self.command(
            "session.subscribe", {"events": ["log.entryAdded", "network.beforeRequestSent"]}
        )
        tree = self.command("browsingContext.getTree", {})
        self.context = tree["contexts"][0]["context"]

    def _endpoint(self) -> str:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            text = self._stderr.read_text(encoding="utf-8", errors="replace")
            m = re.search(r"WebDriver BiDi listening on (ws://\S+)", text)
            if m:
                return m.group(1)
            if self._proc.poll() is not None:
                break
            time.sleep(0.1)
        self.close()
        raise BiDiError(f"Firefox did not start WebDriver BiDi:\n{text[-2000:]}")

    def _event(self, msg: dict[str, Any]) -> None:
        p = msg.get("params", {})
        if msg.get("method") == "log.entryAdded" and p.get("level") == "error":
            self.console_errors.append(str(p.get("text")))
        elif msg.get("method") == "network.beforeRequestSent":
            url = p.get("request", {}).get("url", "")
            if url.startswith(("http://", "https://", "ws://", "wss://")):
                self.requests.append(url)

    def command(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Send one command and return its result, recording the events that arrive."""
        self._id += 1
        self._ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self._ws.recv(timeout=self.timeout))
            if msg.get("id") == self._id:
                if msg.get("type") == "error":
                    raise BiDiError(f"{method}: {msg.get('error')}: {msg.get('message')}")
                return msg["result"]
            self._event(msg)

    def open(self, path: str | Path, wait_for: str | None = None) -> None:
        """Load a local file and wait until the JavaScript ``wait_for`` is true."""
        self.console_errors.clear()
        self.requests.clear()
        url = Path(path).resolve().as_uri()
        self.command(
            "browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"}
        )
        if wait_for:
            self.wait_until(wait_for)

    def wait_until(self, expression: str) -> None:
        """Poll until the JavaScript ``expression`` is true; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + self.timeout
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise BiDiError(f"timed out waiting for {expression}")
            time.sleep(0.1)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page, as plain Python data."""
        r = self.command(
            "script.evaluate",
            {"expression": expression, "target": {"context": self.context},
             "awaitPromise": True, "serializationOptions": {"maxObjectDepth": 4}},
        )  # fmt: skip
        if r.get("type") == "exception":
            raise BiDiError(r["exceptionDetails"]["text"])
        return _plain(r["result"])

    def click(self, x: float, y: float) -> None:
        """A real left click at viewport coordinates."""
        pointer = [
            {"type": "pointerMove", "x": round(x), "y": round(y)},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerUp", "button": 0},
        ]
        self._actions([{"type": "pointer", "id": "mouse", "actions": pointer}])

    def click_element(self, selector: str) -> None:
        x, y = self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        self.click(x, y)

    def type(self, text: str) -> None:
        """Type ``text`` key by key into the focused element (``\\ue007`` is Enter)."""
        keys = []
        for ch in text:
            keys += [{"type": "keyDown", "value": ch}, {"type": "keyUp", "value": ch}]
        self._actions([{"type": "key", "id": "keyboard", "actions": keys}])

    def _actions(self, actions: list[dict[str, Any]]) -> None:
        self.command("input.performActions", {"context": self.context, "actions": actions})
        self.command("input.releaseActions", {"context": self.context})

    def close(self) -> None:
        try:
            if getattr(self, "_ws", None) is not None:
                with suppress(Exception):  # the browser may already be gone
                    self.command("session.end", {})
                self._stack.close()
        finally:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._dir.cleanup()

    def __enter__(self) -> Firefox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _plain(v: dict[str, Any]) -> Any:
    """A BiDi remote value as Python data (arrays, objects, primitives)."""
    t = v.get("type")
    if t in ("undefined", "null"):
        return None
    if t == "array":
        return [_plain(x) for x in v.get("value", [])]
    if t == "object":
        return {k if isinstance(k, str) else _plain(k): _plain(x) for k, x in v.get("value", [])}
    return v.get("value")
