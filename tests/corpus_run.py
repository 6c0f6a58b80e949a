"""One corpus document through klpublish as a newcomer runs it (``test_corpus``):
extract, a catalog copying every msgid (identity) and one translating every word
(pseudo), ``lint``, ``publish`` in every format; then what each output shows.

Everything runs in this process, in a project of its own under a temporary
folder: the commands through ``klpublish.__main__.main``, as a user types them."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib
from lxml import html as lxml_html

from helpers import pseudo_strings
from klpublish import pandoc
from klpublish.__main__ import main
from klpublish.letter.read import READER, parse_document
from klpublish.segments.messages import letter_messages

TESTS = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("KLPUBLISH_CORPUS") or TESTS.parents[1] / "shared" / "corpus")
"""Where the other projects' documents are: the workplace keeps data fetched from
other repositories in its steering repository's ``shared/`` folder, never in this
one (``tests/corpus/gather.py`` writes them there, each folder with its licence and
README). A document ``corpus/<source>/...`` is ``SHARED/<source>/...``."""
OTHERS = ("pandoc", "translate-toolkit", "mdpo")
OURS = ("roundtrip-docs",)
"""The documents kept here: mdpo's and the project's own documents of real letters'
cases (see ``roundtrip-docs/README.md``)."""
MANIFEST = TESTS / "corpus" / "manifest.json"
SOURCE = Path("source/doc.da.md")
FRONT_MATTER = "---\ntitle: Prøve\nlang: da\n---\n\n"
"""What a newcomer puts above a document that has no YAML front matter."""
IDENTITY, PSEUDO = "en", "de"
FORMATS = ("html", "epub", "pdf")
LOCATED = re.compile(r"^(source|locale)/[^:]+:\d+: ")


def corpus_documents() -> list[str]:
    """Every corpus document there is, by its name (its path under ``tests/``, or
    ``corpus/<source>/...`` for another project's)."""
    ours = [p for folder in OURS for p in (TESTS / folder).rglob("*.md")]
    ours += (TESTS / "real-documents").glob("*.da.md")
    names = [str(p.relative_to(TESTS)) for p in ours]
    others = [p for folder in OTHERS for p in (SHARED / folder).rglob("*.md")]
    names += [f"corpus/{p.relative_to(SHARED)}" for p in others]
    return sorted(name for name in names if Path(name).name != "README.md")


def document_path(name: str) -> Path:
    """The file of the document named ``name`` (see :func:`corpus_documents`)."""
    if name.startswith("corpus/"):
        return SHARED / name.removeprefix("corpus/")
    return TESTS / name


def expected_outcomes() -> dict[str, dict[str, Any]]:
    """What the manifest says of each document it names (the others pass every
    check); its ``finding`` notes say which issue a known failure belongs to."""
    data: dict[str, dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def letter_text(text: str) -> str:
    """The document as a letter: with the front matter a letter needs, when it has none."""
    lines = text.splitlines()
    if len(lines) > 1 and lines[0].strip() == "---" and lines[1].strip():
        return text
    return FRONT_MATTER + text


@dataclass
class Said:
    code: int
    lines: list[str]

    @property
    def said(self) -> list[str]:
        return [line.removeprefix("klpublish: error: ").strip() for line in self.lines]

    @property
    def errors(self) -> list[str]:
        """What the command refused: its error line, or each indented reason."""
        return [
            line.removeprefix("klpublish: error: ").strip()
            for line in self.lines
            if line.startswith(("    ", "klpublish: error: "))
        ]


def run(*argv: str) -> Said:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(argv))
    return Said(code, out.getvalue().splitlines())


@dataclass
class Outcome:
    """What became of one document; empty fields are left out of ``as_dict``."""

    extract: str = ""
    """Why ``extract`` refused the document."""
    refused: list[str] = field(default_factory=list)
    """Why ``publish`` refused it (the source, or a language)."""
    identity: list[str] = field(default_factory=list)
    """Blocks of the identity copy's page that differ from pandoc's own HTML."""
    pseudo: list[str] = field(default_factory=list)
    """Texts of the pseudo-translated page that were not translated."""
    disagreement: list[str] = field(default_factory=list)
    """Where lint and publish disagree."""

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v}


def _write_catalogs(text: str) -> None:
    """The identity and the pseudo catalogs: ``init``'s, each msgstr filled
    and saved by polib, as a translator's editor does."""
    messages = letter_messages(parse_document(text, str(SOURCE)))
    for lang, strings in (
        (IDENTITY, [m.msgid for m in messages]),
        (PSEUDO, pseudo_strings(messages)),
    ):
        assert run("init", lang).code == 0
        filled = {(m.context, m.msgid): s for m, s in zip(messages, strings, strict=True)}
        po = polib.pofile(f"locale/{lang}/LC_MESSAGES/doc.po")
        for entry in po:
            entry.msgstr = filled[(entry.msgctxt, entry.msgid)]
        po.save()


def check_document(text: str, formats: tuple[str, ...] = FORMATS) -> Outcome:
    """``text`` through every command, in the working directory (empty); the
    source's language published in ``formats``, the translations as web pages."""
    outcome = Outcome()
    SOURCE.parent.mkdir()
    text = letter_text(text)
    SOURCE.write_text(text, encoding="utf-8")
    extracted = run("extract")
    if extracted.code != 0:
        outcome.extract = "\n".join(extracted.errors or extracted.lines)
        return outcome
    _write_catalogs(text)
    lint = run("lint")
    # Every format of the source's language (the translations' text is the
    # source's, or the source's with every word bracketed): the web page of each.
    source = run("publish", "--no-index", "--lang=da", *(f"--format={f}" for f in formats))
    pages = run("publish", "--no-index", f"--lang={IDENTITY}", f"--lang={PSEUDO}", "--format=html")
    published = Said(max(source.code, pages.code), source.lines + pages.lines)
    outcome.refused = list(dict.fromkeys(published.errors))
    outcome.disagreement = list(_disagreements(lint, published))
    if (Path("build") / IDENTITY / f"doc.{IDENTITY}.html").is_file():
        outcome.identity = identity_differences(text)
    if (Path("build") / PSEUDO / f"doc.{PSEUDO}.html").is_file():
        outcome.pseudo = untranslated_texts()
    return outcome


def _disagreements(lint: Said, published: Said) -> Iterator[str]:
    """What publish refuses, lint says, in the same words and at the same line;
    what lint accepts, publish renders."""
    if lint.code == 0 and published.code != 0:
        yield "lint accepts what publish refuses"
    said = set(lint.said)
    for error in published.errors:
        if error not in said:
            yield f"lint does not say: {error}"


# -- identity: the page against pandoc's own HTML ----------------------------


def pandoc_blocks(text: str) -> list[str]:
    """Pandoc's own HTML of the document's body, block by block."""
    doc = pandoc.markdown_to_ast(text, str(SOURCE), READER)
    page = pandoc.ast_to_bytes(
        doc, "html5", "pandoc", {"section_divs": True, "wrap_text": "wrap-none"}
    ).decode("utf-8")
    fragment = lxml_html.fragment_fromstring(page, create_parent="div")
    return [_block(e) for e in fragment]


def published_blocks(path: Path) -> list[str]:
    """The letter's body in a published page, block by block: what follows the
    reference list (and the abstract) in its article."""
    page = lxml_html.fromstring(path.read_bytes())
    article = page.find(".//main/article")
    assert article is not None, path
    blocks = list(article)
    reference = next(n for n, e in enumerate(blocks) if e.get("class") == "reference")
    body = [e for e in blocks[reference + 1 :] if e.get("class") not in ("abstract", "closing")]
    return [_block(e) for e in body]


def _block(element: Any) -> str:
    """A block as a reader gets it: an image's data as its name's place."""
    for image in element.iter("img"):
        if (image.get("src") or "").startswith("data:"):
            image.set("src", "(embedded)")
    return lxml_html.tostring(element, encoding="unicode", with_tail=False).strip()


def identity_differences(text: str) -> list[str]:
    ours = published_blocks(Path("build") / IDENTITY / f"doc.{IDENTITY}.html")
    theirs = [
        re.sub(r' src="[^"]*"', ' src="(embedded)"', b) if "<img" in b else b
        for b in pandoc_blocks(text)
    ]
    ours = [re.sub(r' src="[^"]*"', ' src="(embedded)"', b) if "<img" in b else b for b in ours]
    found = []
    for n in range(max(len(ours), len(theirs))):
        mine = ours[n] if n < len(ours) else "(none)"
        pandocs = theirs[n] if n < len(theirs) else "(none)"
        if mine != pandocs:
            found.append(f"block {n + 1}: {_short(mine)} != pandoc {_short(pandocs)}")
    return found[:3]


def _short(block: str) -> str:
    return block if len(block) <= 160 else block[:157] + "..."


# -- pseudo: every text the reader sees is translated ----------------------------

SKIPPED = ("code", "pre", "script", "style", "math")
SKIPPED_CLASSES = ("math", "footnote-ref", "footnote-back")
PSEUDO_WORD = re.compile(r"‹[^›]*›")


def _skipped(element: Any) -> bool:
    classes = set((element.get("class") or "").split())
    return element.tag in SKIPPED or bool(classes & set(SKIPPED_CLASSES))


def untranslated_texts() -> list[str]:
    """Every text of the pseudo-translated page's letter (title and body) with a
    letter outside a pseudo-translated word (what has no letter is no segment:
    ``letter_messages``)."""
    page = lxml_html.fromstring((Path("build") / PSEUDO / f"doc.{PSEUDO}.html").read_bytes())
    article = page.find(".//main/article")
    assert article is not None
    found: list[str] = []
    _walk(article, found, skip=False)
    for image in article.iter("img"):
        _judge(image.get("alt") or "", found)
    return found[:5]


def _walk(element: Any, found: list[str], skip: bool) -> None:
    if not isinstance(element.tag, str):
        return
    inside = skip or _skipped(element) or element.get("class") == "reference"
    if not inside:
        _judge(element.text or "", found)
    for child in element:
        _walk(child, found, inside)
        if not inside:
            _judge(child.tail or "", found)


def _judge(text: str, found: list[str]) -> None:
    left = PSEUDO_WORD.sub("", text)
    if any(ch.isalpha() for ch in left):
        found.append(text.strip())


# -- the manifest, rewritten after a deliberate change --------------------------


def _outcome_of(name: str) -> tuple[str, dict[str, Any]]:
    import tempfile

    # Kept to the end of the run: pandoc's engine keeps the folder it started in.
    os.chdir(tempfile.mkdtemp(prefix="corpus-"))
    return name, check_document(document_path(name).read_text(encoding="utf-8")).as_dict()


def write_manifest(jobs: int = 2) -> int:
    """Every document's outcome into the manifest, keeping each ``finding`` note
    whose outcome is still there."""
    import multiprocessing

    old = expected_outcomes() if MANIFEST.exists() else {}
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        found = dict(pool.imap_unordered(_outcome_of, corpus_documents()))
    manifest = {}
    for name in sorted(found):
        outcome = found[name]
        if not outcome:
            continue
        note = old.get(name, {}).get("finding")
        kept = {k: v for k, v in old.get(name, {}).items() if k != "finding"}
        manifest[name] = {**outcome, **({"finding": note} if note and kept == outcome else {})}
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{len(found)} documents, {len(manifest)} in the manifest")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(write_manifest())
