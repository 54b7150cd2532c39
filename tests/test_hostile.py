"""Hostile input: shapes that used to hang, crash or lose data silently (issue #11).

The fuzz shapes (a huge field, a deep ``reports_to`` chain, a very wide file, a zip bomb)
run in a subprocess with a time and a memory bound checked here: a correctness guard
(the run ends, in bounded memory), not a benchmark.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECONDS, MEMORY_MB = 30, 1024


def bounded(code: str, tmp_path: Path, seconds: float = SECONDS) -> dict:
    """Run ``code`` in a fresh interpreter; fail unless it ends within ``seconds`` and a
    peak resident size of :data:`MEMORY_MB`. The code may set ``result`` (JSON)."""
    script = tmp_path / "run.py"
    script.write_text(
        "import json, resource, sys\nresult = None\n"
        + textwrap.dedent(code)
        + "\nprint(json.dumps({'result': result, 'peak_kb': "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, str(script)],
            capture_output=True,
            text=True,
            timeout=seconds,
            cwd=tmp_path,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish within {seconds} s")
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    peak_mb = out["peak_kb"] / 1024
    assert peak_mb < MEMORY_MB, f"peak resident size {peak_mb:.0f} MB"
    assert elapsed < seconds
    return out["result"]


# --- a 50 MB field ---------------------------------------------------------------------------


def test_scrub_of_a_50_mb_field_is_linear(tmp_path):
    # The e-mail regex tried every start in a run of letters to its end: 80,000 letters
    # took 10 s, 50 MB never ended. Each shape is scrubbed and checked by hand.
    result = bounded(
        """
        from influence.redact import scrub
        n = 50_000_000
        letters = "a" * n
        mail = "x" * n + "@acme.example"
        result = [scrub(letters) == letters,
                  scrub(mail) == "[email]",
                  scrub(" 1-1-" * (n // 500)) == " 1-1-" * (n // 500)]
        """,
        tmp_path,
    )
    assert result == [True, True, True]


def test_email_scan_matches_the_regex_on_short_texts():
    # The two-step scan gives what the plain regex gives (run here, on short texts only).
    import random
    import re

    from influence.redact import sub_emails

    plain = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
    rng = random.Random(7)
    for _ in range(20000):
        s = "".join(rng.choice("ab@.+-'_ é1\n") for _ in range(rng.randint(0, 24)))
        assert sub_emails(s) == plain.sub("[email]", s), s
    assert sub_emails("a@b.cc+d@e.org") == "[email][email]"


# --- a reports_to chain 100,000 deep -----------------------------------------------------------


def test_reports_to_chain_100000_deep_loads_in_bounded_time(tmp_path):
    # The cycle check removed one layer of leaves per pass (10,000 deep: 29 s). The chain
    # p0 <- p1 <- ... ends in a 3-cycle c0 -> c1 -> c2 -> c0, broken at its smallest id.
    result = bounded(
        """
        from influence.io import read_dataset
        from influence.analysis.formal import levels_of
        n = 100_000
        rows = ["id,name,account,reports_to", "p0,P0,Acme,"]
        rows += [f"p{i},P{i},Acme,p{i - 1}" for i in range(1, n)]
        rows += ["c0,C0,Acme,c1", "c1,C1,Acme,c2", "c2,C2,Acme,c0"]
        open("people.csv", "w").write("\\n".join(rows) + "\\n")
        t = read_dataset(".")
        p = t.people
        level = levels_of(p["id"].tolist(), p["reports_to"].tolist(), [None] * len(p))
        result = {"issues": [(i.row, i.column, i.code, i.message) for i in t.quality.issues],
                  "kept": int((p["reports_to"] != "").sum()),
                  "deepest": float(level.max())}
        """,
        tmp_path,
    )
    cycle = "reports_to cycle c0 -> c1 -> c2 -> c0; the reports_to of 'c0' is ignored"
    assert result["issues"] == [[100_002, "reports_to", "reports_to_cycle", cycle]]
    assert result["kept"] == 100_000 - 1 + 2  # the chain's lines, and c1, c2 of the cycle
    assert result["deepest"] == 100_000.0  # p99999 is 100,000 levels below p0


def test_reports_to_cycles_found_as_networkx_finds_them():
    # Random manager functions: the cycles are networkx's simple cycles of that graph.
    import networkx as nx
    import numpy as np

    from influence.io.tables import _reports_to_cycles

    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 30))
        ids = np.array([f"x{k:02d}" for k in rng.permutation(n)], dtype=object)
        boss = [ids[rng.integers(n)] if rng.random() < 0.8 else "" for _ in range(n)]
        boss = np.array([b if b != ids[k] else "" for k, b in enumerate(boss)], dtype=object)
        g = nx.DiGraph((ids[k], b) for k, b in enumerate(boss) if b)
        want = sorted(sorted(c) for c in nx.simple_cycles(g))
        got = _reports_to_cycles(ids, boss)
        assert sorted(sorted(ids[k] for k in c) for c in got) == want
        for c in got:  # from the smallest id, along the reports_to line
            assert ids[c[0]] == min(ids[k] for k in c)
            assert all(boss[c[k]] == ids[c[(k + 1) % len(c)]] for k in range(len(c)))


# --- zip archives: bombs, corrupt members, two files of one name -----------------------------


def _salesforce_zip(path: Path, contact: bytes | None = None, extra: dict | None = None) -> Path:
    import zipfile

    contact = contact or (
        b"Id,AccountId,FirstName,LastName,Title\n003A,001A,Ana,Ruiz,CFO\n003B,001A,Ben,Okafor,CTO\n"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Account.csv", b"Id,Name\n001A,Acme\n")
        z.writestr("Contact.csv", contact)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def _cli(code_args: list[str]) -> str:
    return f"""
        import contextlib, io
        from influence.cli import main
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main({code_args!r})
        result = [code, err.getvalue()]
        """


def test_zip_bomb_is_refused_before_it_is_read(tmp_path):
    # 512 MiB of one byte compresses about 1,000 times: refused from its declared size
    # and ratio, in bounded memory (z.read took the whole member, then more, at once).
    import zipfile

    bomb = tmp_path / "bomb.zip"
    header = b"Id,AccountId,FirstName,LastName\n"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Account.csv", b"Id,Name\n001A,Acme\n")
        with z.open("Contact.csv", "w", force_zip64=True) as f:
            f.write(header)
            block = b"0" * (1 << 24)
            for _ in range(32):
                f.write(block)
    assert bomb.stat().st_size < 2 << 20
    code, err = bounded(_cli(["analyze", str(bomb), "--out", "out", "--quiet"]), tmp_path)
    assert code == 2
    assert err.startswith("influence: error: bomb.zip: Contact.csv: expands ")
    assert "over the limit of 200 times; not read" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_zip_member_larger_than_declared_is_refused(tmp_path):
    # A header that declares fewer bytes than the member holds: zipfile stops at the
    # declared size and the CRC check fails; one line naming the member.
    import struct

    path = _salesforce_zip(tmp_path / "lying.zip")
    data = bytearray(path.read_bytes())
    at = data.rindex(b"Contact.csv") - 46  # its central directory entry
    assert data[at : at + 4] == b"PK\x01\x02"
    data[at + 24 : at + 28] = struct.pack("<I", 10)  # declared uncompressed size
    path.write_bytes(bytes(data))
    code, err = bounded(_cli(["analyze", str(path), "--out", "out", "--quiet"]), tmp_path)
    assert code == 2
    assert err.startswith("influence: error: lying.zip: Contact.csv: corrupt zip member (")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_corrupt_zip_member_is_one_line_naming_it(tmp_path):
    path = _salesforce_zip(tmp_path / "broken.zip", contact=b"Id,AccountId,LastName\n" * 2000)
    data = bytearray(path.read_bytes())
    start = data.index(b"Contact.csv") + len(b"Contact.csv")  # the local header's name
    for k in range(start + 10, start + 60):  # scramble the deflate stream
        data[k] ^= 0x5A
    path.write_bytes(bytes(data))
    code, err = bounded(_cli(["analyze", str(path), "--out", "out", "--quiet"]), tmp_path)
    assert code == 2
    assert err.startswith("influence: error: broken.zip: Contact.csv: corrupt zip member (")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_zip_with_two_contact_files_is_refused(tmp_path):
    # The last Contact.csv (4 rows) silently replaced the other (38 rows).
    from influence.io import read_dataset
    from influence.io.quality import InputError

    other = b"Id,AccountId,FirstName,LastName\n003Z,001A,Zoe,Ng\n"
    path = _salesforce_zip(tmp_path / "two.zip", extra={"old/Contact.csv": other})
    with pytest.raises(InputError) as err:
        read_dataset(path)
    assert str(err.value) == (
        "two.zip: 2 files named Contact.csv ('Contact.csv', 'old/Contact.csv'); "
        "keep one of them (which is meant is not guessed)"
    )


def test_symlink_out_of_an_export_folder_is_refused(tmp_path):
    from influence.io import read_dataset
    from influence.io.quality import InputError

    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Contact.csv").write_bytes(b"Id,AccountId,FirstName,LastName\n003A,001A,Ana,Ruiz\n")
    secret = tmp_path / "elsewhere.csv"
    secret.write_bytes(b"Id,Name\n001A,Acme\n")
    (folder / "Account.csv").symlink_to(secret)
    with pytest.raises(InputError, match=r"^Account.csv: is a symbolic link to .*elsewhere.csv"):
        read_dataset(folder)
    # A link inside the folder is fine.
    (folder / "Account.csv").unlink()
    (folder / "accounts-2026.csv").write_bytes(b"Id,Name\n001A,Acme\n")
    (folder / "Account.csv").symlink_to(folder / "accounts-2026.csv")
    assert read_dataset(folder).people["account"].tolist() == ["Acme"]
