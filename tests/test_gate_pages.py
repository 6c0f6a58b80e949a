"""The gate tells each page's kind from the project's layout: every letter's HTML page and
EPUB chapters are letter pages, the index and the EPUB's navigation documents are not,
whatever the letter is called. pa11y's exemptions follow the kind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, copy_project
from klpublish.__main__ import main

SUMMIT = Path(__file__).parent / "letters" / "summit"
"""A second letter whose last paragraph names two web addresses in a sentence, as the
first letter's does: HTML_CodeSniffer's H48 fires on it."""
H48 = "WCAG2AA.Principle1.Guideline1_3.1_3_1.H48"


@pytest.fixture
def two_letters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project with the summit letter beside the first one, in the working folder."""
    root = copy_project(tmp_path / "two letters")
    shutil.copytree(SUMMIT, root / "source" / "summit")
    monkeypatch.chdir(root)
    monkeypatch.setenv("KLPUBLISH_NODE_PROJECT", str(ROOT))  # the copy has no node_modules
    return root


@pytest.mark.slow
def test_a_second_letters_page_keeps_the_h48_exemption(
    two_letters: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`klpublish check` on both letters' Danish pages and the index: the summit letter's
    paragraph of web addresses is running text, as the first letter's is."""
    assert main(["publish", "--lang", "da", "--format", "html"]) == 0
    capsys.readouterr()
    code = main(["check"])
    out = capsys.readouterr()
    report = json.loads((two_letters / "build" / "reports" / "pa11y.json").read_text("utf-8"))
    found = {r["file"]: r["problems"] for r in report["results"]}
    assert found["build/da/summit.da.html"] == [], found
    assert found["build/da/letter.da.html"] == [], found
    assert code == 0, out.out + out.err


@pytest.mark.slow
def test_every_letters_pages_are_letter_pages_and_the_rest_navigation(two_letters: Path) -> None:
    from klpublish.gate.published import index_page, read_published
    from klpublish.gate.tools import PA11Y_IGNORED, pa11y_urls
    from klpublish.letters import letter_layouts

    assert main(["publish", "--lang", "da", "--lang", "en"]) == 0
    layouts, _ = letter_layouts([], Path("locale"), Path("build"))
    kinds = {}
    for layout in layouts:
        for page in read_published(layout.absolute()).pages:
            parts = page.path.relative_to(two_letters / "build").parts
            kinds["/".join(p for p in parts if p not in ("reports", "epub", "EPUB"))] = page.kind
    index = index_page([layouts[0].absolute()], "da")
    assert index is not None and index.kind == "navigation"
    for name in ("letter", "summit"):
        assert kinds.pop(f"da/{name}.da.html") == "letter"
        assert kinds.pop(f"{name}/da/text/ch001.xhtml") == "letter"
        assert kinds.pop(f"{name}/da/nav.xhtml") == "navigation"
    assert set(kinds.values()) == {"letter", "navigation"}  # the same for English
    assert [entry["ignore"] for entry in pa11y_urls([(index.path, index.kind)])] == [[]]
    assert PA11Y_IGNORED["letter"] == (H48,)


def test_missing_node_checkers_are_named_with_the_folder_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from klpublish.errors import ToolError
    from klpublish.gate import tools

    monkeypatch.delenv("KLPUBLISH_NODE_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path)
    assert tools.node_project() == tmp_path.absolute()  # the folder klpublish runs in
    page = tmp_path / "a.html"
    for check in (
        lambda: tools.pa11y([(page, "letter")], tools.node_project(), "pa11y.config.js"),
        lambda: tools.aria_snapshots([page], tools.node_project()),
        lambda: tools.vnu([page], tools.node_project()),
    ):
        with pytest.raises(ToolError) as caught:
            check()
        message = str(caught.value)
        assert f"is not installed in {tmp_path / 'node_modules'}" in message, message
        assert "'npm ci'" in message and "KLPUBLISH_NODE_PROJECT" in message, message
    monkeypatch.setenv("KLPUBLISH_NODE_PROJECT", str(ROOT))
    assert tools.node_project() == ROOT
