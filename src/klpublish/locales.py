"""Language facts from Babel (CLDR): names, direction, dates, digits, and the
BCP 47 tag every output carries. The layout's words are in catalogs (``labels``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

DATE_LOCALE = {"en": "en_GB"}
"""Date style per language where Babel's default region does not fit: a Danish
authority writes British English."""

NUMBERING_ZERO = {
    "arab": "\u0660",
    "arabext": "\u06f0",
    "beng": "\u09e6",
    "deva": "\u0966",
    "gujr": "\u0ae6",
    "guru": "\u0a66",
    "knda": "\u0ce6",
    "mlym": "\u0d66",
    "mymr": "\u1040",
    "orya": "\u0b66",
    "telu": "\u0c66",
    "thai": "\u0e50",
    "tibt": "\u0f20",
    "khmr": "\u17e0",
    "laoo": "\u0ed0",
    "nkoo": "\u07c0",
    "olck": "\u1c50",
    "mtei": "\uabf0",
}
"""The zero of each of CLDR's decimal numbering systems that some locale has as
its default (CLDR ``numberingSystems.xml``; Babel has the names, not the digits).
The other nine digits follow the zero in Unicode."""


@dataclass(frozen=True)
class LanguageFacts:
    code: str
    """The gettext form, as directories name it: ``pt_BR``, ``sr_Latn``."""
    tag: str
    """BCP 47, as HTML ``lang``, EPUB ``xml:lang`` and PDF ``/Lang`` want it: ``pt-BR``."""
    language: str
    region: str
    name: str
    """The language's name in its own language and script."""
    direction: str
    """"ltr" or "rtl"."""
    digits: str
    """The ten digits of the language's default numbering system, from 0 to 9.

    The layout writes its numbers (dates, page numbers, sizes) in these: CLDR's
    default for Persian is Persian digits (``۱۰ ژانویه ۲۰۱۸``), which is what
    Persian readers write and what the Persian letter itself uses, so the date
    and the text read as one. Babel formats every date with Latin digits, so
    they are put in here; for Arabic, CLDR's default is Latin digits."""

    def long_date(self, date: dt.date) -> str:
        return self.localise_digits(
            format_date(date, format="long", locale=DATE_LOCALE.get(self.code, self.code))
        )

    def decimal(self, number: float) -> str:
        return self.localise_digits(
            format_decimal(number, locale=self.code, numbering_system="default")
        )

    def localise_digits(self, value: str) -> str:
        return value.translate(str.maketrans("0123456789", self.digits))


@cache
def bcp47(code: str) -> str:
    """``pt_BR`` -> ``pt-BR``, ``sr_Latn`` -> ``sr-Latn`` (Babel's own ``str``
    keeps the underscore)."""
    locale = Locale.parse(code)
    return "-".join(p for p in (locale.language, locale.script, locale.territory) if p)


@cache
def language_facts(code: str) -> LanguageFacts:
    """What the layout needs to know of a language, once per process: Babel
    parses the locale and merges its data afresh on every ask."""
    locale = Locale.parse(code)
    name = locale.display_name or code
    zero = NUMBERING_ZERO.get(locale.default_numbering_system)
    digits = "".join(chr(ord(zero) + n) for n in range(10)) if zero else "0123456789"
    return LanguageFacts(
        code=code,
        tag=bcp47(code),
        language=locale.language,
        region=locale.territory or "",
        name=name[:1].upper() + name[1:],
        direction=locale.text_direction,
        digits=digits,
    )
