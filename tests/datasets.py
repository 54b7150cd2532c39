"""Building small datasets in the canonical CSV format for tests."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx


def write_tables(folder: Path, **tables: list[dict]) -> Path:
    """Write ``people=[{...}], relationships=[...], …`` as CSV files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        cols = list(dict.fromkeys(k for r in rows for k in r))
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, cols)
            w.writeheader()
            w.writerows(rows)
    return folder


def graph_dataset(folder: Path, g: nx.Graph, rel_type: str = "peer") -> Path:
    """A dataset whose only ties are ``g``'s edges as undirected unit-strength relationships."""
    people = [{"id": str(v), "name": f"Person {v}"} for v in g]
    rels = [{"source": str(a), "target": str(b), "type": rel_type} for a, b in g.edges()]
    return write_tables(folder, people=people, relationships=rels)
