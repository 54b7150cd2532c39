"""Packaging metadata matches the tree: every package-data pattern names real files."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_package_data_patterns_match_files():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = meta["tool"]["setuptools"]["package-data"]
    for package, patterns in data.items():
        base = ROOT / package.replace(".", "/")
        for pattern in patterns:
            assert list(base.glob(pattern)), f"package-data {package}:{pattern} matches no file"


def test_build_outputs_ignored():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "build/" in ignored
