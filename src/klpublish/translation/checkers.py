"""Checks of one translation against its source, in the style of Babel's checkers:
small functions ``(Pair) -> None`` that raise :class:`~klpublish.errors.Problem`.
One registry (:data:`CHECKERS`) for the letters' catalogs and the layout's words,
each checker marked with the catalogs it judges.

A translation is untrusted text: these checks stop what would break the letter
(a lost link or footnote, a changed number) or smuggle something into it (raw
HTML, a ``javascript:`` link, bidi overrides)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from enum import Flag, auto

from klpublish.errors import Problem, Severity
from klpublish.letter.budgets import length_problem
from klpublish.letter.characters import (
    character_problems,
    node_strings,
    references_to,
    visible,
)
from klpublish.letter.nodes import Node
from klpublish.letter.places import formula_problem
from klpublish.letter.policy import NODE_USES, TargetError, Use, judge
from klpublish.segments.walk import note_ref_number
from klpublish.translation.pair import Pair


def _meaning(url: str, kind: str) -> object:
    """What a target stands for: an image, the file it shows (``q.png?v=2`` and
    ``./q.png`` show one picture); a link, its text (the query and fragment are
    the reader's)."""
    if kind == "Image":
        try:
            return judge(url, Use.IMAGE).parts
        except TargetError:
            pass  # safe_urls says why
    return url


def _targets(nodes: list[Node], kind: str) -> dict[object, list[str]]:
    """Each target's meaning, with the addresses that name it, in order."""
    found: dict[object, list[str]] = {}
    for node in nodes:
        if node["t"] == kind:
            url = node["c"][2][0]
            found.setdefault(_meaning(url, kind), []).append(url)
    return found


def _targets_kept(pair: Pair, kind: str, dropped: str, added: str) -> None:
    source, ours = _targets(pair.theirs.nodes, kind), _targets(pair.ours.nodes, kind)
    for key, urls in source.items():
        if len(urls) > len(ours.get(key, [])):
            raise Problem(f"msgstr drops {dropped} {urls[len(ours.get(key, []))]}")
    for key, urls in ours.items():
        if len(urls) > len(source.get(key, [])):
            url = urls[len(source.get(key, []))]
            raise Problem(f"msgstr adds {added} {url}, which the source does not have")


def links_kept(pair: Pair) -> None:
    _targets_kept(pair, "Link", "the link to", "a link to")


def images_kept(pair: Pair) -> None:
    _targets_kept(pair, "Image", "the image", "the image")


def footnotes_kept(pair: Pair) -> None:
    wanted = pair.theirs.kinds["Note"]
    found = sorted(number for n in pair.ours.nodes if (number := note_ref_number(n)) is not None)
    for k in range(1, wanted + 1):
        if k not in found:
            raise Problem(f"msgstr drops the footnote reference [^{k}]")
    if len(found) != len(set(found)):
        raise Problem("msgstr repeats a footnote reference")
    if stray := re.findall(r"\[\^\d+\]", pair.ours.text):
        raise Problem(f"msgstr refers to footnote {stray[0]}, which the source lacks")


def emphasis_kept(pair: Pair) -> None:
    for kind, name in (("Emph", "emphasis"), ("Strong", "strong")):
        source, ours = pair.theirs.kinds[kind], pair.ours.kinds[kind]
        if source != ours:
            raise Problem(f"msgstr has {ours} {name} span(s), the source has {source}")


_RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|<!--|&#?\w+;")
_RAW_ATTR = re.compile(r"\{=\s*[A-Za-z]+\s*\}")
_RAW_TEX = re.compile(r"\\(begin|end|input|include|write|def|newcommand)\b")


def _raw_copies(pair: Pair) -> int:
    """How many of the source's raw inlines the translation repeats as text
    (read with raw HTML off, it has no raw inline of its own; see
    ``segments.restore_raw``, which makes these raw again)."""
    prose, count = pair.ours.prose, 0
    for node in pair.theirs.nodes:
        raw = " ".join(str(node["c"][1]).split()) if node["t"] == "RawInline" else ""
        if raw and raw in prose:
            prose, count = prose.replace(raw, " ", 1), count + 1
    return count


def no_raw_markup(pair: Pair) -> None:
    prose, source = pair.ours.prose, pair.theirs.prose
    for node in pair.theirs.nodes:  # the source's own raw inlines, copied as text
        if node["t"] == "RawInline":  # (segments.restore_raw makes them raw again)
            prose = prose.replace(" ".join(str(node["c"][1]).split()), " ", 1)
    if (match := _RAW_HTML.search(prose)) and not _RAW_HTML.search(source):
        raise Problem(f"msgstr contains raw HTML {match.group(0)[:40]!r}")
    if (match := _RAW_ATTR.search(pair.msgstr)) and not _RAW_ATTR.search(pair.msgid):
        raise Problem(f"msgstr contains a raw {match.group(0)} block or span")
    if (match := _RAW_TEX.search(prose)) and not _RAW_TEX.search(source):
        raise Problem(f"msgstr contains raw TeX {match.group(0)}")


def code_kept(pair: Pair) -> None:
    source, ours = pair.theirs.kinds["Code"], pair.ours.kinds["Code"]
    if source != ours:
        raise Problem(f"msgstr has {ours} code span(s), the source has {source}")
    if "`" in pair.ours.prose and "`" not in pair.theirs.prose:
        raise Problem("msgstr has unmatched backticks (`): a code span or fence?")


def safe_urls(pair: Pair) -> None:
    """Links and images as the policy (``targets.judge``) allows them in a
    letter. Only addresses are judged: "Data: 10 stycznia" is Polish for a date."""
    for node in pair.ours.nodes:
        if node["t"] in NODE_USES:
            url = node["c"][2][0]
            try:
                judge(url, NODE_USES[node["t"]])
            except TargetError as exc:
                raise Problem(f"msgstr links to an unsafe URL {url[:40]!r}: {exc}") from exc


_NUMBER = re.compile(r"(?:(?<!\w)-)?\d+(?:[-/.,:]\d+)*")
"""A number: digits, with the separators of dates, times, thousands and ranges
between them (``2018-01-10``, ``12:30``, ``1.000``, ``2018–2019``), and a minus
sign before them only where no letter or digit stands before it. The letters
around a number are no part of it: in ``covid-19`` and ``COVID-19`` the hyphen
joins a word and the number 19, and ``Default1`` and ``DEFAULT1`` hold the same
1; in ``-5 %`` the minus is a minus, and ``5 %`` drops it."""


_SEPARATORS = str.maketrans({"\u066b": ",", "\u066c": ".", "\u2212": "-", "\u2013": "-"})
"""Arabic decimal and thousands separators (``۱٬۰۰۰``), the minus sign and the
en dash (``2018–2019``), as ``_NUMBER`` reads them."""


class _Digits(dict[int, str]):
    """``str.translate``'s table from any digit to its ASCII digit, filled as
    characters are met (Persian, Arabic-Indic and other digits count as the same
    numbers: ۲۰۱۸ is 2018). Other characters map to themselves, and are kept only
    up to ``DIGITS_MOST`` entries: a catalog of every code point would otherwise
    fill it with 1.1 million (166 MB) for as long as the process runs."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch.isdigit():
            value = str(unicodedata.digit(ch))
        elif len(self) < DIGITS_MOST:
            value = ch
        else:
            raise LookupError(code)  # left as it is by ``translate``, and not kept
        self[code] = value
        return value


DIGITS_MOST = 10_000
_DIGITS = _Digits(_SEPARATORS)


def _numbers(text: str) -> Counter[str]:
    digits = text.translate(_DIGITS)
    # 1.000 and 1,000 are the same number written in two languages' styles.
    return Counter(re.sub(r"(?<=\d)[.,](?=\d)", "", m.group(0)) for m in _NUMBER.finditer(digits))


def numbers_kept(pair: Pair) -> None:
    source = _numbers(pair.theirs.text)
    ours = _numbers(pair.ours.text)
    for number in source - ours:
        raise Problem(f"msgstr drops the number {number}")


def characters_allowed(pair: Pair) -> None:
    """The character policy of ``characters.py``: the first error, else the
    first warning."""
    found = pair.written_problems
    for problem in sorted(found, key=lambda p: p.severity != Severity.ERROR):
        raise Problem(f"msgstr {problem.message}", problem.severity)


def decoded_characters_allowed(pair: Pair) -> None:
    """The character policy on the translation as pandoc decoded it (text, link
    titles, alt text, attributes): ``&#x202E;`` is a bidi override once read,
    though the msgstr holds only ASCII. What the msgstr holds as itself is
    :func:`characters_allowed`'s to report."""
    written = {p.message for p in pair.written_problems}
    decoded = "\n".join(s for node in pair.ours.nodes for s in node_strings(node))
    found = [p for p in character_problems(decoded) if p.message not in written]
    for problem in sorted(found, key=lambda p: p.severity != Severity.ERROR):
        reference = references_to(problem.char).search(pair.msgstr)
        how = f", written {reference.group(0)}" if reference else ""
        raise Problem(f"msgstr {problem.message}{how}", problem.severity)


def visible_text(pair: Pair) -> None:
    if visible(pair.msgid) and not visible(pair.msgstr):
        raise Problem(
            "msgstr has no visible text (only spaces or invisible characters): expected a "
            "translation, or an empty msgstr to keep the source text"
        )


_KINDS = {
    "Note": "footnote(s)",
    "Math": "math formula(s)",
    "Cite": "citation(s)",
    "RawInline": "raw inline(s)",
    "Span": "span(s)",
    "Strikeout": "strikeout span(s)",
    "Superscript": "superscript(s)",
    "Subscript": "subscript(s)",
    "SmallCaps": "small-caps span(s)",
    "Underline": "underlined span(s)",
    "Quoted": "quotation(s)",
    "LineBreak": "line break(s)",
}
"""What a translation may hold only as often as its source segment does (links,
images, code and emphasis have checks of their own, which name targets)."""


def kinds_kept(pair: Pair) -> None:
    source, ours = pair.theirs.kinds, pair.ours.kinds.copy()
    ours["RawInline"] += _raw_copies(pair)
    for kind, name in _KINDS.items():
        if source[kind] != ours[kind]:
            raise Problem(f"msgstr has {ours[kind]} {name}, the source has {source[kind]}")
    if source["Math"] and (said := formula_problem(pair.theirs.nodes, pair.ours.nodes)):
        raise Problem(said)


_AUTOLINK_CLASSES = {"uri", "email"}
"""Classes pandoc gives a link written ``<https://...>``: a form, not an attribute."""


def _attributes(nodes: list[Node]) -> Counter[str]:
    found: Counter[str] = Counter()
    for node in nodes:
        if node["t"] not in _ATTRIBUTED:
            continue
        ident, classes, pairs = node["c"][0]
        classes = [c for c in classes if not (node["t"] == "Link" and c in _AUTOLINK_CLASSES)]
        if ident or classes or pairs:
            parts = [f"#{ident}"] if ident else []
            parts += [f".{c}" for c in classes] + [f"{k}={v}" for k, v in pairs]
            found["{" + " ".join(parts) + "}"] += 1
    return found


_ATTRIBUTED = ("Link", "Image", "Span", "Code")


def attributes_kept(pair: Pair) -> None:
    source, ours = _attributes(pair.theirs.nodes), _attributes(pair.ours.nodes)
    for attr in ours - source:
        raise Problem(f"msgstr adds the attributes {attr[:60]}, which the source lacks")
    for attr in source - ours:
        raise Problem(f"msgstr drops the attributes {attr[:60]}")


def spaces_consistent(pair: Pair) -> None:
    for side, test in (("leading", str.startswith), ("trailing", str.endswith)):
        if test(pair.msgid, " ") != test(pair.msgstr, " "):
            raise Problem(f"{side} spaces differ from the source", Severity.WARNING)


_FINAL = {".": ".。۔।", "?": "?؟", "!": "!", ":": ":："}


def final_punctuation(pair: Pair) -> None:
    source = pair.msgid.rstrip()[-1:]
    ours = pair.msgstr.rstrip()[-1:]
    if source in _FINAL and ours not in _FINAL[source]:
        raise Problem(f"the source ends with {source!r}, msgstr does not", Severity.WARNING)
    if source not in _FINAL and any(ours in v for v in _FINAL.values()) and ours:
        raise Problem(f"msgstr ends with {ours!r}, the source does not", Severity.WARNING)


def length_ratio(pair: Pair) -> None:
    """The refusal of ``budgets.length_problem`` (which translations meet before
    they are read; memory meets it here), and a warning for a mere odd length."""
    too_long = length_problem(pair.msgid, pair.msgstr)
    if too_long is not None:
        raise Problem(too_long)
    source, ours = len(pair.msgid), len(pair.msgstr)
    if source >= 20 and not 0.33 <= ours / source <= 3.0:
        raise Problem(
            f"msgstr is {ours / source:.1f} times as long as the source", Severity.WARNING
        )


_PLACEHOLDER = re.compile(r"\{[A-Za-z_]+\}")


def placeholders_kept(pair: Pair) -> None:
    """The layout's words name the values put into them (``{page}``)."""
    source = sorted(_PLACEHOLDER.findall(pair.msgid))
    ours = sorted(_PLACEHOLDER.findall(pair.msgstr))
    for name in source:
        if name not in ours:
            raise Problem(f"msgstr drops the placeholder {name}")
    for name in ours:
        if name not in source:
            raise Problem(f"msgstr has a placeholder {name}, which the source lacks")
    if len(ours) != len(source):
        raise Problem("msgstr repeats a placeholder")


class Catalogs(Flag):
    """The catalogs a checker judges: a letter's (segments of Markdown, read by
    pandoc), the layout's words (plain text with placeholders), or both."""

    LETTER = auto()
    LAYOUT = auto()
    BOTH = LETTER | LAYOUT


CHECKERS: tuple[tuple[Callable[[Pair], None], Catalogs], ...] = (
    (links_kept, Catalogs.LETTER),
    (images_kept, Catalogs.LETTER),
    (footnotes_kept, Catalogs.LETTER),
    (emphasis_kept, Catalogs.LETTER),
    (code_kept, Catalogs.LETTER),
    (no_raw_markup, Catalogs.LETTER),
    (safe_urls, Catalogs.LETTER),
    (numbers_kept, Catalogs.LETTER),
    (kinds_kept, Catalogs.LETTER),
    (attributes_kept, Catalogs.LETTER),
    (placeholders_kept, Catalogs.LAYOUT),
    (characters_allowed, Catalogs.BOTH),
    (decoded_characters_allowed, Catalogs.LETTER),
    (visible_text, Catalogs.BOTH),
    (spaces_consistent, Catalogs.BOTH),
    (final_punctuation, Catalogs.BOTH),
    (length_ratio, Catalogs.LETTER),
)
"""Every checker, in the order its problems are said."""


def check_pair(pair: Pair, catalogs: Catalogs = Catalogs.LETTER) -> list[Problem]:
    """What the checkers of ``catalogs`` find in ``pair``, each checker's first."""
    found = []
    for checker, judges in CHECKERS:
        if catalogs in judges:
            try:
                checker(pair)
            except Problem as problem:
                found.append(problem)
    return found
