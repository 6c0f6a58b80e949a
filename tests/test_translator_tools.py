"""Our catalogs in the tools translators use, and back: GNU gettext, polib,
the Translate Toolkit. A file saved by any of them still builds the same letter."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from translate.storage import po as ttk_po

from klpublish.__main__ import main

EN = Path("locale/en/LC_MESSAGES/letter.po")


def with_msgmerge(path: Path) -> None:
    subprocess.run(
        [
            "msgmerge",
            "--quiet",
            "--previous",
            "--update",
            "--backup=off",
            str(path),
            "locale/letter.pot",
        ],
        check=True,
    )


def with_msgcat(path: Path) -> None:
    subprocess.run(["msgcat", "--width=60", str(path), "-o", str(path)], check=True)


def with_polib(path: Path) -> None:
    catalog = polib.pofile(str(path), wrapwidth=50)
    for entry in catalog:
        entry.tcomment = "Checked by the English reviewer."
    catalog.save(str(path))


def with_translate_toolkit(path: Path) -> None:
    store = ttk_po.pofile.parsefile(str(path))
    assert len([u for u in store.units if u.istranslated()]) >= 20
    path.write_bytes(bytes(store))


TOOLS: dict[str, Callable[[Path], None]] = {
    "msgmerge": with_msgmerge,
    "msgcat": with_msgcat,
    "polib": with_polib,
    "translate-toolkit": with_translate_toolkit,
}


def test_our_catalogs_pass_gnu_gettext_and_parsers() -> None:
    root = Path(__file__).resolve().parent.parent / "locale"
    for path in sorted(root.glob("*/LC_MESSAGES/letter.po")):
        subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)], check=True)
        assert len(polib.pofile(str(path)).translated_entries()) >= 20
        assert ttk_po.pofile.parsefile(str(path)).units


@pytest.mark.parametrize("tool", TOOLS)
def test_file_saved_by_a_translator_tool_still_builds(project: Path, tool: str) -> None:
    assert (
        main(["publish", "--lang", "en", "--format", "html", "--no-index", "--out", "before"]) == 0
    )
    before = Path("before/en/letter.en.html").read_bytes()
    TOOLS[tool](EN)
    assert (
        main(["publish", "--lang", "en", "--format", "html", "--no-index", "--out", "after"]) == 0
    )
    assert Path("after/en/letter.en.html").read_bytes() == before
    # And our own update accepts it, keeping every translation.
    assert main(["update"]) == 0
    assert (
        main(["publish", "--lang", "en", "--format", "html", "--no-index", "--out", "again"]) == 0
    )
    assert Path("again/en/letter.en.html").read_bytes() == before
