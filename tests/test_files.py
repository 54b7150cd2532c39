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
