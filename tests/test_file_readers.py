"""Readers that refuse before they read: letters, letter folders, catalogs, the
layout's words, compendia and glossaries are regular files inside their own tree,
opened without waiting, read up to a cap. A link leading out, a FIFO, a device, a
folder or a file too large is a located error naming the path the user gave
(never what a link leads to), the run exits non-zero, and every other letter and
language is still made. Commands that could hang run under a deadline."""

from __future__ import annotations

import os
import re
import resource
import shutil
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import HANG
from klpublish import files
from klpublish.catalogs.po import load_catalog
from klpublish.errors import CatalogError, KlpublishError
from klpublish.files import MAX_CATALOG_BYTES, MAX_COMPENDIUM_BYTES, Reading, read_inside

DEADLINE = 60
"""Seconds a command may take here (each takes a few): a hang fails, never waits."""
MEMORY = 3 * 2**30
"""Address space for a command that reads no engine's output: reading /dev/zero
to the end fails here, not on the machine."""
NEW = "Dette er en helt ny sætning til prøven."
SECRET = "Hemmelig adgangskode: HUNTER2-7431."
LANGS = ("ar", "de", "en", "fa", "pl", "tr", "uk")


def klpublish(*args: str, memory: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run klpublish in the working directory, stopped after ``DEADLINE`` s."""

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    try:
        return subprocess.run(
            [sys.executable, "-m", "klpublish", *args],
            capture_output=True,
            text=True,
            timeout=DEADLINE,
            check=False,
            preexec_fn=limit,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"klpublish {' '.join(args)} did not finish in {DEADLINE} s (it waited)")


def said(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout + proc.stderr


def add_sentence() -> None:
    """A new paragraph in the first letter, so that update has something to do."""
    letter = Path("source/letter.da.md")
    letter.write_text(letter.read_text(encoding="utf-8") + f"\n{NEW}\n", encoding="utf-8")


def outside(tmp_path: Path) -> Path:
    """A folder beside the project, holding a secret."""
    folder = tmp_path.parent / f"{tmp_path.name}-outside"
    folder.mkdir(exist_ok=True)
    (folder / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    return folder


def no_secret_in_catalogs() -> None:
    for path in Path("locale").rglob("*.po*"):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert SECRET not in text and "root:x:0:0" not in text, path


def catalogs() -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(Path("locale").rglob("*.po*"))}


def make_fifo(path: Path) -> None:
    if os.path.lexists(path):
        path.unlink()
    os.mkfifo(path)


# -- letters and letter folders -------------------------------------------------------


@pytest.mark.parametrize("target", ["/etc/passwd", "secret"])
def test_a_letter_linked_to_a_secret_never_reaches_a_catalog(
    project: Path, tmp_path: Path, target: str
) -> None:
    secret = outside(tmp_path) / "secret.txt" if target == "secret" else Path(target)
    Path("source/notes.da.md").symlink_to(secret)
    add_sentence()
    extract = klpublish("extract")
    assert extract.returncode == 1, said(extract)
    assert "source/notes.da.md: leads outside source/ (a symbolic link)" in extract.stderr
    assert str(secret) not in said(extract)
    # The good letter's template is written all the same, and said.
    assert "locale/letter.pot: updated" in said(extract)
    assert NEW in Path("locale/letter.pot").read_text(encoding="utf-8")
    assert not Path("locale/notes.pot").exists()
    # update makes a new letter's template first: it refuses the link as extract
    # does, and updates the other letter's catalogs.
    update = klpublish("update")
    assert update.returncode == 1, said(update)
    assert "source/notes.da.md: leads outside source/ (a symbolic link)" in update.stderr
    assert str(secret) not in said(update)
    assert "locale/en/LC_MESSAGES/letter.po: updated" in said(update)
    no_secret_in_catalogs()
    assert not Path("locale/notes.pot").exists()
    assert not list(Path("locale").glob("*/LC_MESSAGES/notes.po"))


@pytest.mark.slow
def test_a_letter_folder_linked_outside_is_refused_and_the_others_are_made(
    project: Path, tmp_path: Path
) -> None:
    elsewhere = outside(tmp_path) / "ext"
    elsewhere.mkdir()
    (elsewhere / "ext.da.md").write_text(
        f"---\ntitle: Ekstern\nlang: da\n---\n\n{SECRET}\n", encoding="utf-8"
    )
    Path("source/ext").symlink_to(elsewhere)
    add_sentence()
    extract = klpublish("extract")
    assert extract.returncode == 1, said(extract)
    assert "source/ext/ext.da.md: leads outside source/ (a symbolic link)" in extract.stderr
    assert str(elsewhere) not in said(extract)
    assert "locale/letter.pot: updated" in said(extract)
    assert not Path("locale/ext.pot").exists()
    publish = klpublish("publish", "--format", "html", "--lang", "en")
    assert publish.returncode == 1, said(publish)
    assert "source/ext/ext.da.md: leads outside source/" in publish.stderr
    assert Path("build/en/letter.en.html").is_file()
    assert not list(Path("build").rglob("ext.*"))
    assert SECRET not in "".join(p.read_text("utf-8") for p in Path("build").rglob("*.html"))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_a_letter_that_is_no_regular_file_fails_alone_without_waiting(
    project: Path, kind: str
) -> None:
    letter = Path("source/notes.da.md")
    if kind == "fifo":
        make_fifo(letter)
        says = "source/notes.da.md: is a FIFO (named pipe), not a regular file"
    elif kind == "dev-zero":
        letter.symlink_to("/dev/zero")
        says = "source/notes.da.md: leads outside source/ (a symbolic link)"
    else:
        letter.mkdir()
        says = "source/notes.da.md: is a folder: expected a letter"
    add_sentence()
    extract = klpublish("extract")
    assert extract.returncode == 1 and says in extract.stderr, said(extract)
    assert "locale/letter.pot: updated" in said(extract)
    for command in (["status"], ["lint", "en"], ["publish", "--format", "html", "--lang", "en"]):
        proc = klpublish(*command)
        assert proc.returncode == 1 and says in said(proc), (command, said(proc))
    assert Path("build/en/letter.en.html").is_file()


def test_a_letter_folder_linked_inside_source_is_a_letter_like_any_other(project: Path) -> None:
    real = Path("source/.drafts/notes")
    real.mkdir(parents=True)
    (real / "notes.da.md").write_text(
        "---\ntitle: Noter\nlang: da\n---\n\nEn kort note til prøven.\n", encoding="utf-8"
    )
    Path("source/notes").symlink_to(Path(".drafts/notes"))  # relative, inside source/
    extract = klpublish("extract")
    assert extract.returncode == 0, said(extract)
    assert "En kort note til prøven." in Path("locale/notes.pot").read_text(encoding="utf-8")


# -- compendia ----------------------------------------------------------------------------


def _compendium(tmp_path: Path, kind: str) -> tuple[str, str]:
    """A compendium path as the operator gives it (relative to the project, where
    the command runs), and what the error says of it."""
    if kind == "dev-zero":
        return "/dev/zero", "is a device, not a regular file: expected a .po file"
    path = Path("tm/memory.po")
    path.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(path)
        return str(path), "is a FIFO (named pipe), not a regular file: expected a .po file"
    if kind == "folder":
        path.mkdir()
        return str(path), "is a folder: expected a .po file"
    if kind == "link-out":
        target = outside(tmp_path) / "de.po"
        shutil.copy("locale/de/LC_MESSAGES/letter.po", target)
        path.symlink_to(target)
        return str(path), "leads outside tm/ (a symbolic link): expected a .po file inside it"
    with path.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_COMPENDIUM_BYTES + 1)
    return str(path), "is larger than 64 MB: expected a .po file"


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "folder", "link-out", "huge"])
@pytest.mark.parametrize("command", ["update", "init"])
def test_a_compendium_that_is_no_regular_file_in_its_folder_is_refused_unread(
    project: Path, tmp_path: Path, kind: str, command: str
) -> None:
    path, says = _compendium(tmp_path, kind)
    add_sentence()
    assert klpublish("extract").returncode == 0
    before = catalogs()
    argv = ["update"] if command == "update" else ["init", "sv"]
    proc = klpublish(*argv, "--compendium", path, memory=MEMORY)
    assert proc.returncode == 1, said(proc)
    assert f"klpublish: error: {path}: {says}" in proc.stderr, said(proc)
    assert "de.po" not in said(proc)  # the link is named, never its target
    # The operator's own file: the run stops before any catalog is written.
    assert catalogs() == before


def test_a_compendium_linked_inside_its_folder_is_used(project: Path) -> None:
    folder = Path("tm")
    folder.mkdir()
    shutil.copy("locale/de/LC_MESSAGES/letter.po", folder / "de-2024.po")
    (folder / "de.po").symlink_to("de-2024.po")
    shutil.rmtree("locale/de")
    init = klpublish("init", "de", "--compendium", "tm/de.po")
    assert init.returncode == 0, said(init)
    text = Path("locale/de/LC_MESSAGES/letter.po").read_text(encoding="utf-8")
    assert "memory: exact match from tm/de.po:" in text


# -- catalogs and the layout's words --------------------------------------------------------


def _spoil(path: Path, kind: str) -> str:
    """Put something that is not a catalog at ``path``; what the error says of it."""
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
        return "is a FIFO (named pipe), not a regular file: expected a .po file"
    if kind == "dev-zero":
        path.symlink_to("/dev/zero")
        return "leads outside locale/ (a symbolic link): expected a .po file inside it"
    if kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device file needs root")
        os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # what /dev/zero is
        return "is a device, not a regular file: expected a .po file"
    if kind == "block-device":
        if os.geteuid() != 0:
            pytest.skip("making a device file needs root")
        os.mknod(path, stat.S_IFBLK | 0o644, os.makedev(7, 0))  # what /dev/loop0 is
        return "is a device, not a regular file: expected a .po file"
    if kind == "socket":
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))  # relative: a socket's path is short
        return "is a socket, not a regular file: expected a .po file"
    with path.open("wb") as handle:
        handle.truncate(MAX_CATALOG_BYTES + 1)
    return "is larger than 16 MB: expected a .po file"


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "device", "block-device", "socket", "huge"])
def test_a_catalog_that_is_no_regular_file_fails_its_language_alone(
    project: Path, kind: str
) -> None:
    po = Path("locale/de/LC_MESSAGES/letter.po")
    says = _spoil(po, kind)
    add_sentence()
    assert klpublish("extract").returncode == 0
    update = klpublish("update")
    assert update.returncode == 1, said(update)
    assert f"locale/de/LC_MESSAGES/letter.po: {says}" in update.stderr, said(update)
    for lang in LANGS:
        if lang != "de":  # every other language is updated
            text = Path(f"locale/{lang}/LC_MESSAGES/letter.po").read_text(encoding="utf-8")
            assert NEW in text, lang
    publish = klpublish("publish", "--format", "html")
    assert publish.returncode == 1, said(publish)
    assert "de: not published" in publish.stderr and says in publish.stderr, said(publish)
    assert Path("build/en/letter.en.html").is_file()
    assert not Path("build/de/letter.de.html").exists()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "device"])
def test_a_labels_catalog_that_is_no_regular_file_fails_its_language_alone(
    project: Path, kind: str
) -> None:
    words = Path("locale/de/LC_MESSAGES/klpublish.po")
    says = _spoil(words, kind)
    add_sentence()
    assert klpublish("extract").returncode == 0
    update = klpublish("update")
    assert update.returncode == 1, said(update)
    assert f"locale/de/LC_MESSAGES/klpublish.po: {says}" in update.stderr, said(update)
    # The letter's catalogs, German's included, are updated: the words' catalog fails alone.
    for lang in LANGS:
        assert NEW in Path(f"locale/{lang}/LC_MESSAGES/letter.po").read_text(encoding="utf-8")
    publish = klpublish("publish", "--format", "html")
    assert publish.returncode == 1 and says in publish.stderr, said(publish)
    assert Path("build/en/letter.en.html").is_file()


@pytest.mark.slow
def test_a_catalog_linked_to_another_language_s_inside_locale_is_read(project: Path) -> None:
    shared = Path("locale/.shared")
    shared.mkdir()
    shutil.move("locale/de/LC_MESSAGES/letter.po", shared / "letter.de.po")
    Path("locale/de/LC_MESSAGES/letter.po").symlink_to(Path("../../.shared/letter.de.po"))
    proc = klpublish("publish", "--format", "html", "--lang", "de")
    assert proc.returncode == 0, said(proc)
    assert Path("build/de/letter.de.html").is_file()


def test_msgfmt_reads_the_bytes_that_are_parsed_and_names_the_file(project: Path) -> None:
    """msgfmt reads the catalog from its standard input: what it checked is what
    Babel parses, and its messages name the file, never ``<stdin>``."""
    po = Path("locale/de/LC_MESSAGES/letter.po")
    po.write_text(po.read_text("utf-8") + '\nmsgid "x"\nmsgstr "Broken\n', encoding="utf-8")
    proc = klpublish("lint", "de")
    assert proc.returncode == 1
    assert re.search(
        r"^locale/de/LC_MESSAGES/letter\.po:3\d\d: msgfmt: end-of-line within string$",
        said(proc),
        re.M,
    ), said(proc)
    assert "<stdin>" not in said(proc)


# -- glossaries ----------------------------------------------------------------------------


@pytest.mark.slow
def test_a_glossary_that_is_a_fifo_is_refused_without_waiting(project: Path) -> None:
    glossary = Path("locale/de/glossary.tbx")
    make_fifo(glossary)
    lint = klpublish("lint", "de")
    assert lint.returncode == 1, said(lint)
    says = "locale/de/glossary.tbx: glossary not used: is a FIFO (named pipe), not a regular file"
    assert says in said(lint)
    publish = klpublish("publish", "--format", "html", "--lang", "de")
    assert publish.returncode == 0, said(publish)  # publishing goes on without it
    assert Path("build/de/letter.de.html").is_file()


# -- each layer of the reader, on its own ---------------------------------------------------


def _within(seconds: float, action: Callable[[], object], fifo: Path) -> BaseException | None:
    """Run ``action`` in a thread; fail if it is still waiting after ``seconds``
    (first opening ``fifo`` for writing, which releases a reader that waits)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            action()
            outcome.append(None)
        except Exception as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "wb"):
            pass
        thread.join(seconds)
        pytest.fail("the reader waited on a FIFO")
    return outcome[0]


def test_a_fifo_swapped_in_after_the_check_is_opened_without_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``read_inside`` as when a FIFO replaces the file between its check and
    its open: the open does not wait, and the file is refused unread."""
    fifo = tmp_path / "letter.po"
    os.mkfifo(fifo)
    monkeypatch.setattr(files, "check_inside", lambda *args: None)  # the check passed
    reading = Reading(tmp_path, MAX_CATALOG_BYTES, "a .po file")
    error = _within(HANG, lambda: read_inside(fifo, reading), fifo)
    assert isinstance(error, KlpublishError), error
    assert "is a FIFO (named pipe), not a regular file: expected a .po file" in str(error)


def test_load_catalog_refuses_a_fifo_before_msgfmt_opens_it(tmp_path: Path) -> None:
    fifo = tmp_path / "letter.po"
    os.mkfifo(fifo)
    error = _within(HANG, lambda: load_catalog(fifo, "de"), fifo)
    assert isinstance(error, CatalogError), error
    assert "is a FIFO (named pipe), not a regular file" in str(error)


def test_a_file_larger_than_the_cap_is_refused_not_cut(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(b"#" * 101)
    with pytest.raises(KlpublishError, match=r"is larger than 100 bytes: expected a \.po file"):
        read_inside(path, Reading(tmp_path, 100, "a .po file"))
    assert read_inside(path, Reading(tmp_path, 101, "a .po file")) == b"#" * 101


def test_the_check_alone_refuses_without_opening(tmp_path: Path) -> None:
    """``check_inside`` by itself, before any open: a FIFO (whose open could
    wait), a device and a link out of the tree."""
    os.mkfifo(tmp_path / "fifo.po")
    (tmp_path / "zero.po").symlink_to("/dev/zero")
    reading = Reading(tmp_path, MAX_CATALOG_BYTES, "a .po file")
    with pytest.raises(KlpublishError, match=r"fifo\.po: is a FIFO \(named pipe\), not a regular"):
        files.check_inside(tmp_path / "fifo.po", reading)
    with pytest.raises(KlpublishError, match=r"zero\.po: leads outside .* \(a symbolic link\)"):
        files.check_inside(tmp_path / "zero.po", reading)
    with pytest.raises(KlpublishError, match=r"/dev/zero: is a device, not a regular file"):
        files.check_inside(Path("/dev/zero"), Reading(Path("/dev"), 100, "a .po file"))


@pytest.mark.parametrize("method", ["catalog", "labels_catalog", "glossary"])
def test_the_layout_refuses_a_catalog_before_any_reader_sees_it(
    project: Path, tmp_path: Path, method: str
) -> None:
    from klpublish.project import DEFAULT_SOURCE, Layout

    layout = Layout(DEFAULT_SOURCE)
    path = {
        "catalog": layout.po_path("de"),
        "labels_catalog": layout.project.labels_po_path("de"),
        "glossary": layout.project.glossary_path("de"),
    }[method]
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    with pytest.raises(CatalogError, match="is a FIFO"):
        getattr(layout if method == "catalog" else layout.project, method)("de")
    path.unlink()
    path.symlink_to(outside(tmp_path) / "secret.txt")
    with pytest.raises(CatalogError, match=r"leads outside locale/ \(a symbolic link\)"):
        getattr(layout if method == "catalog" else layout.project, method)("de")


def test_a_file_that_grew_past_its_stated_size_is_refused_not_cut() -> None:
    """A file whose size says 0 and which holds more (as /proc's do, or a file
    written to while it is read): the cap holds on what is read, not on what
    the size said."""
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0 and len(status.read_bytes()) > 100
    with pytest.raises(KlpublishError, match="is larger than 100 bytes"):
        read_inside(status, Reading(Path("/proc"), 100, "a status file"))
