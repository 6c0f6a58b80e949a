"""The atomic writer's promises that can be seen without killing a build (for
that, see test_crash.py)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from klpublish.fileio import remove_stale_temporaries, write_atomic, write_if_changed


def test_write_atomic_writes_the_bytes_readable_by_all(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "letter.da.html"
    write_atomic(path, b"<html>1</html>")
    assert path.read_bytes() == b"<html>1</html>"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    write_atomic(path, b"2", mode=0o600)
    assert path.read_bytes() == b"2"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["letter.da.html"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "letter.da.pdf"
    path.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["letter.da.pdf"]


def test_write_if_changed_leaves_equal_files_alone(tmp_path: Path) -> None:
    path = tmp_path / "letter.da.epub"
    assert write_if_changed(path, b"a") is True
    before = path.stat().st_mtime_ns, path.stat().st_ino
    assert write_if_changed(path, b"a") is False
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before
    assert write_if_changed(path, b"b") is True
    assert path.read_bytes() == b"b"
    assert write_if_changed(path, b"a") is True  # smaller bytes are a change too
    assert path.read_bytes() == b"a"


def test_only_this_outputs_stale_temporaries_are_removed(tmp_path: Path) -> None:
    for name in (
        ".letter.da.html.x1.tmp",
        ".letter.da.pdf.x2.tmp",
        "letter.da.html.tmp",
        ".other.x3.tmp",
        ".letter.da.html.x4",
    ):
        (tmp_path / name).write_bytes(b"")
    remove_stale_temporaries(tmp_path, "letter.da")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".letter.da.html.x4",
        ".other.x3.tmp",
        "letter.da.html.tmp",
    ]
    remove_stale_temporaries(tmp_path / "absent", "letter.da")  # no folder: nothing to do
