"""Warm paths: the strongest chain is the product of tie strengths, not the fewest hops."""

import pytest
from datasets import write_tables

import influence
from influence.cli import main


@pytest.fixture
def chain(tmp_path):
    return write_tables(
        tmp_path / "chain",
        people=[
            {"id": "us", "name": "Our AE", "internal": "true"},
            {"id": "se", "name": "Our SE", "internal": "true"},
            {"id": "a", "name": "Alice", "account": "Acme"},
            {"id": "b", "name": "Bruno", "account": "Acme"},
            {"id": "t", "name": "Tara Target", "account": "Acme"},
            {"id": "m", "name": "Mo", "account": "Acme"},
        ],
        relationships=[
            {"source": "us", "target": "t", "type": "peer", "strength": "0.2"},
            {"source": "us", "target": "a", "type": "friend", "strength": "0.9"},
            {"source": "a", "target": "b", "type": "peer", "strength": "0.8"},
            {"source": "b", "target": "t", "type": "ally", "strength": "0.9"},
            {"source": "se", "target": "m", "type": "peer", "strength": "0.5"},
            {"source": "m", "target": "t", "type": "peer", "strength": "0.5"},
        ],
    )


def test_strongest_chain_is_not_the_shortest(chain):
    acct = influence.load(chain).account("Acme")
    p = acct.paths("us", "t", k=3)
    assert p["path"].tolist()[:2] == [["us", "a", "b", "t"], ["us", "t"]]
    assert p["strength"].tolist()[:2] == pytest.approx([0.9 * 0.8 * 0.9, 0.2])
    assert p["hops"].tolist()[:2] == [3, 1]
    assert p["hop_strengths"][0] == pytest.approx([0.9, 0.8, 0.9])
    assert p["path_names"][0] == ["Our AE", "Alice", "Bruno", "Tara Target"]
    assert p["hop_labels"][0] == ["friend", "peer", "ally"]


def test_from_whole_team(chain):
    acct = influence.load(chain).account("Acme")
    p = acct.paths(None, "t", k=3)
    assert p["path"].tolist() == [["us", "a", "b", "t"], ["se", "m", "t"], ["us", "t"]]
    assert p["strength"].tolist() == pytest.approx([0.648, 0.25, 0.2])
    assert list(p["rank"]) == [1, 2, 3]


def test_paths_cli(chain, capsys):
    assert main(["paths", str(chain), "--from", "us", "--to", "t", "-k", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1. strength 0.648, 3 hops"
    assert out[1].split() == ["Our", "AE", "(us)", "->", "Alice", "(a)", "0.900", "[friend]"]
    assert out[4] == "2. strength 0.200, 1 hops"


def test_paths_unknown_person(chain, capsys):
    assert main(["paths", str(chain), "--to", "nobody"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"influence: error: {chain}: no person with id 'nobody'"
