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
- ``tnet.RData``: T. Opsahl's R package *tnet* (3.0.16) data, holding Cross & Parker's
  consulting firm (46 employees: information/advice frequency and perceived expertise,
  ``node.orglevel`` 1 research assistant ... 5 partner) and manufacturing research team
  (77 employees: information frequency and awareness of knowledge, ``node.orglevel``
  1 global department manager ... 4 researcher); read with the ``rdata`` package
  (``pip install rdata``), the only input that needs it;
- ``hitech.zip`` (optional, a holdout): Krackhardt's hi-tech firm friendship network
  with the union partition (3 = top managers);
- ``communication.csv`` and ``reportsto.csv`` (optional, a holdout): the e-mail of a
  manufacturing company (Michalski, Palus & Kazienko 2011; ``Sender;Recipient;EventDate``,
  one row per message and recipient) and its organizational chart (``ID, ReportsToID``,
  ``;`` or ``,`` separated; the root reports to itself, rows whose ``ReportsToID`` is not
  a number, e.g. technical or former accounts, are skipped).

``OUT_DIR`` (default ``bench/data``) receives one canonical dataset folder per network.
The conversion makes one choice for every network, never per dataset:

- formal status goes to ``people.csv`` only (``title``, ``level``, and ``status`` = 1 for
  the senior group, 0 for the rest, empty if unknown); nothing the model reads
  (``reports_to``) is filled in, so the harness never gives the answer away;
- ``level`` counts from the top (1 = the highest rank the data records) and the senior
  group is the top two levels (:data:`SENIOR_LEVEL`); a network with two ranks only
  (Lazega) has its higher one senior. Where status is an organizational chart, the
  level is the depth in it (the root 1, those reporting to it 2, ...); a person whose
  chain does not reach the root, or who is not in the chart, is of unknown status;
- a *nomination* "i names j" (i asks j for advice, i names j a friend) is a directed
  relationship ``source=j, target=i`` (the person sought influences the seeker: the
  project's convention, see ``influence.graph.ties``) with strength 1; a symmetric
  relation (co-work) is undirected with strength 1; every relation the data set
  publishes is converted;
- a *valued* nomination (a survey answer on a scale) is a nomination when the answer
  affirms the tie and none otherwise, still of strength 1: on a frequency scale any
  answer above "never" (or above "I do not know this person"), on an agreement scale
  any answer that agrees (above "neutral", or above "somewhat disagree" on a six-point
  scale);
- an e-mail is one event (``type=email``) with its sender (role ``sender``) and its
  recipients (``recipient`` for To, ``cc`` for Cc). A message is the set of rows with
  the same date, sender and sentiment score (the file has one row per recipient); in
  the manufacturing company's file (no To/Cc, no subject), likewise one row per
  recipient, a message is the set of rows with the same sender and time stamp, every
  recipient ``recipient``, dated by the day of the time stamp.
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
#: Levels counted as senior (``status`` = 1): the top two. Enron: executives (CEO,
#: President, VP, MD); Krackhardt: the CEO and vice presidents; Cross & Parker: partners
#: and managing consultants, global and local department managers; an organizational
#: chart: its root and those reporting to it. Lazega (two ranks): partners.
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


def _read_rdata(path: Path) -> dict:
    """The objects of an R data file (the ``rdata`` package, imported only here)."""
    import rdata

    return rdata.conversion.convert(rdata.parser.parse_file(path))


def _valued(edges: pd.DataFrame, ids: list[str], lowest: int) -> list[tuple[str, str]]:
    """``(i, j)`` pairs of the answers of ``edges`` (columns ``i, j, w``: respondent,
    person named, answer) that affirm the tie: ``w >= lowest``."""
    kept = edges[(edges["w"] >= lowest) & (edges["i"] != edges["j"])]
    return [(ids[int(i) - 1], ids[int(j) - 1]) for i, j in zip(kept["i"], kept["j"])]


#: Cross & Parker's consulting levels, 1 = partner (the data count up from 1 = research
#: assistant: the level here is 6 minus theirs).
CONSULTING_TITLES = {
    1: "Partner",
    2: "Managing Consultant",
    3: "Senior Consultant",
    4: "Junior Consultant",
    5: "Research Assistant",
}
MANUFACTURING_TITLES = {
    1: "Global Dept Manager",
    2: "Local Dept Manager",
    3: "Project Leader",
    4: "Researcher",
}


def _cross_parker_people(prefix, account, level, titles, department) -> pd.DataFrame:
    n = len(level)
    level = pd.Series(level, dtype=float)
    return pd.DataFrame(
        {
            "id": [f"{prefix}-{i:02d}" for i in range(1, n + 1)],
            "name": [f"Employee {i}" for i in range(1, n + 1)],
            "title": level.astype(int).map(titles),
            "department": department,
            "account": account,
            "level": level.astype(int),
            "status": _status(level),
            "internal": "false",
        }
    )


def cross_parker(raw: Path, out: Path) -> None:
    """Cross & Parker's consulting firm and manufacturing research team (tnet's data).

    Consulting, information/advice ("how often have you turned to this person"): 0 do
    not know, 1 never, 2 seldom ... 5 very often, a nomination from 2; expertise
    valued ("this person has expertise important to my work"): 1 strongly disagree,
    2 disagree, 3 neutral, 4 agree, 5 strongly agree, a nomination from 4.
    Manufacturing, information ("provides you with information you use"): 0 do not
    know, 1 very infrequently ... 6 very frequently, a nomination from 1; awareness ("I
    understand this person's knowledge and skills"): 1 strongly disagree ... 3 somewhat
    disagree, 4 somewhat agree ... 6 strongly agree, a nomination from 4.
    """
    d = _read_rdata(raw / "tnet.RData")
    c = "Cross.Parker.Consulting."
    org = [int(v) for v in d[c + "node.orglevel"]]
    location = {1: "Boston", 2: "London", 3: "Paris", 4: "Rome", 5: "Madrid", 6: "Oslo"}
    location[7] = "Copenhagen"
    people = _cross_parker_people(
        "cc",
        "Cross & Parker consulting",
        [6 - v for v in org],
        CONSULTING_TITLES,
        [location[int(v)] for v in d[c + "node.location"]],
    )
    ids = list(people["id"])
    rels = pd.concat(
        [
            _nominations(_valued(d[c + "net.info"], ids, 2), "advises"),
            _nominations(_valued(d[c + "net.value"], ids, 4), "expertise"),
        ],
        ignore_index=True,
    )
    _write(out / "consulting", people, rels=rels)

    m = "Cross.Parker.Manufacturing."
    location = {1: "Paris", 2: "Frankfurt", 3: "Warsaw", 4: "Geneva"}
    people = _cross_parker_people(
        "cm",
        "Cross & Parker manufacturing",
        [int(v) for v in d[m + "node.orglevel"]],
        MANUFACTURING_TITLES,
        [location[int(v)] for v in d[m + "node.location"]],
    )
    ids = list(people["id"])
    rels = pd.concat(
        [
            _nominations(_valued(d[m + "net.info"], ids, 1), "advises"),
            _nominations(_valued(d[m + "net.aware"], ids, 4), "aware"),
        ],
        ignore_index=True,
    )
    _write(out / "manufacturing", people, rels=rels)


def _chart_levels(chart: pd.DataFrame) -> dict[int, int]:
    """Depth of every person of an organizational chart (``ID, ReportsToID``; the root
    reports to itself): root 1, its reports 2, ...; people whose chain does not reach
    the root are left out."""
    boss = dict(zip(chart["ID"], chart["ReportsToID"]))
    roots = {p for p, b in boss.items() if p == b}
    levels = {}
    for p in boss:
        seen, q = [], p
        while q in boss and q not in roots and q not in seen:
            seen.append(q)
            q = boss[q]
        if q in roots:
            levels[p] = len(seen) + 1
    return levels


def manufacturing_email(raw: Path, out: Path) -> None:
    """A holdout: the e-mail of a manufacturing company and its chart (never committed)."""
    mail = pd.read_csv(raw / "communication.csv", sep=";")
    mail.columns = ["sender", "recipient", "time"]
    chart = pd.read_csv(raw / "reportsto.csv", sep=None, engine="python", dtype=str)
    chart.columns = [c.strip() for c in chart.columns]
    chart = chart[chart["ReportsToID"].str.strip().str.fullmatch(r"\d+")]
    chart = chart.astype(int)
    levels = _chart_levels(chart)
    n = sorted(set(mail["sender"]) | set(mail["recipient"]) | set(chart["ID"]))
    pid = {v: f"me-{v:03d}" for v in n}
    level = pd.Series([levels.get(v) for v in n], dtype=float)
    people = pd.DataFrame(
        {
            "id": [pid[v] for v in n],
            "name": [f"Employee {v}" for v in n],
            "title": level.map(lambda v: "" if pd.isna(v) else f"Chart level {int(v)}"),
            "department": "",
            "account": "Manufacturing company",
            "level": level.map(lambda v: "" if pd.isna(v) else int(v)),
            "status": _status(level),
            "internal": "false",
        }
    )
    mail = mail.sort_values(["time", "sender", "recipient"], kind="stable")
    msg = pd.factorize(mail["sender"].astype(str) + "|" + mail["time"])[0]
    mail = mail.assign(msg=msg)
    first = mail.drop_duplicates("msg")
    eid = first["msg"].map(lambda m: f"m-{m:05d}")
    events = pd.DataFrame(
        {
            "id": eid,
            "date": first["time"].str[:10],
            "type": "email",
            "subject": "",
            "account": "Manufacturing company",
        }
    )
    sender = pd.DataFrame({"event_id": eid, "person_id": first["sender"].map(pid)})
    sender["role"] = "sender"
    rec = mail[mail["recipient"] != mail["sender"]].drop_duplicates(["msg", "recipient"])
    recipients = pd.DataFrame(
        {
            "event_id": rec["msg"].map(lambda m: f"m-{m:05d}"),
            "person_id": rec["recipient"].map(pid),
            "role": "recipient",
        }
    )
    parts = pd.concat([sender, recipients]).sort_values(["event_id", "role"], kind="stable")
    parts = parts[parts["event_id"].isin(recipients["event_id"])]
    events = events[events["id"].isin(parts["event_id"])]
    _write(out / "manufacturing_email", people, events=events, parts=parts)


def main(argv: list[str]) -> None:
    raw = Path(argv[1])
    out = Path(argv[2]) if len(argv) > 2 else Path(__file__).parent
    enron(raw, out)
    lazega(raw, out)
    krackhardt(raw, out)
    cross_parker(raw, out)
    if (raw / "hitech.zip").exists():
        hitech(raw, out)
    if (raw / "communication.csv").exists():
        manufacturing_email(raw, out)


if __name__ == "__main__":
    main(sys.argv)
