"""The project's shared paths (``project.Project``) and the AST's one visitor
(``letter/nodes.py``), asked directly: what each answers, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from klpublish.catalogs.memory import TranslationMemory
from klpublish.errors import CatalogError
from klpublish.letter.nodes import iter_nodes, plain_text
from klpublish.project import Project

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de\\n"

msgid "Hemmelig"
msgstr "Geheim"
"""


def _tree(root: Path) -> Project:
    locales = root / "locale"
    for path in (
        "de/LC_MESSAGES/letter.po",
        "de/LC_MESSAGES/klpublish.po",
        "fr/LC_MESSAGES/klpublish.po",
        "sv/glossary.tbx",
    ):
        (locales / path).parent.mkdir(parents=True, exist_ok=True)
        (locales / path).write_text(PO, encoding="utf-8")
    (locales / "en").mkdir()
    return Project(locales, root / "build")


def test_a_language_is_one_with_a_letter_s_catalog(tmp_path: Path) -> None:
    """The layout's words or a glossary alone make no language of the project."""
    assert _tree(tmp_path).project_languages() == ["de"]


def test_a_language_s_letter_catalogs_leave_out_the_layout_s_words(tmp_path: Path) -> None:
    project = _tree(tmp_path)
    (tmp_path / "locale" / "de" / "LC_MESSAGES" / "second.po").write_text(PO, encoding="utf-8")
    assert [p.name for p in project.letter_catalogs("de")] == ["letter.po", "second.po"]


def test_memory_refuses_a_sibling_catalog_that_leads_outside(tmp_path: Path) -> None:
    """Another letter's catalog is memory; one that is a link out of locale/ (to a
    secret, say) is refused before it is read."""
    project = _tree(tmp_path)
    secret = tmp_path / "secret.po"
    secret.write_text(PO, encoding="utf-8")
    (tmp_path / "locale" / "de" / "LC_MESSAGES" / "second.po").symlink_to(secret)
    memory = TranslationMemory([], ["de"], project)
    with pytest.raises(CatalogError, match=r"leads outside .*locale"):
        memory.sources(project.po_path("letter", "de"), "de")


def test_plain_text_says_breaks_as_spaces_and_leaves_out_notes_and_targets() -> None:
    inlines = [
        {"t": "Str", "c": "Se"},
        {"t": "LineBreak"},
        {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "kl.dk"}], ["https://x.dk", "T"]]},
        {"t": "Note", "c": [{"t": "Para", "c": [{"t": "Str", "c": "fodnote"}]}]},
        {"t": "SoftBreak"},
        {"t": "Code", "c": [["", [], []], "kode"]},
    ]
    assert plain_text(inlines) == "Se kl.dk kode"


def test_nodes_come_in_document_order_at_any_depth() -> None:
    """A stack, not recursion: nesting deeper than Python's recursion limit is read."""
    deep: dict[str, object] = {"t": "Str", "c": "bund"}
    for _ in range(5000):
        deep = {"t": "Emph", "c": [deep]}
    doc = [{"t": "Str", "c": "a"}, deep, {"t": "Str", "c": "b"}]
    strings = [n["c"] for n in iter_nodes(doc) if n["t"] == "Str"]
    assert strings == ["a", "bund", "b"]
