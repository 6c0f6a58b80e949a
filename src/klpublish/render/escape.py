"""The escaping writers: every value from a letter or a catalog reaches an output
through the one for its place.

Pandoc escapes text it writes itself (a document's inlines, its OPF, NCX and
navigation) and lxml escapes what the EPUB's post-processing sets. What a
template interpolates is ours to escape: pandoc's template engine escapes
``< > &`` in a variable but not ``"``, so a value between an attribute's quotes
would end the attribute and add its own (``Sprachen" onfocus="...``).
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import quote, urlsplit

from klpublish.errors import ToolError


def html_attribute(value: str) -> str:
    """``value`` for the inside of a double- or single-quoted HTML or XML attribute."""
    return html.escape(value, quote=True)


URL_KEPT = "/:?#[]@!$&'()*+,;=%~"
"""Characters a URL keeps as they are: RFC 3986's reserved set and ``%`` (an
escape already made); letters, digits and ``-._`` are always kept."""

URL_SCHEMES = ("", "http", "https")
"""A link the layout writes goes to the web, or to a file beside the page."""


def url(value: str) -> str:
    """``value`` as a URL for an ``href``: a scheme other than the web's is refused
    (``javascript:``), anything outside a URL's characters percent-encoded
    (spaces, quotes, ``<>``, non-ASCII). Still to be escaped for its attribute."""
    try:
        scheme = urlsplit(value).scheme
    except ValueError as exc:
        raise ToolError(f"the address {value[:60]!r} is not a URL: {exc}") from exc
    if scheme.lower() not in URL_SCHEMES:
        raise ToolError(f"the address {value[:60]!r} is not a web address (http or https)")
    return quote(value, safe=URL_KEPT)


_TOKEN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def token(value: str) -> str:
    """A language tag or a direction (``pt-BR``, ``rtl``), which templates put
    into attributes and Typst code as it stands: pandoc's default EPUB template
    writes ``lang="$lang$"``, ``letter.typ`` writes ``lang: "$...$"`` and
    ``dir: $source-dir$``. Such a value has one shape; anything else stops here."""
    if not _TOKEN.fullmatch(value):
        raise ToolError(f"{value[:60]!r} is not a language tag or a text direction")
    return value


def typst_string(value: str) -> str:
    """A Typst string literal holding ``value``; a control character (a line
    break in a label or a name) is a space, as in ``typst-filter.lua``."""
    clean = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'
