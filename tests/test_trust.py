"""Trust: interrupted runs resume, personal data stays out of outputs, results reproduce."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from datasets import write_tables

import influence
from influence.cli import main
from influence.redact import redact, scrub

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def texts(folder: Path) -> dict[str, str]:
    """Every output file as text (PNG charts as their bytes, decoded leniently)."""
    return {
        str(p.relative_to(folder)): p.read_bytes().decode("utf-8", errors="replace")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted CLI run of the sample (serial)."""
    out = tmp_path_factory.mktemp("reference") / "out"
    assert main(["analyze", str(SAMPLE), "--out", str(out), "--executor", "serial",
                 "--quiet"]) == 0  # fmt: skip
    return out


# --- reproducibility ---------------------------------------------------------------------


def test_same_bytes_twice_elsewhere_and_with_one_job(reference, tmp_path):
    other = tmp_path / "somewhere" / "else"
    assert main(["analyze", str(SAMPLE), "--out", str(other), "--jobs", "1", "--quiet"]) == 0
    assert digest(other) == digest(reference)
    again = tmp_path / "again"
    assert main(["analyze", str(SAMPLE), "--out", str(again), "--quiet"]) == 0  # all cores
    assert digest(again) == digest(reference)


def test_outputs_record_version_and_options_never_the_day_or_path(reference):
    today = datetime.date.today().isoformat()
    meta = json.loads((reference / "run.json").read_text(encoding="utf-8"))
    assert meta["influence"] == influence.__version__
    assert meta["as_of"] == "2026-11-20"  # the latest event of the sample
    assert meta["options"]["seed"] == 42 and meta["options"]["redact"] == "no"
    found = texts(reference)
    if today != meta["as_of"]:
        assert [f for f, t in found.items() if today in t] == []
    assert [f for f, t in found.items() if str(reference) in t] == []
    assert [f for f, t in found.items() if reference.parent.name in t] == []
    page = found["crestline-bank/map.html"]
    assert f'<meta name="generator" content="influence {influence.__version__}">' in page
    data = json.loads(re.search(r'id="map-data">(.*?)</script>', page).group(1))
    assert data["analysis"]["influence"] == influence.__version__
    assert data["analysis"]["options"]["as_of"] == "2026-11-20"
    assert data["analysis"]["options"]["seed"] == 42
    assert 'lastmodifieddate="2026-11-20"' in found["crestline-bank/graph.gexf"]
    for page in ("index.html", "crestline-bank/report.html"):
        assert influence.__version__ in found[page]


def test_row_accounting(reference):
    acc = pd.read_csv(reference / "row_accounting.csv")
    assert acc.columns.tolist() == ["file", "rows_read", "rows_used", "rows_skipped"]
    lines = {f: (SAMPLE / f).read_text(encoding="utf-8").count("\n") - 1 for f in acc["file"]}
    assert sorted(lines) == sorted(p.name for p in SAMPLE.glob("*.csv"))
    # The sample has no broken row (no finding at all), so every row read is used.
    assert len(pd.read_csv(reference / "data_quality.csv")) == 0
    acc = acc.set_index("file")
    assert acc["rows_read"].to_dict() == lines
    assert acc["rows_used"].to_dict() == lines
    assert (acc["rows_skipped"] == 0).all()
    summary = pd.read_csv(reference / "summary.csv")
    assert (summary["rows_read"] == sum(lines.values())).all()
    assert (summary["rows_skipped"] == acc["rows_skipped"].sum()).all()


def test_row_accounting_counts_skipped_rows(tmp_path):
    folder = write_tables(
        tmp_path / "in",
        people=[{"id": "p1", "name": "Ana", "account": "Acme"},
                {"id": "p1", "name": "Ana twice", "account": "Acme"},
                {"id": "p2", "name": "Ben", "account": "Acme"}],
        relationships=[{"source": "p1", "target": "p2", "type": "peer"},
                       {"source": "p1", "target": "nobody", "type": "peer"}],
    )  # fmt: skip
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    acc = pd.read_csv(out / "row_accounting.csv").set_index("file")
    assert acc.loc["people.csv"].tolist() == [3, 2, 1]
    assert acc.loc["relationships.csv"].tolist() == [2, 1, 1]
    summary = pd.read_csv(out / "summary.csv")
    assert summary[["rows_read", "rows_skipped"]].iloc[0].tolist() == [5, 2]


# --- interrupted runs ----------------------------------------------------------------------


def test_killed_run_resumes_to_the_same_bytes(reference, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "influence", "analyze", str(SAMPLE), "--out", str(out),
           "--executor", "serial", "--quiet"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 300
    while not list(out.glob("*/.done")):
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.time() < deadline, "no account finished in time"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = {p.parent.name for p in out.glob("*/.done")}
    assert 1 <= len(finished) < 3, "the run was meant to be killed half-way"
    assert not (out / "summary.csv").exists()
    mtimes = {p: p.stat().st_mtime_ns for s in finished for p in (out / s).rglob("*")}
    r = subprocess.run(cmd + ["--resume"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert f"skipped {len(finished)} finished accounts" in r.stdout
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes  # not written again
    assert not list(out.rglob("*.part"))
    assert digest(out) == digest(reference)


def test_resume_recomputes_when_options_change(reference, tmp_path):
    out = tmp_path / "out"
    args = ["analyze", str(SAMPLE), "--out", str(out), "--executor", "serial", "--quiet",
            "--maps", "0"]  # fmt: skip
    assert main(args) == 0
    assert main(args + ["--resume"]) == 0
    summary = pd.read_csv(out / "summary.csv")
    assert main(args + ["--resume", "--half-life", "90"]) == 0
    changed = pd.read_csv(out / "summary.csv")
    assert summary["people"].tolist() == changed["people"].tolist()
    assert (out / "crestline-bank" / ".done").read_text() != ""
    # the resumed summary equals a fresh one with the same options
    fresh = tmp_path / "fresh"
    assert main(["analyze", str(SAMPLE), "--out", str(fresh), "--executor", "serial", "--quiet",
                 "--maps", "0", "--half-life", "90"]) == 0  # fmt: skip
    assert digest(fresh) == digest(out)


def _edit_cell(path: Path, row: int, column: str, value: str) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert df.at[row, column] != value
    df.at[row, column] = value
    df.to_csv(path, index=False)


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "account"),
    [("events.csv", 0, "subject", "Clinical Operations 1:1 (moved)", "helios-health-systems"),
     ("relationships.csv", 0, "strength", "0.64", "northwind-logistics")],
)  # fmt: skip
def test_resume_recomputes_an_account_whose_input_cell_changed(
    tmp_path, table, row, column, value, account
):
    data = tmp_path / "in"
    shutil.copytree(SAMPLE, data)
    out = tmp_path / "out"
    args = ["analyze", str(data), "--out", str(out), "--executor", "serial", "--quiet",
            "--maps", "0"]  # fmt: skip
    assert main(args) == 0
    dones = {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/.done")}
    prints = {p.parent.name: p.read_text() for p in out.glob("*/.done")}
    assert len(dones) == 3
    _edit_cell(data / table, row, column, value)
    assert main(args + ["--resume"]) == 0
    after = {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/.done")}
    assert [s for s in sorted(dones) if after[s] != dones[s]] == [account]
    assert (out / account / ".done").read_text() != prints[account]
    fresh = tmp_path / "fresh"
    assert main(["analyze", str(data), "--out", str(fresh), "--executor", "serial", "--quiet",
                 "--maps", "0"]) == 0  # fmt: skip
    assert digest(fresh) == digest(out)


def test_account_timeout_is_recorded_and_the_run_goes_on(tmp_path, monkeypatch):
    original = influence.Account.influencers

    def slow(self):
        if self.name == "Helios Health Systems":
            time.sleep(30)
        return original(self)

    monkeypatch.setattr(influence.Account, "influencers", slow)
    start = time.monotonic()
    code = main(["analyze", str(SAMPLE), "--out", str(tmp_path), "--executor", "serial",
                 "--maps", "0", "--quiet", "--account-timeout", "2"])  # fmt: skip
    assert time.monotonic() - start < 25
    assert code == 0
    errors = pd.read_csv(tmp_path / "errors.csv")
    assert errors.values.tolist() == [["Helios Health Systems", "exceeded time budget of 2 s"]]
    assert (tmp_path / "crestline-bank" / "influencers.csv").exists()
    assert not (tmp_path / "helios-health-systems" / ".done").exists()


# --- personal data -------------------------------------------------------------------------


def _originals() -> tuple[list[str], list[str]]:
    people = pd.read_csv(SAMPLE / "people.csv", dtype=str, keep_default_na=False)
    names = [n for n in people["name"] if n]
    emails = [e for e in people["email"] if e]
    return names, emails


@pytest.fixture(scope="module")
def redacted(tmp_path_factory):
    out = tmp_path_factory.mktemp("redacted") / "out"
    assert main(["analyze", str(SAMPLE), "--out", str(out), "--executor", "serial", "--quiet",
                 "--redact", "--maps", "-1"]) == 0  # fmt: skip
    return out


def test_redacted_outputs_hold_no_name_or_email(redacted):
    names, emails = _originals()
    found = texts(redacted)
    assert {Path(f).suffix for f in found} >= {".csv", ".html", ".json", ".gexf", ".graphml",
                                               ".svg", ".png"}  # fmt: skip
    leaks = [(f, n) for f, t in found.items() for n in names + emails if n in t]
    assert leaks == []
    # Accounts are numbered by sorted name: Crestline Bank is the first of three.
    assert sorted(p.name for p in redacted.iterdir() if p.is_dir()) == [
        "account-1", "account-2", "account-3"]  # fmt: skip
    inf = pd.read_csv(redacted / "account-1" / "influencers.csv")
    assert len(inf[~inf["internal"]]) == 74
    assert inf["name"].str.fullmatch(r"Person \d{3}").all()
    assert inf["id"].str.fullmatch(r"person-\d{3}").all()
    assert json.loads((redacted / "run.json").read_text())["options"]["redact"] == "numbered"


def test_default_outputs_hold_no_email(reference):
    _, emails = _originals()
    found = texts(reference)
    assert [(f, e) for f, t in found.items() for e in emails if e in t] == []
    assert "email" not in pd.read_csv(reference / "crestline-bank" / "influencers.csv").columns


def test_contact_details_only_when_asked(tmp_path):
    folder = write_tables(
        tmp_path / "in",
        people=[{"id": "p1", "name": "Ana", "account": "Acme", "email": "ana@acme.example",
                 "mobile": "+1 555 0100 200", "title": "CEO (call +44 20 7946 0958)"},
                {"id": "p2", "name": "Ben", "account": "Acme", "email": "ben@acme.example",
                 "mobile": "", "title": "CIO"}],
        relationships=[{"source": "p1", "target": "p2", "type": "peer"}],
    )  # fmt: skip
    plain, asked = tmp_path / "plain", tmp_path / "asked"
    assert main(["analyze", str(folder), "--out", str(plain), "--quiet", "--jobs", "1"]) == 0
    assert main(["analyze", str(folder), "--out", str(asked), "--quiet", "--jobs", "1",
                 "--include-contact-details"]) == 0  # fmt: skip
    for t in texts(plain).values():
        assert "acme.example" not in t and "555 0100" not in t and "7946" not in t
    inf = pd.read_csv(plain / "acme" / "influencers.csv", keep_default_na=False)
    assert inf.set_index("id").at["p1", "title"] == "CEO (call [phone])"
    inf = pd.read_csv(asked / "acme" / "influencers.csv", keep_default_na=False)
    assert inf.set_index("id").loc["p1", ["email", "mobile"]].tolist() == [
        "ana@acme.example",
        "'+1 555 0100 200",  # neutralised: a spreadsheet would read + as a formula
    ]


def test_keyed_pseudonyms_are_stable_per_key(tmp_path):
    def names(key: str, out: str) -> pd.Series:
        env = {**os.environ, "INFLUENCE_REDACT_KEY": key}
        subprocess.run([sys.executable, "-m", "influence", "analyze", str(SAMPLE), "--out",
                        str(tmp_path / out), "--maps", "0", "--quiet", "--redact"],
                       cwd=ROOT, env=env, check=True, capture_output=True)  # fmt: skip
        summary = pd.read_csv(tmp_path / out / "summary.csv")
        slug = summary.set_index("people")["slug"][74]  # Crestline Bank
        inf = pd.read_csv(tmp_path / out / slug / "influencers.csv")
        return slug, inf.set_index("id")["name"]

    (slug_a, a), (slug_b, b) = names("k1", "a"), names("k1", "b")
    assert a.equals(b) and a.str.fullmatch(r"Person [0-9a-f]{10}").all()
    assert slug_a == slug_b and re.fullmatch(r"account-[0-9a-f]{10}", slug_a)
    slug_c, c = names("k2", "c")
    assert slug_c != slug_a and not set(a.index) & set(c.index)
    assert not set(a) & set(c)
    run_json = (tmp_path / "a" / "run.json").read_text()
    assert '"redact": "keyed"' in run_json and "k1" not in run_json


def test_redact_function():
    t = influence.load(SAMPLE).tables
    r = redact(t, key="secret")
    # The documented rule, computed here: "Person " and 10 hex digits of
    # HMAC-SHA256(key, id).
    expected = [
        "Person " + hmac.new(b"secret", p.encode("utf-8"), hashlib.sha256).hexdigest()[:10]
        for p in t.people["id"]
    ]
    assert r.people["name"].tolist() == expected
    assert not set(r.people["name"]) & set(t.people["name"])
    other = redact(t, key="another secret").people["name"]
    assert not set(other) & set(expected)
    assert redact(t, key="secret").people["name"].tolist() == expected  # stable
    # Without a key: numbered 1..n by sorted id.
    numbered = redact(t).people.set_index(t.people["id"])["name"]
    width = len(str(len(t.people)))
    assert numbered[sorted(t.people["id"])].tolist() == [
        f"Person {i:0{width}d}" for i in range(1, len(t.people) + 1)
    ]
    assert r.people["id"].tolist() == ["person-" + n.split()[1] for n in r.people["name"]]
    assert (r.people["email"] == "").all()
    assert scrub("ring 0044 20 7946 0958, mail a.b@c.example") == "ring [phone], mail [email]"


def test_email_ids_are_pseudonymised(tmp_path):
    folder = write_tables(
        tmp_path / "in",
        people=[{"id": "ana@acme.example", "name": "Ana Ruiz", "account": "Acme"},
                {"id": "ben@acme.example", "name": "Ben Ode", "account": "Acme",
                 "reports_to": "ana@acme.example"}],
        events=[{"id": "e1", "date": "2026-01-01", "type": "meeting",
                 "subject": "Ana Ruiz and Ben Ode, ana@acme.example"}],
        participants=[{"event_id": "e1", "person_id": "ana@acme.example"},
                      {"event_id": "e1", "person_id": "ben@acme.example"}],
    )  # fmt: skip
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--quiet", "--jobs", "1",
                 "--redact"]) == 0  # fmt: skip
    for f, t in texts(out).items():
        for secret in ("acme.example", "Ana Ruiz", "Ben Ode"):
            assert secret not in t, (f, secret)
    inf = pd.read_csv(out / "account-1" / "influencers.csv")
    assert sorted(inf["id"]) == ["person-1", "person-2"]


# --- CSV injection -------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://x","y")'


def test_formulas_are_neutralised_in_every_csv(tmp_path):
    folder = write_tables(
        tmp_path / "in",
        people=[{"id": "p1", "name": FORMULA, "account": "Acme", "level": "1"},
                {"id": "p2", "name": "Ben", "account": "Acme", "reports_to": "p1"}],
        relationships=[{"source": "p1", "target": "p2", "type": "advises"}],
    )  # fmt: skip
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    inf = pd.read_csv(out / "acme" / "influencers.csv", keep_default_na=False)
    assert inf.set_index("id").at["p1", "name"] == "'" + FORMULA
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
    assert summary["top_influencer"].tolist() == ["'" + FORMULA]
    write_tables(folder, people=[{"id": "p2", "name": "Ben", "account": "Acme"}])
    old = tmp_path / "old"
    write_tables(old, people=[{"id": "p1", "name": FORMULA, "account": "Acme"},
                              {"id": "p2", "name": "Ben", "account": "Acme"}])  # fmt: skip
    assert main(["diff", str(old), str(folder), "--out", str(tmp_path / "diff")]) == 0
    changes = pd.read_csv(tmp_path / "diff" / "changes.csv", keep_default_na=False)
    assert "'" + FORMULA in changes["name"].tolist()
    for csv_file in out.rglob("*.csv"):
        for line in csv_file.read_text(encoding="utf-8").splitlines():
            assert not re.search(r'(^|,)"?=HYPERLINK', line), (csv_file, line)
