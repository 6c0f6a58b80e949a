"""The operator's options: an output folder klpublish did not make is never
written, ``--out`` naming a file says so, and a percentage is a number from 0 to
100."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from klpublish.__main__ import main

MARKER = ".klpublish-output"
"""The file that says a folder is klpublish's (``output_folder.MARKER``)."""

HTML = ["--format", "html", "--lang", "en"]


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def someone_s_site(folder: Path) -> dict[str, bytes]:
    """A folder someone made, holding their own pages where klpublish would write."""
    (folder / "de").mkdir(parents=True)
    (folder / "index.html").write_text("<p>Our own front page</p>\n", encoding="utf-8")
    (folder / "de" / "letter.de.html").write_text("<p>Unser Brief</p>\n", encoding="utf-8")
    return files_in(folder)


# -- the output folder ----------------------------------------------------------------------


@pytest.mark.parametrize("command", [["publish", *HTML], ["publish"], ["index"]])
def test_a_folder_klpublish_did_not_make_is_not_written(
    project: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    before = someone_s_site(Path("site"))
    assert main([*command, "--out", "site"]) == 1
    err = capsys.readouterr().err
    assert (
        "klpublish: error: site: is a folder klpublish did not make, and it is not empty" in err
    ), err
    assert f"site/{MARKER}" in err  # what to do if it is klpublish's after all
    assert files_in(Path("site")) == before  # not a byte changed, nothing added


@pytest.mark.parametrize("command", [["status"], ["lint", "en"]])
def test_status_and_lint_write_no_record_into_a_folder_klpublish_did_not_make(
    project: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """They record each language's verdict in the output folder's build cache."""
    before = someone_s_site(Path("build"))
    assert main(command) == 1
    assert "build: is a folder klpublish did not make" in capsys.readouterr().err
    assert files_in(Path("build")) == before


@pytest.mark.parametrize("out", ["afile", "build/index.html"])
def test_out_naming_a_file_says_so(
    project: Path, capsys: pytest.CaptureFixture[str], out: str
) -> None:
    assert main(["publish", *HTML]) == 0
    Path("afile").write_text("mine\n", encoding="utf-8")
    before = Path(out).read_bytes()
    capsys.readouterr()
    for command in (["publish", *HTML], ["index"]):
        assert main([*command, "--out", out]) == 1
        err = capsys.readouterr().err.strip()
        assert err == (
            f"klpublish: error: {out}: is a file, not a folder: expected a folder for the outputs"
        ), err
    assert Path(out).read_bytes() == before


def test_klpublish_marks_the_folder_it_makes_and_writes_it_again(project: Path) -> None:
    assert main(["publish", *HTML, "--out", "site"]) == 0
    assert (Path("site") / MARKER).is_file()
    Path("site/en/letter.en.html").write_text("changed by hand", encoding="utf-8")
    assert main(["publish", *HTML, "--out", "site"]) == 0
    assert "changed by hand" not in Path("site/en/letter.en.html").read_text(encoding="utf-8")


def test_an_empty_folder_is_klpublish_s_to_fill(project: Path) -> None:
    Path("site").mkdir()
    assert main(["publish", *HTML, "--out", "site"]) == 0
    assert (Path("site") / MARKER).is_file()
    assert Path("site/en/letter.en.html").is_file()


@pytest.mark.parametrize("trace", ["records", "lock"])
def test_a_folder_an_older_klpublish_made_is_still_klpublish_s(project: Path, trace: str) -> None:
    """Before the marker, klpublish left its build records (``.cache/``) and its
    lock file in every folder it wrote."""
    build = Path("build")
    someone_s_site(build)
    if trace == "records":
        (build / ".cache").mkdir()
        record = {"key": "0", "percent": 100.0, "publishable": True, "name": "English"}
        (build / ".cache" / "assessment.letter.en.json").write_text(json.dumps(record))
    else:
        (build / ".klpublish.lock").touch()
    assert main(["publish", *HTML]) == 0
    assert (build / MARKER).is_file()
    assert "Our own front page" not in (build / "index.html").read_text(encoding="utf-8")


def test_another_tool_s_cache_is_no_klpublish_trace(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = someone_s_site(Path("site"))
    (Path("site") / ".cache" / "pip").mkdir(parents=True)
    assert main(["publish", *HTML, "--out", "site"]) == 1
    assert "is a folder klpublish did not make" in capsys.readouterr().err
    assert files_in(Path("site")) == before


def test_a_folder_its_owner_marked_is_klpublish_s(project: Path) -> None:
    someone_s_site(Path("site"))
    (Path("site") / MARKER).touch()
    assert main(["publish", *HTML, "--out", "site"]) == 0
    assert "Our own front page" not in Path("site/index.html").read_text(encoding="utf-8")


# -- percentages ---------------------------------------------------------------------------

NOT_PERCENT = ["nan", "NaN", "inf", "-inf", "-5", "101", "1e3", "-0.001", "abc", ""]


@pytest.mark.parametrize("value", NOT_PERCENT)
@pytest.mark.parametrize(
    "argv",
    [
        ["publish", "--threshold"],
        ["index", "--threshold"],
        ["status", "--threshold"],
        ["status", "--min"],
    ],
)
def test_a_percentage_is_a_number_from_0_to_100(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], value: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([argv[0], f"{argv[1]}={value}"])  # '=': argparse reads "-inf" as an option
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"error: argument {argv[1]}: '{value}' is not a percentage: expected 0 to 100" in err
    assert not Path("build").exists()


@pytest.mark.parametrize("value", ["0", "37.5", "100", "1e1", "-0"])
def test_status_takes_any_percentage(
    project: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    assert main(["status", "--min", value, "--threshold", value]) in (0, 1)
    assert "not a percentage" not in capsys.readouterr().err


def test_a_nan_threshold_never_publishes_a_partial_language(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``nan`` compares false with everything: as a threshold it let every
    language through, however little was translated."""
    with pytest.raises(SystemExit):
        main(["publish", "--format", "html", "--threshold", "nan"])
    assert not Path("build").exists()
