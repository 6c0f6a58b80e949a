"""The screen-reader checker: Orca reads pages headless, and what it says is compared with
the page. Each defence is shown failing on a small page in ``tests/screen-reader/``."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from klpublish.errors import ToolError
from klpublish.gate import orca
from klpublish.gate.page_text import Word, words
from klpublish.gate.screen_reader import compare_languages, compare_words

FIXTURES = Path(__file__).parent / "screen-reader"
ADDRESS = (("Weidekampsgade 10", "da"), ("2300 København S", "da"))
SWITCHER = (("Dansk", "da"), ("العربية", "ar"))


def session_processes(marker: str) -> list[int]:
    """Processes whose environment names ``marker`` (every process of a session has its
    HOME there)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


PUBLISHED = ("ar/letter.ar.html", "index.html")
"""Pages of the run's published baseline that Orca reads in the fixtures' session
(a session costs seconds to start)."""


@dataclass
class Session:
    reports: Path
    """Each page's transcript, named after the page."""
    problems: dict[str, list[str]]
    """Each page's problems, by the page's name less its suffix."""
    ended: dict[str, str]
    """How the session knew each page was read to its end, by the page's name."""


@pytest.fixture(scope="module")
def session(baseline: Path, tmp_path_factory: pytest.TempPathFactory) -> Session:
    """One Orca session reads every fixture page and the published pages."""
    work = tmp_path_factory.mktemp("orca")
    sources = [*sorted(FIXTURES.glob("*.html")), *(baseline / "build" / p for p in PUBLISHED)]
    pages = [
        orca.Page(page, work / "reports" / f"{page.stem}.txt", (*ADDRESS, *SWITCHER))
        for page in sources
    ]
    found = orca.check_pages(pages, work)
    assert session_processes(str(work / "session")) == [], "the session left processes"
    ended = {
        Path(page).stem: record["ended"]
        for result in work.glob("session*.json")
        for page, record in json.loads(result.read_text(encoding="utf-8"))["pages"].items()
    }
    problems = {path.stem: listed for path, listed in found.items()}
    return Session(work / "reports", problems, ended)


@pytest.fixture
def heard(session: Session) -> dict[str, list[str]]:
    return session.problems


@pytest.mark.slow
@pytest.mark.orca
def test_a_sound_page_passes_and_its_transcript_is_written(
    heard: dict[str, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert heard["sound"] == []


@pytest.mark.slow
@pytest.mark.orca
def test_a_page_read_to_its_end_is_left_when_orca_says_so(session: Session) -> None:
    """Orca's "say all" that came to the end of a page is written down
    (orca_customizations.py): the session goes on to the next page at once, not after
    seconds of silence. The published pages and the sound one end so."""
    for name in ("sound", "letter.ar", "index"):
        assert session.ended[name] == "said all", session.ended


@pytest.mark.slow
@pytest.mark.orca
def test_words_run_together_fail(heard: dict[str, list[str]]) -> None:
    assert any(
        p.startswith("words run together") and "LandsforeningWeidekampsgade" in p
        for p in heard["run-together"]
    ), heard["run-together"]


@pytest.mark.slow
@pytest.mark.orca
def test_a_part_without_its_lang_fails(heard: dict[str, list[str]]) -> None:
    assert any(
        "'Weidekampsgade 10' is handed to the screen reader as 'ar', expected 'da'" in p
        for p in heard["missing-lang"]
    ), heard["missing-lang"]


@pytest.mark.slow
@pytest.mark.orca
def test_a_hidden_element_that_is_read_fails(heard: dict[str, list[str]]) -> None:
    assert any("Hemmeligt linknavn" in p.split("page has")[0] for p in heard["hidden-read"]), heard[
        "hidden-read"
    ]


@pytest.mark.slow
@pytest.mark.orca
def test_a_visible_element_that_is_not_read_fails(heard: dict[str, list[str]]) -> None:
    assert any(
        p.startswith("not heard") and "læses ikke op" in p for p in heard["visible-silent"]
    ), heard["visible-silent"]


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A session's folder with a short path: the speech server's socket lies under
    it, and a Unix socket's path holds at most 107 bytes (a test's ``tmp_path`` is
    longer under pytest-xdist)."""
    with tempfile.TemporaryDirectory(prefix="klp-orca-") as name:
        yield Path(name)


@pytest.mark.orca
def test_orca_unable_to_start_fails(
    workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLPUBLISH_ORCA", "/bin/false")
    page = orca.Page(FIXTURES / "sound.html", tmp_path / "sound.txt")
    with pytest.raises(ToolError, match=r"Orca could not run: Orca .* exited with 1"):
        orca.check_pages([page], workdir)
    assert session_processes(str(workdir / "session")) == []


@pytest.mark.slow
@pytest.mark.orca
def test_a_page_not_read_in_time_fails(
    workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLPUBLISH_ORCA_PAGE_DEADLINE", "1")
    page = orca.Page(FIXTURES / "sound.html", tmp_path / "sound.txt")
    assert orca.check_pages([page], workdir)[page.path] == [
        "Orca could not read the page: Orca did not finish reading within 1 s"
    ]
    assert session_processes(str(workdir / "session")) == []


@pytest.mark.slow
@pytest.mark.orca
def test_the_published_pages_pass(session: Session) -> None:
    assert {p: session.problems[Path(p).stem] for p in PUBLISHED} == {p: [] for p in PUBLISHED}
    said = (session.reports / "letter.ar.txt").read_text(encoding="utf-8")
    assert "Weidekampsgade 10" in said.splitlines()  # the street on a line of its own
    assert "Page has" in said


def test_run_together_and_split_words_are_named() -> None:
    page = words("Kommunernes Landsforening Weidekampsgade 10")
    assert compare_words(page, words("Kommunernes LandsforeningWeidekampsgade 10")) == [
        "words run together: heard 'Kommunernes [LandsforeningWeidekampsgade] 10', "
        "page has 'Kommunernes [Landsforening Weidekampsgade] 10'"
    ]
    assert compare_words(page, words("Kommunernes Lands forening Weidekampsgade 10"))[0].startswith(
        "a word split in two"
    )
    assert compare_words(page, words("Kommunernes, Landsforening: Weidekampsgade 10")) == []


def test_a_run_in_another_language_than_the_page_marks_fails() -> None:
    page = [Word("مرحبا", "ar"), Word("Weidekampsgade", "da"), Word("10", "da")]
    runs = [Word("مرحبا", "ar"), Word("Weidekampsgade", "ar"), Word("10", "ar")]
    assert compare_languages(page, runs) == [
        "'Weidekampsgade 10' is handed to the screen reader as 'ar', the page marks it 'da'"
    ]
    assert compare_languages(page, page) == []


def named_orca() -> subprocess.Popen[bytes]:
    """A process of this user named ``orca``, as a reader's own Orca on the real desktop
    is: Orca's own command refuses to start beside it."""
    return subprocess.Popen(
        [sys.executable, "-c", NAMED_ORCA], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL
    )


NAMED_ORCA = """
import ctypes, sys, time
ctypes.CDLL(None).prctl(15, b"orca", 0, 0, 0)  # PR_SET_NAME
print("named", flush=True)
time.sleep(600)
"""


@pytest.mark.slow
@pytest.mark.orca
def test_sessions_read_side_by_side_beside_a_readers_own_orca(tmp_path: Path) -> None:
    """Two sessions at once (two gate runs, a test and a gate run), while a process
    named ``orca`` of this user runs: each reads its page, and each is told apart."""
    other = named_orca()
    try:
        assert other.stdout is not None and other.stdout.readline() == b"named\n"
        assert subprocess.run(["pgrep", "-x", "orca"], capture_output=True).returncode == 0
        pages = [
            orca.Page(FIXTURES / name, tmp_path / f"{n}.txt")
            for n, name in enumerate(("sound.html", "visible-silent.html"))
        ]
        with orca.reading(pages[:1]) as first, orca.reading(pages[1:]) as second:
            heard = {**first(), **second()}
    finally:
        other.kill()
        other.communicate()
    assert heard[pages[0].path] == []
    assert any(p.startswith("not heard") for p in heard[pages[1].path]), heard
    assert "Weidekampsgade" in pages[0].report.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.orca
def test_a_session_left_before_its_end_leaves_no_process(workdir: Path, tmp_path: Path) -> None:
    """The gate lets Orca read while it runs the other checkers: if it stops on the way
    (an error, Ctrl-C), Orca's whole session is stopped with it."""
    page = orca.Page(FIXTURES / "sound.html", tmp_path / "sound.txt")
    with pytest.raises(KeyboardInterrupt), orca.reading([page], workdir):
        end = time.monotonic() + 60
        while not session_processes(str(workdir / "session")) and time.monotonic() < end:
            time.sleep(0.1)
        assert session_processes(str(workdir / "session")), "the session never started"
        raise KeyboardInterrupt
    assert session_processes(str(workdir / "session")) == []
    assert not page.report.exists()


def test_a_session_that_cannot_start_fails_the_check_and_the_gate_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Orca starts before the other checkers run: a session that cannot even start
    (its scripts unreadable here) is the screen-reader check's failure, given when the
    gate asks for it, not an error that ends the gate and loses the others' findings."""

    def unreadable(folder: str) -> None:
        raise OSError(f"cannot read {folder}")

    monkeypatch.setattr(orca, "scripts", unreadable)
    page = orca.Page(FIXTURES / "sound.html", tmp_path / "sound.txt")
    with orca.reading([page]) as heard:
        other_checkers_ran = True
        with pytest.raises(ToolError, match="could not start: cannot read orca_session"):
            heard()
    assert other_checkers_ran
