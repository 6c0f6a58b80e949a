"""Language facts from Babel (names, direction, dates) and the labels the layout adds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date

DATE_LOCALE = {"en": "en_GB"}
"""Date style per language where Babel's default region does not fit: a Danish
authority writes British English."""

LABELS: dict[str, dict[str, str]] = {
    "da": {
        "skip": "Gå til brevet",
        "languages": "Sprog",
        "date": "Dato",
        "case": "Sags-ID",
        "document": "Dok.-ID",
        "page": "Side {page} af {total}",
        "sender": "Afsender",
        "contents": "Indhold",
        "letter": "Brev",
        "formats": "Formater",
        "index-title": "Brevet på alle sprog",
        "index-intro": "Vælg dit sprog og det format, du vil læse brevet i.",
        "language": "Sprog",
        "size": "Størrelse",
        "html": "Webside (HTML)",
        "epub": "E-bog (EPUB 3)",
        "pdf": "PDF (PDF/UA)",
    },
    "en": {
        "skip": "Skip to the letter",
        "languages": "Languages",
        "date": "Date",
        "case": "Case ID",
        "document": "Document ID",
        "page": "Page {page} of {total}",
        "sender": "Sender",
        "contents": "Contents",
        "letter": "Letter",
        "formats": "Formats",
        "index-title": "The letter in every language",
        "index-intro": "Choose your language and the format you want to read the letter in.",
        "language": "Language",
        "size": "Size",
        "html": "Web page (HTML)",
        "epub": "E-book (EPUB 3)",
        "pdf": "PDF (PDF/UA)",
    },
    "de": {
        "skip": "Zum Brief springen",
        "languages": "Sprachen",
        "date": "Datum",
        "case": "Aktenzeichen",
        "document": "Dokumentnummer",
        "page": "Seite {page} von {total}",
        "sender": "Absender",
        "contents": "Inhalt",
        "letter": "Brief",
        "formats": "Formate",
        "index-title": "Der Brief in allen Sprachen",
        "index-intro": (
            "Wählen Sie Ihre Sprache und das Format, in dem Sie den Brief lesen möchten."
        ),
        "language": "Sprache",
        "size": "Größe",
        "html": "Webseite (HTML)",
        "epub": "E-Book (EPUB 3)",
        "pdf": "PDF (PDF/UA)",
    },
    "uk": {
        "skip": "Перейти до листа",
        "languages": "Мови",
        "date": "Дата",
        "case": "Номер справи",
        "document": "Номер документа",
        "page": "Сторінка {page} з {total}",
        "sender": "Відправник",
        "contents": "Зміст",
        "letter": "Лист",
        "formats": "Формати",
        "index-title": "Лист усіма мовами",
        "index-intro": "Виберіть мову та формат, у якому бажаєте прочитати лист.",
        "language": "Мова",
        "size": "Розмір",
        "html": "Вебсторінка (HTML)",
        "epub": "Електронна книга (EPUB 3)",
        "pdf": "PDF (PDF/UA)",
    },
    "ar": {
        "skip": "انتقل إلى الرسالة",
        "languages": "اللغات",
        "date": "التاريخ",
        "case": "رقم القضية",
        "document": "رقم الوثيقة",
        "page": "الصفحة {page} من {total}",
        "sender": "المرسل",
        "contents": "المحتويات",
        "letter": "الرسالة",
        "formats": "الصيغ",
        "index-title": "الرسالة بجميع اللغات",
        "index-intro": "اختر لغتك والصيغة التي تريد قراءة الرسالة بها.",
        "language": "اللغة",
        "size": "الحجم",
        "html": "صفحة ويب (HTML)",
        "epub": "كتاب إلكتروني (EPUB 3)",
        "pdf": "PDF (PDF/UA)",
    },
}
FALLBACK_LABELS = "da"


@dataclass(frozen=True)
class LanguageFacts:
    code: str
    name: str
    """The language's name in its own language and script."""
    direction: str
    """"ltr" or "rtl"."""
    labels: dict[str, str]
    labels_lang: str
    """The language the labels are in: ``code``, or Danish where none exist yet."""

    def long_date(self, date: dt.date) -> str:
        return format_date(date, format="long", locale=DATE_LOCALE.get(self.code, self.code))


def language_facts(code: str) -> LanguageFacts:
    locale = Locale.parse(code)
    name = locale.display_name or code
    labels_lang = code if code in LABELS else FALLBACK_LABELS
    return LanguageFacts(
        code=code,
        name=name[:1].upper() + name[1:],
        direction=locale.text_direction,
        labels=LABELS[labels_lang],
        labels_lang=labels_lang,
    )
