"""Every shipped catalog through the tools translators and platforms save PO files
with, then back through ``update``: GNU gettext's msgcat (its layouts and orders)
and msgmerge, polib saving as Poedit does, the Translate Toolkit. ``update`` then
changes nothing, byte for byte, and lint and publish accept each file.

The layout's words (``klpublish.po``) go through the project's own copy of them,
``locale/<lang>/LC_MESSAGES/klpublish.po``, which ``update`` merges as it merges a
letter's catalog."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from translate.storage import po as ttk_po

from helpers import ROOT, copy_project
from klpublish.__main__ import main

PACKAGE_LOCALE = ROOT / "src" / "klpublish" / "locale"
DEADLINE = 60
"""Seconds for one tool's run over a catalog (a fraction of one, normally)."""


def shipped_project(root: Path) -> list[Path]:
    """The project copied to ``root`` with the package's catalogs of the layout's
    words as its own; every catalog of it, each with its template."""
    copy_project(root)
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    for po in sorted(PACKAGE_LOCALE.glob("*/LC_MESSAGES/klpublish.po")):
        shutil.copy(po, root / "locale" / po.relative_to(PACKAGE_LOCALE))
    return sorted((root / "locale").glob("*/LC_MESSAGES/*.po"))


def template_of(po: Path) -> Path:
    if po.stem == "klpublish":
        return PACKAGE_LOCALE / "klpublish.pot"
    return po.parents[2] / f"{po.stem}.pot"


def gnu(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=DEADLINE)


def msgcat(*options: str) -> Callable[[Path], None]:
    def save(po: Path) -> None:
        gnu("msgcat", *options, str(po), "-o", str(po))

    return save


def msgmerge_previous(po: Path) -> None:
    gnu(
        "msgmerge",
        "--quiet",
        "--previous",
        "--update",
        "--backup=off",
        str(po),
        str(template_of(po)),
    )


def poedit(po: Path) -> None:
    """As Poedit saves: polib's writer wrapping at 79 columns, its own header fields."""
    catalog = polib.pofile(str(po), wrapwidth=79)
    catalog.metadata["X-Generator"] = "Poedit 3.4.2"
    catalog.metadata["X-Poedit-SourceCharset"] = "UTF-8"
    catalog.metadata["X-Poedit-Basepath"] = "../../.."
    catalog.save(str(po))


def translate_toolkit(po: Path) -> None:
    store = ttk_po.pofile.parsefile(str(po))
    po.write_bytes(bytes(store))


TOOLS: dict[str, Callable[[Path], None]] = {
    "msgcat": msgcat(),
    "msgcat -w 40": msgcat("--width=40"),
    "msgcat --no-wrap": msgcat("--no-wrap"),
    "msgcat --sort-output": msgcat("--sort-output"),
    "msgcat --sort-by-file": msgcat("--sort-by-file"),
    "msgmerge --previous": msgmerge_previous,
    "poedit": poedit,
    "translate-toolkit": translate_toolkit,
}


@pytest.mark.parametrize("tool", TOOLS)
def test_a_catalog_a_tool_saved_goes_through_update_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tool: str
) -> None:
    catalogs = shipped_project(tmp_path)
    assert len(catalogs) == 14
    monkeypatch.chdir(tmp_path)
    for po in catalogs:
        TOOLS[tool](po)
    saved = {po: po.read_bytes() for po in catalogs}
    assert main(["update"]) == 0
    changed = [str(po.relative_to(tmp_path)) for po in catalogs if po.read_bytes() != saved[po]]
    assert changed == [], f"update rewrote what {tool} saved"
    assert main(["lint"]) == 0
    assert main(["publish", "--format", "html", "--no-index", "--out", "out"]) == 0
    assert len(list((tmp_path / "out").glob("*/letter.*.html"))) == 8  # Danish and the seven


# -- where a new entry goes: where msgmerge puts it ------------------------------------

NEW_PARAGRAPHS = (
    ("Kære kommunalbestyrelser\n\n", "Aller først: et nyt afsnit.\n\n"),
    (
        "Vi vil gerne benytte anledningen",
        "Øvrige bemærkninger kommer her.\n\nVi vil gerne benytte anledningen",
    ),
)


def keys(po: Path) -> list[tuple[str | None, str, bool]]:
    return [(e.msgctxt, e.msgid, bool(e.obsolete)) for e in polib.pofile(str(po))]


@pytest.mark.parametrize("order", ["", "--sort-output", "--sort-by-file"])
def test_a_new_entry_goes_where_msgmerge_puts_it(project: Path, order: str) -> None:
    """A catalog saved in any order keeps it; the letter's new paragraphs go
    where ``msgmerge`` (with the same sorting) puts them."""
    po = Path("locale/de/LC_MESSAGES/letter.po")
    if order:
        gnu("msgcat", order, str(po), "-o", str(po))
    saved = project / "saved.po"
    shutil.copy(po, saved)
    source = Path("source/letter.da.md")
    text = source.read_text(encoding="utf-8")
    for old, new in NEW_PARAGRAPHS:
        assert text.count(old) == 1
        text = text.replace(old, old + new if old.endswith("\n\n") else new)
    source.write_text(text, encoding="utf-8")
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    merged = project / "merged.po"
    gnu(
        "msgmerge",
        "--quiet",
        "--previous",
        *([order] if order else []),
        "-o",
        str(merged),
        str(saved),
        "locale/letter.pot",
    )
    assert keys(po) == keys(merged)
    assert len(keys(po)) == len(keys(saved)) + 2
