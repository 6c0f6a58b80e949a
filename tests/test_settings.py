"""Settings from the environment: each read by one parser when it is used, the same
for every command; a malformed value is a usage error (exit 2) that names the
variable and what was expected, before anything is written."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from klpublish.__main__ import main

COMMANDS = [
    ["extract"],
    ["update"],
    ["init", "sv"],
    ["publish"],
    ["publish", "--lang", "en", "--format", "html"],
    ["index"],
    ["status"],
    ["lint"],
    ["lint", "en"],
    ["check"],
]
NOT_AN_EPOCH = [
    "abc",
    "1515542400.5",
    "-1",
    "1e9",
    " 1515542400",
    "1515542400\n",
    "١٥١٥٥٤٢٤٠٠",  # Arabic-Indic digits: str.isdigit() says yes, and int() reads them
    "99999999999999999999",  # past the year 9999: no date can say it
]
EPOCH_SAID = (
    "klpublish: error: environment variable SOURCE_DATE_EPOCH: {value!r} is not a time: "
    "expected whole seconds since 1970-01-01 00:00 UTC, from 0 to 253402300799 "
    "(e.g. 1515542400)"
)


def files_under(*folders: str) -> dict[str, bytes]:
    return {
        str(p): p.read_bytes()
        for folder in folders
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("value", NOT_AN_EPOCH)
@pytest.mark.parametrize("command", [["extract"], ["publish"]], ids=" ".join)
def test_a_malformed_source_date_epoch_fails_extract_and_publish(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    value: str,
) -> None:
    before = files_under("locale", "source")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err == EPOCH_SAID.format(value=value) + "\n", err
    assert files_under("locale", "source") == before
    assert not Path("build").exists()


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_refuses_a_malformed_source_date_epoch_the_same_way(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    assert main(command) == 2
    assert capsys.readouterr().err == EPOCH_SAID.format(value="abc") + "\n"
    assert not Path("build").exists() and not Path("locale/sv").exists()


def test_extract_with_a_malformed_epoch_says_so_in_one_line(project: Path) -> None:
    """Run as a user runs it: no traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "klpublish", "extract"],
        env={**os.environ, "SOURCE_DATE_EPOCH": "abc"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == EPOCH_SAID.format(value="abc") + "\n"


@pytest.mark.parametrize("value", ["", "0", "1515542400", "0001515542400", "253402300799"])
def test_a_well_formed_or_empty_source_date_epoch_is_taken(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """Empty is unset: a Makefile or CI file often exports a variable it leaves empty."""
    from klpublish import settings

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert settings.source_date_epoch() == (int(value) if value else None)


def test_extract_and_publish_date_their_outputs_from_the_same_epoch(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1515628800")  # 2018-01-11 00:00 UTC
    Path("locale/letter.pot").unlink()  # a template whose only change is its date is kept
    assert main(["extract"]) == 0
    assert main(["publish", "--lang", "en", "--format", "epub", "--no-index"]) == 0
    pot = Path("locale/letter.pot").read_text(encoding="utf-8")
    assert '"POT-Creation-Date: 2018-01-11 00:00+0000\\n"' in pot
    with zipfile.ZipFile("build/en/letter.en.epub") as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
    assert "2018-01-11T00:00:00Z" in opf


# -- deadlines ---------------------------------------------------------------------

DEADLINES = ["KLPUBLISH_TASK_DEADLINE", "KLPUBLISH_PANDOC_DEADLINE", "KLPUBLISH_MSGFMT_DEADLINE"]
NOT_A_DEADLINE = ["abc", "0", "0.0", "-5", "inf", "nan", "1e3", "86401", "5s", " 5", "١٠"]


@pytest.mark.parametrize("value", NOT_A_DEADLINE)
@pytest.mark.parametrize("name", DEADLINES)
def test_a_bad_deadline_names_its_variable_and_what_was_expected(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["publish", "--lang", "en", "--format", "html"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"klpublish: error: environment variable {name}: {value!r} is not a ")
    assert "expected a number of seconds above 0 and at most 86400 (e.g. " in err, err
    assert len(err.splitlines()) == 1, err
    assert not Path("build").exists()


@pytest.mark.parametrize("name", DEADLINES)
def test_a_deadline_is_read_when_used(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Not at import: a value set afterwards (by a test, a library caller) counts."""
    from klpublish import settings

    deadline = next(d for d in settings.DEADLINES if d.name == name)
    monkeypatch.setenv(name, "2.5")
    assert deadline.seconds() == 2.5
    monkeypatch.delenv(name)
    assert deadline.seconds() == deadline.default


def test_the_gate_s_variables_have_klpublish_s_prefix_and_are_read_when_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from klpublish import settings
    from klpublish.gate import tools

    monkeypatch.setenv("KLPUBLISH_NODE_PROJECT", str(tmp_path))
    monkeypatch.setenv("KLPUBLISH_CHROMIUM", "/opt/chromium")
    assert tools.node_project() == tmp_path
    assert settings.chromium() == "/opt/chromium"
    monkeypatch.delenv("KLPUBLISH_NODE_PROJECT")
    monkeypatch.delenv("KLPUBLISH_CHROMIUM")
    monkeypatch.setenv("KLP_CHROMIUM", "/opt/old")  # the old prefix is no setting of ours
    assert tools.node_project() == Path(".").absolute()  # the project klpublish runs in
    assert settings.chromium() == "/usr/bin/chromium"
