"""The tagged PDF (PDF/UA-1): pandoc writes Typst markup, Typst compiles it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .. import pandoc
from ..errors import ToolError
from ..locales import language_facts
from ..locations import plain_text
from ..segments import Node
from ..source import Letter
from .context import RenderContext, text
from .html import template_path

LATIN_FONTS = '"Noto Sans"'
ARABIC_FONTS = '"Noto Sans Arabic", "Noto Sans"'
"""Arabic first for right-to-left text: with a Latin font first, Typst tags each
Arabic word separately and a screen reader meets them in reverse order."""


@cache
def font_paths() -> tuple[str, ...]:
    import fontpkg_noto_sans
    import fontpkg_noto_sans_arabic

    return tuple(str(Path(m.ROOT) / "files") for m in (fontpkg_noto_sans, fontpkg_noto_sans_arabic))


def typst_string(value: str) -> str:
    """A Typst string literal; control characters are dropped."""
    clean = "".join(ch for ch in value if ch >= " " or ch == "\t")
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sender_name(doc: Node) -> str:
    sender = doc["meta"].get("sender", {})
    name = sender.get("c", {}).get("name") if sender.get("t") == "MetaMap" else None
    return plain_text(name["c"]) if name and name["t"] == "MetaInlines" else ""


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
        "typst-lang": ctx.facts.language,
        "typst-region": ctx.facts.region,
        "page-label": typst_string(page_label.text),
        "page-label-lang": language_facts(page_label.lang).language,
        "digits": typst_string(ctx.facts.digits),
        "author": typst_string(sender_name(doc)),
    }
    return pandoc.ast_to_text(
        {**doc, "meta": meta},
        "typst",
        "PDF",
        options={"variables": variables, "wrap_text": "wrap-none"},
        template=template_path("letter.typ"),
        filters=(template_path("typst-filter.lua"),),
    )


def render_pdf(doc: Node, ctx: RenderContext, letter: Letter) -> bytes:
    import typst

    source = typst_source(doc, ctx)
    try:
        # The stubs tie input, root and font paths to one type; Typst takes them mixed.
        pdf = typst.compile(  # type: ignore[call-overload]
            source.encode("utf-8"),
            format="pdf",
            pdf_standards=["ua-1"],
            font_paths=[Path(p) for p in font_paths()],
            ignore_system_fonts=True,
            root=Path(letter.path).resolve().parent,
            timestamp=ctx.epoch,
        )
    except typst.TypstError as exc:
        raise ToolError(f"Typst could not make the PDF: {exc}") from exc
    if not isinstance(pdf, bytes):  # pragma: no cover - typst returns bytes for one file
        raise ToolError("Typst returned no PDF")
    return pdf
