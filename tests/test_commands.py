"""The commands as a user meets them: ``lint LANG`` weighs LANG alone, a broken
letter's error is never lost, one letter and many are said by one rule, and the
work this process does itself has the same deadline as a worker's."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from klpublish.__main__ import main

SECOND = Path(__file__).parent / "letters" / "second"
DE = Path("locale/de/LC_MESSAGES/letter.po")
BROKEN_FRONT_MATTER = "---\ntitle: [x\n---\n\nTekst.\n"
BROKEN_SAID = "source/letter.da.md:2: invalid YAML front matter"


def verdicts() -> list[str]:
    """The languages the build cache holds a verdict of: those assessed."""
    return sorted(p.name.split(".")[2] for p in Path("build/.cache").glob("assessment.*.json"))


def break_german_only_for_assessment() -> str:
    """A German msgstr that msgfmt accepts and the translation checks refuse."""
    text = DE.read_text(encoding="utf-8")
    old = 'msgstr "Sehr geehrte Mitglieder der Kommunalvertretungen,"'
    assert old in text
    DE.write_text(text.replace(old, 'msgstr "Sehr <b>geehrte</b> Mitglieder,"'), "utf-8")
    return "msgstr contains raw HTML"


# -- lint LANG ---------------------------------------------------------------------


def test_lint_lang_translates_and_checks_that_language_alone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = break_german_only_for_assessment()
    assert main(["lint", "en"]) == 0
    assert capsys.readouterr().out.splitlines() == ["no errors"]
    assert verdicts() == ["en"]  # German was not weighed, nor any other language
    assert main(["lint", "en", "uk"]) == 0
    assert verdicts() == ["en", "uk"]
    assert main(["lint", "de"]) == 1
    assert problem in capsys.readouterr().err
    assert main(["lint"]) == 1  # every language
    assert verdicts() == ["ar", "de", "en", "fa", "pl", "tr", "uk"]


def test_lint_of_a_language_no_letter_has_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "en", "xx"]) == 1
    assert capsys.readouterr().err == "klpublish: error: no catalog for xx under locale\n"
    assert main(["lint", "da"]) == 0  # the letter's own language: nothing to check
    assert "no errors" in capsys.readouterr().out


def test_lint_lang_on_a_broken_letter_says_the_letter_s_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("source/letter.da.md").write_text(BROKEN_FRONT_MATTER, encoding="utf-8")
    assert main(["lint", "en"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"klpublish: error: {BROKEN_SAID}"), err
    assert "no catalog" not in err


def test_lint_lang_says_the_error_of_the_only_letter_with_that_language(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first letter has no Swedish; the second, broken, has: its error is said,
    not that no letter has Swedish."""
    shutil.copytree(SECOND, Path("source/second"))
    second = Path("source/second/second.da.md")
    second.write_text(BROKEN_FRONT_MATTER, encoding="utf-8")
    Path("locale/sv/LC_MESSAGES").mkdir(parents=True)
    Path("locale/sv/LC_MESSAGES/second.po").write_text('msgid ""\nmsgstr ""\n', "utf-8")
    assert main(["lint", "sv"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("source/second/second.da.md:2: invalid YAML front matter"), lines
    assert lines[-1] == "1 error(s)", lines


# -- one letter or many: one rule ---------------------------------------------------

ONE_LETTER_COMMANDS = [["extract"], ["publish"], ["status"], ["lint"], ["lint", "en"], ["check"]]


@pytest.mark.parametrize("command", ONE_LETTER_COMMANDS, ids=" ".join)
def test_with_one_letter_its_error_is_the_run_s(
    project: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    Path("source/letter.da.md").write_text(BROKEN_FRONT_MATTER, encoding="utf-8")
    assert main(command) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"klpublish: error: {BROKEN_SAID}"), err
    assert len(err.splitlines()) == 1, err


def test_a_refused_file_counts_as_a_letter_in_every_command(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Beside a file whose name makes no letter, the good letter's lines bear its
    name in status as in publish."""
    shutil.copy("source/letter.da.md", "source/Brev 1.da.md")
    Path("locale/de/LC_MESSAGES/letter.po").unlink()
    assert main(["publish", "--format", "html", "--no-index"]) == 1
    err = capsys.readouterr().err
    assert "  source/Brev 1.da.md: not published" in err, err
    assert main(["status", "--min", "50"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "letter (source/letter.da.md):", err
    assert err[-1].startswith("source/Brev 1.da.md: the letter's name 'Brev 1'"), err


# -- this process's own share of the work has a deadline --------------------------


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@pytest.mark.slow
def test_a_task_hanging_in_this_process_is_stopped_at_the_task_deadline(
    project: Path, tmp_path: Path
) -> None:
    """msgfmt hangs (its own deadline set long); ``lint en`` runs its one task in
    this process, which stops it at the task deadline and says which language."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pid_file = tmp_path / "msgfmt.pid"
    (bin_dir / "msgfmt").write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 600\n")
    (bin_dir / "msgfmt").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "KLPUBLISH_TASK_DEADLINE": "2",
        "KLPUBLISH_MSGFMT_DEADLINE": "600",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "klpublish", "lint", "en"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("lint was not stopped at its task deadline")
    finally:
        hung = int(pid_file.read_text()) if pid_file.exists() else 0
        if hung and _alive(hung):
            os.kill(hung, signal.SIGKILL)
            pytest.fail("the hung msgfmt was left running")
    assert proc.returncode == 1, err
    assert err == (
        "klpublish: error: klpublish spent more than 2 s on language en (translating and "
        "checking it) and stopped it (KLPUBLISH_TASK_DEADLINE gives it longer)\n"
    )


HANG_HERE = """
import sys, time
from klpublish.build.workers import Workers
with Workers(int(sys.argv[1])) as workers:
    workers.map(time.sleep, [600.0, 0.0], lambda seconds: f"sleeping {seconds:g} s")
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_this_process_s_own_task_has_the_deadline_of_a_worker_s(jobs: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", HANG_HERE, jobs],
        env={**os.environ, "KLPUBLISH_TASK_DEADLINE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    said = "klpublish spent more than 1 s on sleeping 600 s and stopped it"
    assert said in proc.stderr, proc.stderr


class _Interrupted(BaseException):
    pass


def _interrupt(signum: int, frame: object) -> None:
    raise _Interrupted


def test_an_engine_interrupted_mid_request_is_replaced_not_reused() -> None:
    """The rest of an interrupted answer must not be read as the next request's."""
    from klpublish import pandoc
    from klpublish.letter.nodes import plain_text

    engine = pandoc.engine()
    previous = signal.signal(signal.SIGALRM, _interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(_Interrupted):
            engine.request({"op": "read", "format": "markdown"}, ("[" * 30 + "x").encode(), "x")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not engine.alive
    doc = pandoc.markdown_to_ast("Tekst", "a.md")
    assert plain_text(doc["blocks"][0]["c"]) == "Tekst"
