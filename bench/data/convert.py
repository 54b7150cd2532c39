"""Convert the public organizational networks of the validity harness to the canonical format.

Usage (from the repository root)::

    .venv/bin/python bench/data/convert.py RAW_DIR [OUT_DIR]

``RAW_DIR`` holds the files as published (sources and licences in ``bench/README.md``):

- ``enron-v1.csv``: Enron e-mail among 149 employees, one row per (message, recipient),
  columns ``date, fromId, fromEmail, fromJobtitle, toId, toEmail, toJobtitle,
  messageType, sentiment``;
- ``lazega.paj``: Lazega's law firm (Pajek project: advice, friendship and co-work arcs,
  ``status.clu`` partners 1 / associates 2, ``office.clu``, ``seniority.vec``);
- ``krack-Attributes.csv``, ``krack-edgelist-Advice.txt``,
  ``krack-edgelist-Friendship.txt``: Krackhardt's high-tech managers;
- ``hitech.zip`` (optional, the holdout): Krackhardt's hi-tech firm friendship network
  with the union partition (3 = top managers).

``OUT_DIR`` (default ``bench/data``) receives one canonical dataset folder per network.
The conversion makes one choice for every network, never per dataset:

- formal status goes to ``people.csv`` only (``title``, ``level``, and ``status`` = 1 for
  the senior group, 0 for the rest, empty if unknown); nothing the model reads
  (``reports_to``) is filled in, so the harness never gives the answer away;
- a *nomination* "i names j" (i asks j for advice, i names j a friend) is a directed
  relationship ``source=j, target=i`` (the person sought influences the seeker: the
  project's convention, see ``influence.graph.ties``) with strength 1; a symmetric
  relation (co-work) is undirected with strength 1;
- an e-mail is one event (``type=email``) with its sender (role ``sender``) and its
  recipients (``recipient`` for To, ``cc`` for Cc). A message is the set of rows with
  the same date, sender and sentiment score (the file has one row per recipient).
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pandas as pd

ENRON_LEVEL = {
    "CEO": 1,
    "President": 1,
    "Vice President": 2,
    "Managing Director": 2,
    "Director": 3,
    "Manager": 3,
    "In House Lawyer": 3,
    "Trader": 4,
    "Employee": 4,
}
#: Levels counted as senior (``status`` = 1) on the levels of Enron and Krackhardt:
#: executives (CEO, President, VP, MD), the CEO and vice presidents. Lazega: partners.
SENIOR_LEVEL = 2

PEOPLE = ["id", "name", "title", "department", "account", "level", "status", "internal"]
RELATIONSHIPS = ["source", "target", "type", "strength", "directed", "start", "end"]


def _write(out: Path, people: pd.DataFrame, rels=None, events=None, parts=None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    people[PEOPLE].to_csv(out / "people.csv", index=False, lineterminator="\n")
    if rels is not None:
        rels[RELATIONSHIPS].to_csv(out / "relationships.csv", index=False, lineterminator="\n")
    if events is not None:
        events.to_csv(out / "events.csv", index=False, lineterminator="\n")
        parts.to_csv(out / "participants.csv", index=False, lineterminator="\n")


def _status(level: pd.Series) -> pd.Series:
    return level.map(lambda v: "" if pd.isna(v) else int(v <= SENIOR_LEVEL))


def _nominations(pairs: list[tuple[str, str]], kind: str) -> pd.DataFrame:
    """Directed relationships for "i names j" pairs: source j (sought), target i."""
    return pd.DataFrame(
        {
            "source": [j for _, j in pairs],
            "target": [i for i, _ in pairs],
            "type": kind,
            "strength": 1.0,
            "directed": "true",
            "start": "",
            "end": "",
        }
    )


def _symmetric(pairs: list[tuple[str, str]], kind: str) -> pd.DataFrame:
    distinct = sorted({tuple(sorted(p)) for p in pairs if p[0] != p[1]})
    return pd.DataFrame(
        {
            "source": [a for a, _ in distinct],
            "target": [b for _, b in distinct],
            "type": kind,
            "strength": 1.0,
            "directed": "false",
            "start": "",
            "end": "",
        }
    )


def enron(raw: Path, out: Path) -> None:
    d = pd.read_csv(raw / "enron-v1.csv")
    who = pd.concat(
        [
            d[["fromId", "fromEmail", "fromJobtitle"]].set_axis(["n", "email", "title"], axis=1),
            d[["toId", "toEmail", "toJobtitle"]].set_axis(["n", "email", "title"], axis=1),
        ]
    ).drop_duplicates("n")
    who = who.sort_values("n")
    pid = {n: f"en-{n:03d}" for n in who["n"]}
    title = who["title"].where(who["title"] != "Unknown", "")
    level = title.map(ENRON_LEVEL)
    people = pd.DataFrame(
        {
            "id": who["n"].map(pid),
            "name": who["email"].str.split("@").str[0].str.replace(".", " ").str.title(),
            "title": title,
            "department": "",
            "account": "Enron",
            "level": level.map(lambda v: "" if pd.isna(v) else int(v)),
            "status": _status(level),
            "internal": "false",
        }
    )
    d = d.sort_values(["date", "fromId", "sentiment", "toId"], kind="stable")
    key = d[["date", "fromId", "sentiment"]].astype(str).agg("|".join, axis=1)
    msg = pd.factorize(key)[0]
    d = d.assign(msg=msg)
    first = d.drop_duplicates("msg")
    events = pd.DataFrame(
        {
            "id": first["msg"].map(lambda m: f"m-{m:05d}"),
            "date": first["date"],
            "type": "email",
            "subject": "",
            "account": "Enron",
        }
    )
    sender = pd.DataFrame(
        {
            "event_id": first["msg"].map(lambda m: f"m-{m:05d}"),
            "person_id": first["fromId"].map(pid),
            "role": "sender",
        }
    )
    rec = d[d["toId"] != d["fromId"]].drop_duplicates(["msg", "toId"])
    recipients = pd.DataFrame(
        {
            "event_id": rec["msg"].map(lambda m: f"m-{m:05d}"),
            "person_id": rec["toId"].map(pid),
            "role": rec["messageType"].map({"TO": "recipient", "CC": "cc"}),
        }
    )
    parts = pd.concat([sender, recipients]).sort_values(["event_id", "role"], kind="stable")
    parts = parts[parts["event_id"].isin(recipients["event_id"])]
    events = events[events["id"].isin(parts["event_id"])]
    _write(out / "enron", people, events=events, parts=parts)


def _pajek_sections(text: str) -> list[tuple[str, list[str]]]:
    """A Pajek project as ``(header, lines)`` sections, in file order."""
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("*"):
            sections.append((line, []))
        elif line and not line.startswith("%") and sections:
            sections[-1][1].append(line)
    return sections


def _after(sections: list, prefix: str) -> list[str]:
    """The lines of the ``*Vertices`` section that follows the section ``prefix``."""
    at = next(i for i, (k, _) in enumerate(sections) if k.lower().startswith(prefix))
    return sections[at + 1][1]


def _section(sections: list, prefix: str) -> list[str]:
    return next(v for k, v in sections if k.lower().startswith(prefix))


def lazega(raw: Path, out: Path) -> None:
    s = _pajek_sections((raw / "lazega.paj").read_text(encoding="latin-1"))
    status = [int(v) for v in _after(s, "*partition status")]
    office = [int(v) for v in _after(s, "*partition office")]
    n = len(status)
    ids = [f"lw-{i:02d}" for i in range(1, n + 1)]
    people = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Lawyer {i}" for i in range(1, n + 1)],
            "title": ["Partner" if v == 1 else "Associate" for v in status],
            "department": [{1: "Boston", 2: "Hartford", 3: "Providence"}[v] for v in office],
            "account": "Lazega law firm",
            "level": status,
            "status": [1 if v == 1 else 0 for v in status],
            "internal": "false",
        }
    )
    arcs: dict[int, list[tuple[str, str]]] = {1: [], 2: [], 3: []}
    for line in next(v for k, v in s if k.lower() == "*arcs"):
        m = re.match(r"(\d+):\s+(\d+)\s+(\d+)", line)
        if m:
            r, i, j = (int(x) for x in m.groups())
            arcs[r].append((ids[i - 1], ids[j - 1]))
    rels = pd.concat(
        [
            _nominations(arcs[1], "advises"),
            _nominations(arcs[2], "friend"),
            _symmetric(arcs[3], "cowork"),
        ],
        ignore_index=True,
    )
    _write(out / "lazega", people, rels=rels)


def _edgelist(path: Path, ids: list[str]) -> list[tuple[str, str]]:
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    return [(ids[int(a) - 1], ids[int(b) - 1]) for a, b, v in rows if int(v) == 1 and a != b]


def krackhardt(raw: Path, out: Path) -> None:
    attrs = pd.read_csv(raw / "krack-Attributes.csv")
    ids = [f"kr-{i:02d}" for i in attrs["ID"]]
    names = {1: "CEO", 2: "Vice President", 3: "Manager"}
    level = attrs["LEVEL"].astype(float)
    people = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Manager {i}" for i in attrs["ID"]],
            "title": attrs["LEVEL"].map(names),
            "department": attrs["DEPT"].map(lambda v: f"Department {v}" if v else ""),
            "account": "Krackhardt high-tech",
            "level": attrs["LEVEL"],
            "status": _status(level),
            "internal": "false",
        }
    )
    rels = pd.concat(
        [
            _nominations(_edgelist(raw / "krack-edgelist-Advice.txt", ids), "advises"),
            _nominations(_edgelist(raw / "krack-edgelist-Friendship.txt", ids), "friend"),
        ],
        ignore_index=True,
    )
    _write(out / "krackhardt", people, rels=rels)


def hitech(raw: Path, out: Path) -> None:
    """The holdout: never committed (see bench/README.md)."""
    with zipfile.ZipFile(raw / "hitech.zip") as z:
        s = _pajek_sections(z.read("Hi-tech.paj").decode("latin-1"))
    vertices = _section(s, "*vertices")
    names = [re.match(r'\d+\s+"([^"]+)"', line).group(1) for line in vertices]
    ids = [f"ht-{i:02d}" for i in range(1, len(names) + 1)]
    union = [int(v) for v in _after(s, "*partition hi-tech_union")]
    level = pd.Series([1.0 if v == 3 else 3.0 for v in union])
    people = pd.DataFrame(
        {
            "id": ids,
            "name": names,
            "title": ["Top manager" if v == 3 else "Employee" for v in union],
            "department": "",
            "account": "Hi-tech firm",
            "level": level.astype(int),
            "status": _status(level),
            "internal": "false",
        }
    )
    arcs = _section(s, "*arcs")
    pairs = [(ids[int(a) - 1], ids[int(b) - 1]) for a, b, *_ in (x.split() for x in arcs)]
    _write(out / "hitech", people, rels=_nominations(pairs, "friend"))


def main(argv: list[str]) -> None:
    raw = Path(argv[1])
    out = Path(argv[2]) if len(argv) > 2 else Path(__file__).parent
    enron(raw, out)
    lazega(raw, out)
    krackhardt(raw, out)
    if (raw / "hitech.zip").exists():
        hitech(raw, out)


if __name__ == "__main__":
    main(sys.argv)
