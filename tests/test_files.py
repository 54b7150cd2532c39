"""Output files: atomic, UTF-8, the user's usual permissions."""

import os
import stat
import sys

import pytest

from influence.render.files import write_bytes, write_text


def test_write_is_atomic_and_replaces(tmp_path):
    path = tmp_path / "a" / "map.html"
    write_text(path, "één")
    write_bytes(path, b"two")
    assert path.read_bytes() == b"two"
    assert [p.name for p in path.parent.iterdir()] == ["map.html"]  # no .part left


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_outputs_get_the_umask_permissions_not_owner_only(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    path = write_text(tmp_path / "report.html", "x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_csv_neutralises_formulas_in_string_columns_and_writes_empty_ones():
    """Hand-written expectations: every formula start a spreadsheet runs (the cell's
    start, after a line break or a ``;``) gets a ``'``, in pandas' string columns as in
    object ones; a CR switches the rows to CRLF; an empty string column is a header."""
    import pandas as pd

    from influence.render.files import csv_bytes

    for dtype in ("str", object):
        df = pd.DataFrame({"a": ["ok", "-1", "x;=2", "y\n+3"], "b": ["1", "2", "3", "4"]})
        df = df.astype(dtype)
        assert csv_bytes(df) == b"a,b\nok,1\n'-1,2\nx;'=2,3\n\"y\n'+3\",4\n"
        cr = pd.DataFrame({"a": ["p\rq"]}).astype(dtype)
        assert csv_bytes(cr) == b'a\r\n"p\rq"\r\n'
    assert csv_bytes(pd.DataFrame({"a": pd.Series([], dtype="str")})) == b"a\n"
