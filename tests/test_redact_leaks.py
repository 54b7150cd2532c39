"""Redaction that holds: a hostile dataset, every output file scanned (issue #11, #15.8).

The dataset hides names where 0.1.0 missed them: decomposed Unicode, capitals, double
spaces, first or last names alone in subjects, titles, departments and other columns,
ids made of names (``juergen.mueller``, ``owner:Bartholomew Okonkwo-Reyes``), an e-mail
local part in a subject, quoted cells in data-quality findings, account names. Every
output file (its path and its bytes, after NFKC normalisation and case folding, with
HTML entities, JSON escapes and URL escapes decoded, with and without accents) must
hold none of them. Pseudonyms are checked by their properties, not by the function
that makes them.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from datasets import write_tables

import influence
from influence.cli import main
from influence.io.tables import validate
from influence.redact import redact

ACME, OTHER = "Zephyrine Logistics", "Quillfeather Bank"
NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731

PEOPLE = [
    {"id": "juergen.mueller", "name": "Jürgen Müller", "account": ACME, "title": "Head of IT",
     "department": "Team Ólafur", "stance": "champion", "notes": "ask Søren"},
    {"id": "soren-kierkegaard", "name": "Søren Kierkegaard", "account": ACME,
     "title": "CFO, deputy of JÜRGEN MÜLLER", "reports_to": "juergen.mueller",
     "stance": "skeptic"},
    {"id": "olafur", "name": "Ólafur Arnalds", "account": ACME, "department": "Ólafur's team",
     "reports_to": "J. Müller"},
    {"id": "xq", "name": "Xochitl Quispe", "account": ACME, "stance": "ask Søren",
     "buying_role": "Ólafur"},
    {"id": "rep-wilhelmina", "name": "Wilhelmina Zhou", "account": "", "internal": "true"},
    {"id": "owner:Bartholomew Okonkwo-Reyes", "name": "Bartholomew Okonkwo-Reyes",
     "account": "", "internal": "true"},
    {"id": "p7", "name": "Thaddeus Vankirk", "account": OTHER, "title": "COO",
     "stance": "supporter"},
    {"id": "p8", "name": "Ifeoma Adeyemi-Lindqvist", "account": OTHER, "title": "1:1 Thaddeus"},
]  # fmt: skip
RELATIONSHIPS = [
    {"source": "juergen.mueller", "target": "soren-kierkegaard", "type": "advises"},
    {"source": "olafur", "target": "xq", "type": "peer"},
    {"source": "rep-wilhelmina", "target": "juergen.mueller", "type": "peer"},
    {"source": "owner:Bartholomew Okonkwo-Reyes", "target": "olafur", "type": "peer"},
    {"source": "soren-kierkegaard", "target": "soren.kierkegaard.old", "type": "peer"},
    {"source": "p7", "target": "p8", "type": "peer"},
    {"source": "rep-wilhelmina", "target": "p7", "type": "peer"},
]
SUBJECTS = [
    "1:1 Wilhelmina / Xochitl",
    NFD("Sync with Jürgen Müller"),
    "JÜRGEN MÜLLER review",
    "Søren  Kierkegaard intro",
    "ping juergen.mueller about Zephyrine Logistics",
    "Call with owner:Bartholomew Okonkwo-Reyes",
    "Team Ólafur kickoff",
    "TeamÓlafur offsite",
]

#: What must not survive, by case of the issue (each a list of strings searched for).
CASES = {
    "decomposed, capitals, double space": ["jürgen", "müller", "søren", "kierkegaard"],
    "first or last names alone": [
        "ólafur",
        "wilhelmina",
        "xochitl",
        "thaddeus",
        "quispe",
        "arnalds",
        "zhou",
        "vankirk",
        "ifeoma",
        "adeyemi",
        "lindqvist",
    ],  # fmt: skip
    "ids made of names": [
        "juergen.mueller",
        "soren-kierkegaard",
        "rep-wilhelmina",
        "soren.kierkegaard.old",
    ],  # fmt: skip
    "hubspot owner ids": ["owner:bartholomew okonkwo-reyes", "bartholomew", "okonkwo", "reyes"],
    "e-mail local part in free text": ["juergen", "mueller"],
    "account names": ["zephyrine", "quillfeather"],
}


def hostile(folder: Path) -> Path:
    events, parts = [], []
    for i, subject in enumerate(SUBJECTS):
        events.append({"id": f"e{i}", "date": f"2026-0{1 + i}-1{i}", "type": "meeting",
                       "subject": subject})  # fmt: skip
        who = ["rep-wilhelmina", "juergen.mueller", "soren-kierkegaard", "xq"]
        if i % 2:
            who = ["owner:Bartholomew Okonkwo-Reyes", "olafur", "juergen.mueller"]
        parts += [{"event_id": f"e{i}", "person_id": p} for p in who]
    events.append({"id": "e-thaddeus", "date": "2026-02-02", "type": "call",
                   "subject": "Thaddeus and Ifeoma"})  # fmt: skip
    parts += [{"event_id": "e-thaddeus", "person_id": p} for p in ("p7", "p8", "rep-wilhelmina")]
    return write_tables(folder, people=PEOPLE, relationships=RELATIONSHIPS, events=events,
                        participants=parts)  # fmt: skip


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _bare(text: str) -> str:
    """Without accents (and ø as o), so that "Muller" and "Soren" count as leaks too."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).replace("ø", "o")


def readable(data: bytes) -> str:
    """Bytes as a reader or a parser would see them: escapes decoded, NFKC, case-folded."""
    text = data.decode("utf-8", errors="replace")
    # Embedded images (base64) are pixels, not text: random letters that match by chance.
    text = re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "data:image", text)
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(html.unescape(text))
    return _fold(urllib.parse.unquote(text))


def leaks(texts: dict[str, str], secrets: list[str]) -> list[tuple[str, str]]:
    found = []
    for where, text in texts.items():
        bare = _bare(text)
        for s in secrets:
            if _fold(s) in text or _bare(_fold(s)) in bare:
                found.append((where, s))
    return found


def outputs(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``: its path, and its bytes made readable."""
    found = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        found[rel] = (
            readable(rel.encode()) + "\n" + (readable(p.read_bytes()) if p.is_file() else "")
        )
    return found


def analyze(folder: Path, out: Path, *flags: str) -> Path:
    assert main(["analyze", str(folder), "--out", str(out), "--quiet", "--jobs", "1",
                 *flags]) == 0  # fmt: skip
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    # The input's own name holds an account name too (it reaches run.json).
    return hostile(tmp_path_factory.mktemp("hostile") / "zephyrine-export")


@pytest.fixture(scope="module")
def runs(data, tmp_path_factory) -> dict[str, Path]:
    """The hostile dataset analysed with every map and report drawn: numbered and keyed."""
    base = tmp_path_factory.mktemp("runs")
    return {
        "numbered": analyze(data, base / "numbered", "--redact", "--maps", "-1"),
        "keyed": analyze(data, base / "keyed", "--redact-key", "k1", "--maps", "-1"),
    }


def test_the_hostile_dataset_leaks_without_redaction(data, tmp_path):
    """The scan finds every secret when nothing is redacted (so it can fail)."""
    found = outputs(analyze(data, tmp_path / "plain", "--maps", "-1"))
    everything = [s for secrets in CASES.values() for s in secrets]
    leaked = {s for _, s in leaks(found, everything)}
    assert leaked == set(everything)


@pytest.mark.parametrize("mode", ["numbered", "keyed"])
@pytest.mark.parametrize("case", list(CASES))
def test_no_secret_in_any_output(runs, mode, case):
    found = outputs(runs[mode])
    kinds = {Path(f).suffix for f in found}
    assert kinds >= {".csv", ".html", ".json", ".gexf", ".graphml", ".svg", ".png"}
    assert leaks(found, CASES[case]) == []


def test_quoted_cells_in_findings_are_scrubbed(runs):
    dq = pd.read_csv(runs["numbered"] / "data_quality.csv", keep_default_na=False)
    messages = dict(zip(dq["column"], dq["message"]))
    # The findings are still there and still say what is wrong, without the value.
    assert messages["reports_to"] == "reports_to '[id]' is not a known person id; ignored"
    assert messages["stance"] == "unknown stance 'ask [name]'; left unknown"
    assert messages["buying_role"] == "unknown buying role '[name]'; kept as 'Other'"
    assert messages["target"] == "unknown person id '[id]'; the row is skipped"


def test_free_text_keeps_its_words():
    """Names go; the rest of the text and common words stay (hand-written expectations)."""
    raw = pd.DataFrame(PEOPLE)
    raw["_file"], raw["_row"] = "people.csv", range(2, len(PEOPLE) + 2)
    events = pd.DataFrame({"id": [f"e{i}" for i in range(len(SUBJECTS))],
                           "date": "2026-01-01", "type": "meeting", "subject": SUBJECTS,
                           "_file": "events.csv", "_row": range(2, len(SUBJECTS) + 2)})  # fmt: skip
    t = validate(raw, None, events)
    r = redact(t)
    name = dict(zip(t.people["id"], r.people["name"]))  # rows keep their order
    new_id = dict(zip(t.people["id"], r.people["id"]))
    account = dict(zip(t.people["account"], r.people["account"]))
    assert r.events["subject"].tolist() == [
        "1:1 [name] / [name]",
        f"Sync with {name['juergen.mueller']}",
        f"{name['juergen.mueller']} review",
        f"{name['soren-kierkegaard']} intro",
        f"ping {new_id['juergen.mueller']} about {account[ACME]}",
        f"Call with {new_id['owner:Bartholomew Okonkwo-Reyes']}",
        "Team [name] kickoff",
        "[name] offsite",
    ]
    people = r.people.set_index(r.people["id"].map({v: k for k, v in new_id.items()}))
    assert people.at["soren-kierkegaard", "title"] == f"CFO, deputy of {name['juergen.mueller']}"
    assert people.at["juergen.mueller", "department"] == "Team [name]"
    assert people.at["juergen.mueller", "notes"] == "ask [name]"
    assert people.at["juergen.mueller", "title"] == "Head of IT"
    assert people.at["p8", "title"] == "1:1 [name]"


def _graph_names(folder: Path) -> dict[str, str]:
    g = nx.read_graphml(folder / "graph.graphml")
    return {n: d.get("name", d.get("label")) for n, d in g.nodes(data=True)}


def test_same_person_same_pseudonym_in_every_file(runs):
    for mode, out in runs.items():
        summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
        for row in summary.itertuples():
            folder = out / row.slug
            inf = pd.read_csv(folder / "influencers.csv", keep_default_na=False)
            names = dict(zip(inf["id"], inf["name"]))
            assert len(set(names.values())) == len(names), mode  # one pseudonym per person
            assert names[inf.loc[inf["rank"] == "1", "id"].iat[0]] == row.top_influencer
            graphml = _graph_names(folder)
            assert {k: graphml[k] for k in graphml if k in names} == {
                k: names[k] for k in graphml if k in names}  # fmt: skip
            assert set(graphml) <= set(names)
            data = json.loads((folder / "graph.json").read_text(encoding="utf-8"))
            nodes = {n["id"]: n.get("name", n.get("label")) for n in data["nodes"]}
            assert nodes == {k: names[k] for k in nodes}
            gexf = ET.parse(folder / "graph.gexf").getroot()
            labels = {n.get("id"): n.get("label") for n in gexf.iter() if n.tag.endswith("node")}
            assert labels == {k: names[k] for k in labels}
            page = (folder / "map.html").read_text(encoding="utf-8")
            for pid in nodes:
                assert json.dumps(pid) in page and names[pid] in page
            assert row.account.startswith("Account ")


def _mapping(out: Path) -> tuple[set[str], dict[str, str]]:
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
    names = {}
    for slug in summary["slug"]:
        inf = pd.read_csv(out / slug / "influencers.csv", keep_default_na=False)
        names.update(zip(inf["id"], inf["name"]))
    return set(summary["slug"]) | set(summary["account"]), names


def test_keyed_pseudonyms_repeat_per_key_and_differ_between_keys(runs, data, tmp_path):
    again = analyze(data, tmp_path / "again", "--redact-key", "k1", "--maps", "0")
    other = analyze(data, tmp_path / "other", "--redact-key", "k2", "--maps", "0")
    accounts, names = _mapping(runs["keyed"])
    assert _mapping(again) == (accounts, names)
    other_accounts, other_names = _mapping(other)
    assert not accounts & other_accounts
    assert not set(names) & set(other_names) and not set(names.values()) & set(other_names.values())
    numbered_accounts, numbered_names = _mapping(runs["numbered"])
    assert not accounts & numbered_accounts and not set(names) & set(numbered_names)
    for slug in accounts:
        assert not slug.startswith("account-") or re.fullmatch(r"account-[0-9a-f]{10}", slug)


def test_account_folders_do_not_depend_on_the_selection(runs, data, tmp_path):
    """#15.8: folder names come from the pseudonyms, the same with ``--accounts``."""
    summary = pd.read_csv(runs["keyed"] / "summary.csv", keep_default_na=False)
    full = dict(zip(summary["account"], summary["slug"]))
    one = summary["account"].iat[-1]
    out = analyze(data, tmp_path / "one", "--redact-key", "k1", "--accounts", one)
    assert [p.name for p in out.iterdir() if p.is_dir()] == [full[one]]
    assert leaks(outputs(out), [s for secrets in CASES.values() for s in secrets]) == []


def test_paths_output_is_redacted(runs, data, capsys):
    summary = pd.read_csv(runs["keyed"] / "summary.csv", keep_default_na=False)
    slug = summary.set_index("people")["slug"][4]  # Zephyrine Logistics
    inf = pd.read_csv(runs["keyed"] / slug / "influencers.csv", keep_default_na=False)
    names = dict(zip(inf["id"], inf["name"]))
    target = inf.loc[inf["rank"] == "1", "id"].iat[0]
    capsys.readouterr()
    assert main(["paths", str(data), "--to", target, "--redact-key", "k1"]) == 0
    printed = capsys.readouterr().out
    assert names[target] in printed and target in printed
    assert leaks({"stdout": readable(printed.encode())},
                 [s for secrets in CASES.values() for s in secrets]) == []  # fmt: skip


def test_dataset_api_is_redacted_too(data):
    ds = influence.load(data, redact="k1")
    assert not {ACME, OTHER} & set(ds.accounts)
    acct = ds.account(ds.accounts[-1])
    found = {"influencers": readable(acct.influencers().to_csv().encode())}
    assert leaks(found, [s for secrets in CASES.values() for s in secrets]) == []


def test_diff_of_two_datasets_needs_a_key(data, tmp_path, capsys):
    """Numbered pseudonyms depend on each dataset's people, so two datasets can only be
    compared with keyed ones; with a key the comparison works and stays redacted."""
    later = hostile(tmp_path / "later")
    assert main(["diff", str(data), str(later), "--out", str(tmp_path / "d1"), "--redact"]) == 2
    assert "--redact-key" in capsys.readouterr().err
    assert not (tmp_path / "d1").exists()
    out = tmp_path / "d2"
    assert main(["diff", str(data), str(later), "--out", str(out), "--redact-key", "k1"]) == 0
    changes = pd.read_csv(out / "changes.csv", keep_default_na=False)
    assert not {"new", "departed"} & set(changes["change"])  # the same people, matched
    assert leaks(outputs(out), [s for secrets in CASES.values() for s in secrets]) == []


def test_hubspot_owner_ids_and_names(tmp_path):
    """A real HubSpot export: owners become ``owner:<name>`` ids; none of it survives."""
    from test_hubspot import write

    out = analyze(write(tmp_path / "hubspot"), tmp_path / "out", "--redact", "--maps", "-1")
    # ("alice" alone is in the map's colour names: "aliceblue")
    secrets = ["owner:alice", "alice archer", "archer", "baker", "jürgen", "müller", "josé",
               "garcía", "acme"]  # fmt: skip
    assert leaks(outputs(out), secrets) == []
    inf = pd.read_csv(next(out.glob("account-*/influencers.csv")), keep_default_na=False)
    assert inf["id"].str.fullmatch(r"person-\d").all()
