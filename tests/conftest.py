"""Browser fixtures shared by the browser tests (maps, reports, index).

The ``browser`` fixture runs Debian's Chromium (``/usr/bin/chromium``) through
Playwright; the ``firefox`` fixture runs Debian's Firefox ESR (``/usr/bin/firefox-esr``)
through WebDriver BiDi (``tests/firefox.py``). Neither ever downloads a browser: where one
is missing it is installed with apt when running as root; otherwise the test fails with
a message saying what to do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
APT_LOCK_TIMEOUT = 600  # seconds apt-get waits for the dpkg lock held by another process
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _ensure(exe: Path, package: str) -> Path:
    """``exe``, installing Debian's ``package`` with apt-get first if it is missing."""
    if exe.exists():
        return exe
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        # Wait (up to 10 minutes) for another apt/dpkg process to release its lock
        # instead of failing at once: fresh machines often run unattended upgrades.
        wait = ["-o", f"DPkg::Lock::Timeout={APT_LOCK_TIMEOUT}"]
        subprocess.run(["apt-get", *wait, "update"], check=True, env=env)
        subprocess.run(["apt-get", *wait, "install", "-y", package], check=True, env=env)
        if exe.exists():
            return exe
    pytest.fail(
        f"{exe} not found: the browser tests need Debian's {package} "
        f"(run `sudo apt-get install -y {package}`); they never download a browser.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium (Playwright sync API) shared by the whole test session."""
    exe = _ensure(CHROMIUM, "chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependency
        pytest.fail("playwright is not installed: pip install -e '.[dev]'", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(exe), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def firefox() -> Iterator[Any]:
    """A headless Firefox ESR (WebDriver BiDi, network cut off) for the whole session."""
    from firefox import FIREFOX, Firefox

    with Firefox(_ensure(FIREFOX, "firefox-esr")) as ff:
        yield ff
