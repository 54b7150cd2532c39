"""The notebooks run top to bottom with a real kernel and show what they promise."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def execute(name: str) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    return nb


def outputs(nb, mime: str) -> list[str]:
    return [
        o["data"][mime]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if mime in o.get("data", {})
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebook_runs(name):
    nb = execute(name)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    html = outputs(nb, "text/html")
    assert any("<iframe" in h and "srcdoc=" in h for h in html), "the map shows inline"
    assert len(outputs(nb, "image/png")) >= 2, "charts show inline"


def test_quickstart_tables():
    nb = execute("quickstart.ipynb")
    html = outputs(nb, "text/html")
    assert html[0].startswith("<b>Dataset sample</b>: 3 accounts")
    assert "influence" in html[1] and "<table" in html[1]
