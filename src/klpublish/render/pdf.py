"""The tagged PDF (PDF/UA-1): pandoc writes Typst markup, Typst compiles it."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from klpublish import pandoc
from klpublish.errors import Location, ToolError
from klpublish.letter.figures import figures_and_tables
from klpublish.letter.fonts import font_paths
from klpublish.letter.nodes import Node, plain_text
from klpublish.letter.read import Letter
from klpublish.locales import language_facts
from klpublish.project import package_template
from klpublish.render.context import RenderContext, text
from klpublish.render.escape import token, typst_string
from klpublish.render.guard import Guarded, guard
from klpublish.render.pdf_figures import place_captions

if TYPE_CHECKING:
    import typst

LATIN_FONTS = '"Noto Sans"'
ARABIC_FONTS = '"Noto Sans Arabic", "Noto Sans"'
"""Arabic first for right-to-left text: with a Latin font first, Typst tags each
Arabic word separately and a screen reader meets them in reverse order."""


def sender_name(doc: Node) -> str:
    sender = doc["meta"].get("sender", {})
    name = sender.get("c", {}).get("name") if sender.get("t") == "MetaMap" else None
    return plain_text(name["c"]) if name and name["t"] == "MetaInlines" else ""


def sender_web(doc: Node) -> str:
    """The sender's web address as the letter gives it: a link's target is a
    string in Typst code, not markup."""
    sender = doc["meta"].get("sender", {})
    web = sender.get("c", {}).get("web") if sender.get("t") == "MetaMap" else None
    if not web:
        return ""
    return str(web["c"]) if web["t"] == "MetaString" else plain_text(web["c"])


def typst_source(doc: Node, ctx: RenderContext) -> str:
    meta = dict(doc["meta"])
    rtl = ctx.facts.direction == "rtl"
    meta["rtl"] = {"t": "MetaBool", "c": rtl}
    if ctx.date is not None:
        meta["date-year"] = text(str(ctx.date.year))
        meta["date-month"] = text(str(ctx.date.month))
        meta["date-day"] = text(str(ctx.date.day))
    page_label = ctx.labels["page-number"]
    variables = {
        "fonts": ARABIC_FONTS if rtl else LATIN_FONTS,
        # Typst takes a language and a region, and writes /Lang from them.
        "typst-lang": token(ctx.facts.language),
        "typst-region": token(ctx.facts.region) if ctx.facts.region else "",
        "page-label": typst_string(page_label.text),
        "page-label-lang": token(language_facts(page_label.lang).language),
        "digits": typst_string(ctx.facts.digits),
        "author": typst_string(sender_name(doc)),
        "sender-web-url": typst_string(sender_web(doc)),
    }
    return pandoc.ast_to_text(
        {**doc, "meta": meta},
        "typst",
        "PDF",
        options={"variables": variables, "wrap_text": "wrap-none"},
        template=str(package_template("letter.typ")),
        filters=(str(package_template("typst-filter.lua")),),
    )


def render_pdf(doc: Node | Guarded, ctx: RenderContext, letter: Letter) -> bytes:
    import typst

    checked = guard(doc, Path(letter.path).parent, "PDF")
    safe, pictures = checked.named, checked.pictures
    source = typst_source(safe, ctx)
    # Typst's root is a fresh folder holding only the checked images: Typst can
    # read nothing else of the machine, whatever the markup asks for.
    with tempfile.TemporaryDirectory(prefix="klpublish-typst-") as root:
        for name, picture in pictures.items():
            (Path(root) / name).write_bytes(picture.data)
        try:
            pdf = _compile(source, ctx, Path(root))
        except typst.TypstError as exc:
            where = _culprit(safe, ctx, Path(root), letter)
            raise ToolError(
                f"{ctx.lang}: Typst could not make the PDF from {where}: {exc}. {_advice(str(exc))}"
            ) from exc
    if not isinstance(pdf, bytes):  # pragma: no cover - typst returns bytes for one file
        raise ToolError("Typst returned no PDF")
    figures, tables = figures_and_tables(safe["blocks"])
    return place_captions(
        pdf,
        figures,
        f"{ctx.lang}: the PDF",
        tables=tables,
    )


def _compile(source: str, ctx: RenderContext, root: Path) -> object:
    import typst

    # A compiler per PDF, with the process's fonts: it reads only this PDF's root,
    # and keeps none of another PDF's files once it is done.
    return typst.Compiler(root=root, font_paths=_fonts()).compile(
        input=source.encode("utf-8"), format="pdf", pdf_standards=["ua-1"], timestamp=ctx.epoch
    )


def warm_typst() -> None:
    """The process's fonts read, and those the letters use loaded (on a worker's idle
    start)."""
    import typst

    source = f"#set text(font: ({ARABIC_FONTS}))\nA \u0627"
    with tempfile.TemporaryDirectory(prefix="klpublish-typst-") as root:
        typst.Compiler(root=root, font_paths=_fonts()).compile(
            input=source.encode("utf-8"), format="pdf"
        )


@cache
def _fonts() -> typst.Fonts:
    """The fonts the PDF embeds, read once per process and shared by its compilers
    (a letter's eight PDFs: 14 ms each when each compile read them, 9 ms shared)."""
    import typst

    return typst.Fonts(include_system_fonts=False, font_paths=[Path(p) for p in font_paths()])


def _culprit(doc: Node, ctx: RenderContext, root: Path, letter: Letter) -> str:
    """Where the text Typst refused comes from, as ``path:line`` and the segment.

    Typst's errors point into the generated markup, not into the letter or a
    catalog. So the letter is compiled again with its first k blocks only, and
    the smallest k that fails names the block (a dozen compiles at most)."""
    import typst

    def fails(count: int) -> bool:
        try:
            _compile(typst_source({**doc, "blocks": doc["blocks"][:count]}, ctx), ctx, root)
        except typst.TypstError:
            return True
        return False

    if fails(0):
        return f"the front matter ({letter.path}:1)"
    low, high = 1, len(doc["blocks"])
    while low < high:  # the smallest count of blocks that fails
        middle = (low + high) // 2
        low, high = (low, middle) if fails(middle) else (middle + 1, high)
    block = plain_text(letter.doc["blocks"][low - 1 : low])
    from klpublish.segments.messages import letter_messages

    for message in letter_messages(letter):
        text = plain_text(message.site.inlines)
        if text and text in block:
            where = Location(letter.path, message.line)
            return f"the segment at {where} ('{message.msgid[:50]}')"
    return f"block {low} of the letter"


def _advice(message: str) -> str:
    """What to do about a Typst error, which names no line of ours."""
    if "could not be displayed with font" in message:
        return "No font the PDF embeds has that character: write it another way or leave it out"
    return (
        "Look for that text in the letter and in this language's catalog "
        "(klpublish lint shows each segment's line); report it if it is not there"
    )
