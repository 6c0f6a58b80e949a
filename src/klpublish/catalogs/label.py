"""One word of the layout and the language it is in: light, so that a run with
nothing to do can say a letter's title without loading the catalogs' readers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    text: str
    lang: str
    """The language ``text`` is in (gettext form): the catalog's, or the template's."""
