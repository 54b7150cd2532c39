"""The public API of ``influence.analysis`` and ``influence.graph`` is declared and documented.

Every module defines ``__all__``; it lists every public (not ``_``-prefixed) function and
class the module defines, and may list public constants. Each function and class has a
numpydoc docstring (networkx style), and so has each public method of such a class,
with ``Parameters`` (if it takes any), ``Returns``
(``Yields`` for a generator, ``Attributes`` for a class) and an ``Examples`` section
holding a doctest, which ``make test`` runs
(``--doctest-modules``); each constant has a ``#:`` documentation comment above it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re

import pytest

import influence.analysis
import influence.graph

MODULES = sorted(
    f"{pkg.__name__}.{m.name}"
    for pkg in (influence.analysis, influence.graph)
    for m in pkgutil.iter_modules(pkg.__path__)
)


def sections(doc: str) -> set[str]:
    """numpydoc section titles: a line of text underlined by dashes of the same length."""
    lines = inspect.cleandoc(doc).splitlines()
    return {
        a.strip()
        for a, b in zip(lines, lines[1:])
        if a.strip() and re.fullmatch(r"-+", b.strip()) and len(b.strip()) == len(a.strip())
    }


def test_modules_are_found():
    assert "influence.analysis.centrality" in MODULES and "influence.graph.ties" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_module_declares_its_public_api(name):
    mod = importlib.import_module(name)
    assert isinstance(getattr(mod, "__all__", None), list), f"{name} has no __all__"
    defined = {
        n
        for n, obj in vars(mod).items()
        if not n.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and obj.__module__ == name
    }
    assert sorted(defined - set(mod.__all__)) == [], f"{name}: public but not in __all__"
    assert len(set(mod.__all__)) == len(mod.__all__), name
    for n in set(mod.__all__) - defined:
        obj = getattr(mod, n)  # a name in __all__ must exist; no function or class of
        assert not inspect.isfunction(obj) and not inspect.isclass(obj), f"{name}.{n}"  # another


def constant_comments(mod) -> dict[str, bool]:
    """Whether each module-level assignment has a ``#:`` comment on the line above it."""
    source = inspect.getsource(mod)
    lines = source.splitlines()
    out = {}
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for t in targets:
            if isinstance(t, ast.Name):
                above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                out[t.id] = above.startswith("#:")
    return out


@pytest.mark.parametrize("name", MODULES)
def test_public_names_have_numpydoc_docstrings(name):
    mod = importlib.import_module(name)
    bad = []
    comments = constant_comments(mod)
    documented = []
    for n in mod.__all__:
        obj = getattr(mod, n)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            if comments.get(n) is False:  # (one imported from defaults is documented there)
                bad.append(f"{n}: a constant without a #: comment")
            continue
        documented.append((n, obj))
        if inspect.isclass(obj):  # and its public methods
            documented += [
                (f"{n}.{m}", f)
                for m, f in vars(obj).items()
                if not m.startswith("_") and inspect.isfunction(f)
            ]
    for n, obj in documented:
        doc = obj.__doc__ or ""
        have = sections(doc)
        need = {"Examples"}
        params = [p for p in inspect.signature(obj).parameters if p != "self"]
        if params:
            need.add("Parameters")
        if inspect.isclass(obj):
            need.add("Attributes")
        elif "Yields" not in have:  # a generator (context manager) yields instead
            need.add("Returns")
        missing = need - have
        examples = doc.split("Examples", 1)[-1]
        if missing or ">>>" not in examples:
            bad.append(f"{n}: missing {sorted(missing) or 'a doctest'}")
    assert not bad, f"{name}: {bad}"


def test_sections_are_read_as_numpydoc():
    doc = """One line.

    Parameters
    ----------
    x : int

    Returns
    -------
    int

    Notes
    ---
    """
    assert sections(doc) == {"Parameters", "Returns"}
