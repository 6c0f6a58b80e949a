"""A run with nothing to do answers from the build's records (``build.record``):
it starts no pandoc and reads no letter, and any input that changed sends it the
long way, which makes what changed again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest

from helpers import HANG, SECOND, copy_published
from klpublish.__main__ import main
from klpublish.build import cache, record
from klpublish.project import DEFAULT_SOURCE, DEFAULT_THRESHOLD, Layout, package_labels_po

DE = Path("locale/de/LC_MESSAGES/letter.po")
KINDS = (record.LETTER, record.STATUS)

SPY = """
import json, subprocess, sys
started = []
real = subprocess.Popen.__init__
def spy(self, args, *rest, **options):
    started.append(str(args))
    real(self, args, *rest, **options)
subprocess.Popen.__init__ = spy
from klpublish.__main__ import main
code = main(sys.argv[1:])
loaded = sorted(name for name in sys.modules if name.startswith("klpublish."))
print(json.dumps({"code": code, "started": started, "loaded": loaded}))
"""
"""Runs a command and says which processes it started and which modules it loaded."""


@pytest.fixture(scope="module")
def recorded(baseline: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The published project with a status run recorded too (made once)."""
    root = copy_published(baseline, tmp_path_factory.mktemp("recorded"))
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    try:
        assert main(["status"]) == 0
        assert main(["publish"]) == 0
    finally:
        mp.undo()
    yield root


@pytest.fixture
def here(recorded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of ``recorded`` to change, as the working folder."""
    copy_published(recorded, tmp_path)
    monkeypatch.chdir(tmp_path)
    cache.code_digest.cache_clear()
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_digest() -> Iterator[None]:
    cache.code_digest.cache_clear()
    yield
    cache.code_digest.cache_clear()


def _current(kind: str, threshold: float = DEFAULT_THRESHOLD) -> bool:
    getattr(cache.code_digest, "cache_clear", lambda: None)()
    return record.current(Layout(DEFAULT_SOURCE), kind, threshold) is not None


def _spied(*args: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    proc = subprocess.run(
        [sys.executable, "-c", SPY, *args], capture_output=True, text=True, env=env, timeout=HANG
    )
    assert proc.returncode == 0, proc.stderr
    found: dict[str, object] = json.loads(proc.stdout.splitlines()[-1])
    found["out"] = proc.stdout
    return found


@pytest.mark.parametrize("command", ["publish", "index", "status"])
def test_the_no_op_starts_no_process_and_reads_no_letter(here: Path, command: str) -> None:
    found = _spied(command)
    assert found["code"] == 0, found["out"]
    assert found["started"] == [], found["started"]
    loaded = found["loaded"]
    assert isinstance(loaded, list)
    for reader in ("klpublish.letter.read", "klpublish.build.assessment", "klpublish.render.pdf"):
        assert reader not in loaded, f"{command} loaded {reader}"
    if command == "publish":
        assert "up to date build/de/letter.de.pdf" in str(found["out"])
        assert "unchanged build/index.html" in str(found["out"])


def _edit_catalog() -> None:
    DE.write_text(
        DE.read_text(encoding="utf-8").replace("Zusammenarbeit", "gute Zusammenarbeit", 1),
        encoding="utf-8",
    )


def _edit_letter() -> None:
    text = DEFAULT_SOURCE.read_text(encoding="utf-8")
    DEFAULT_SOURCE.write_text(text + "\nEt nyt afsnit.\n", encoding="utf-8")


def _labels() -> None:
    target = Path("locale/de/LC_MESSAGES/klpublish.po")
    assert not target.exists()
    shutil.copy(package_labels_po("de"), target)


def _glossary() -> None:
    path = Path("locale/en/glossary.tbx")
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _new_language() -> None:
    shutil.copytree("locale/de", "locale/sv")


CHANGES: dict[str, Callable[[], None]] = {
    "catalog": _edit_catalog,
    "letter": _edit_letter,
    "layout words (klpublish.po)": _labels,
    "glossary": _glossary,
    "a new language": _new_language,
    "a catalog removed": lambda: DE.unlink(),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_input_makes_the_records_stale(here: Path, change: str) -> None:
    assert all(_current(kind) for kind in KINDS), "fresh records are current"
    CHANGES[change]()
    assert not any(_current(kind) for kind in KINDS), change


def _pandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    from klpublish.pandoc import pandoc_path

    real = cache.pandoc_version(pandoc_path())
    monkeypatch.setattr(cache, "pandoc_version", lambda binary: real + ".1")


def _typst(monkeypatch: pytest.MonkeyPatch) -> None:
    real = metadata.version
    monkeypatch.setattr(
        metadata, "version", lambda name: real(name) + (".post1" if name == "typst" else "")
    )


def _code(monkeypatch: pytest.MonkeyPatch) -> None:
    real = cache.code_digest()
    monkeypatch.setattr(cache, "code_digest", lambda: real + "-changed")


def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")


TOOLS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "pandoc": _pandoc,
    "typst": _typst,
    "package code and templates": _code,
    "SOURCE_DATE_EPOCH": _epoch,
}


@pytest.mark.parametrize("tool", TOOLS)
def test_another_tool_or_time_stamp_makes_the_records_stale(
    here: Path, tool: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert all(_current(kind) for kind in KINDS)
    TOOLS[tool](monkeypatch)
    assert not any(_current(kind) for kind in KINDS), tool


def test_a_language_the_status_tools_see_otherwise_makes_the_status_stale(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = metadata.version
    monkeypatch.setattr(
        metadata, "version", lambda name: real(name) + (".1" if name == "py3langid" else "")
    )
    assert _current(record.LETTER), "publishing does not ask which language a block is"
    assert not _current(record.STATUS)


def test_a_changed_image_makes_the_record_stale(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(SECOND / "kort.png", "source/kort.png")
    _edit_letter()
    text = DEFAULT_SOURCE.read_text(encoding="utf-8")
    DEFAULT_SOURCE.write_text(text + "\n![Et kort](kort.png)\n", encoding="utf-8")
    assert main(["publish", "--format", "html", "--threshold", "0"]) == 0
    assert _current(record.LETTER, 0.0)
    image = Path("source/kort.png")
    image.write_bytes(image.read_bytes() + b"\0")
    assert not _current(record.LETTER, 0.0)


def _made(out: str) -> set[str]:
    return {
        line.split()[1]
        for line in out.splitlines()
        if line.startswith(("wrote build/", "unchanged build/"))
    }


def test_a_changed_catalog_is_published_again(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_catalog()
    assert main(["publish"]) == 0
    made = _made(capsys.readouterr().out)
    assert {f"build/de/letter.de.{fmt}" for fmt in ("html", "epub", "pdf")} <= made, made
    assert main(["publish"]) == 0
    assert _made(capsys.readouterr().out) == {"build/index.html"}, "nothing else is made"


def test_an_output_changed_or_gone_is_made_again(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = Path("build/de/letter.de.pdf")
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    Path("build/en/letter.en.epub").unlink()
    Path("build/index.html").unlink()
    capsys.readouterr()
    assert main(["publish"]) == 0
    made = _made(capsys.readouterr().out)
    assert {"build/de/letter.de.pdf", "build/en/letter.en.epub", "build/index.html"} <= made


def test_a_language_that_failed_says_why_again(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    DE.write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")
    for _ in range(2):
        assert main(["publish"]) == 1
        err = capsys.readouterr().err
        assert "de: not published" in err, err


def test_a_run_asked_for_more_than_the_record_has_goes_the_long_way(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_catalog()  # so that this run records German alone
    assert main(["publish", "--lang", "de"]) == 0
    assert "wrote build/de/letter.de.pdf" in capsys.readouterr().out
    Path("build/en/letter.en.pdf").unlink()
    assert main(["publish"]) == 0
    assert "build/en/letter.en.pdf" in _made(capsys.readouterr().out)


def test_an_index_page_gone_is_written_again(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = Path("build/index.html")
    page = index.read_bytes()
    index.unlink()
    assert main(["publish"]) == 0
    assert "wrote build/index.html" in capsys.readouterr().out
    assert index.read_bytes() == page
    index.write_bytes(page.replace(b"</body>", b"<p>changed</p></body>"))
    assert main(["index"]) == 0
    assert index.read_bytes() == page
