"""Runs Word marks in another language, kept as ``lang`` spans. Pandoc's docx
reader drops ``w:lang``; it keeps a run's character style (with the ``styles``
extension) as a span's ``custom-style``. So each such run gets a character
style of its own, ``klpublish-lang-<tag>`` (based on the style it had, so its
formatting stays), and :func:`spans` turns those spans into ``lang`` spans."""

from __future__ import annotations

import re

from lxml import etree

from klpublish.letter.markup import ATTRIBUTES
from klpublish.word.archive import Package
from klpublish.word.inspect import NOTE_PARTS, W, main_part

PREFIX = "klpublish-lang-"
_LANG = re.compile(ATTRIBUTES["lang"])


def default_language(package: Package) -> str | None:
    """The document's language (its default run language), as Word wrote it."""
    styles = package.xml("word/styles.xml")
    if styles is None:
        return None
    found = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    return str(found.get(f"{W}val")) if found is not None and found.get(f"{W}val") else None


def _run_language(run: etree._Element) -> str | None:
    properties = run.find(f"{W}rPr")
    lang = properties.find(f"{W}lang") if properties is not None else None
    if lang is None:
        return None
    right_to_left = properties is not None and properties.find(f"{W}rtl") is not None
    value = lang.get(f"{W}bidi") if right_to_left else lang.get(f"{W}val")
    return str(value) if value and _LANG.fullmatch(str(value)) else None


def _primary(tag: str | None) -> str:
    return (tag or "").split("-")[0].lower()


def mark_languages(package: Package, letter_lang: str) -> tuple[Package, list[str]]:
    """``package`` with each run in a language other than the document's (and the
    letter's) given its language's style; and the languages found."""
    styles = package.xml("word/styles.xml")
    if styles is None:
        return package, []
    document = _primary(default_language(package)) or letter_lang
    parts = dict(package.parts)
    added: dict[str, tuple[str, str | None]] = {}
    for part in (main_part(package), *NOTE_PARTS):
        root = package.xml(part)
        if root is None:
            continue
        changed = False
        for run in root.iter(f"{W}r"):
            lang = _run_language(run)
            if lang is None or _primary(lang) in (document, letter_lang):
                continue
            _style(run, lang, added)
            changed = True
        if changed:
            parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    for style_id, (_lang, based_on) in added.items():
        style = etree.SubElement(styles, f"{W}style")
        style.set(f"{W}type", "character")
        style.set(f"{W}customStyle", "1")
        style.set(f"{W}styleId", style_id)
        etree.SubElement(style, f"{W}name").set(f"{W}val", style_id)
        if based_on:
            etree.SubElement(style, f"{W}basedOn").set(f"{W}val", based_on)
    if added:
        parts["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8")
    langs = sorted({lang for lang, _ in added.values()})
    return Package(package.path, package.reader, parts), langs


def _style(run: etree._Element, lang: str, added: dict[str, tuple[str, str | None]]) -> None:
    properties = run.find(f"{W}rPr")
    assert properties is not None
    old = properties.find(f"{W}rStyle")
    based_on = str(old.get(f"{W}val")) if old is not None else None
    style_id = f"{PREFIX}{lang}--{based_on}" if based_on else f"{PREFIX}{lang}"
    added[style_id] = (lang, based_on)
    if old is None:
        old = etree.Element(f"{W}rStyle")
        properties.insert(0, old)
    old.set(f"{W}val", style_id)


def language_of(custom_style: str) -> str | None:
    """The language a span's ``custom-style`` marks, or None for the author's own style."""
    if not custom_style.startswith(PREFIX):
        return None
    return custom_style[len(PREFIX) :].partition("--")[0]
