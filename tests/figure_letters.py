"""Two letters with a figure each, published in every language, for tests/test_figures.py:
the second test letter, whose figure's caption is its alternative text
(``![X](kort.png)``), and the figures letter, whose caption and alternative text differ
(``![caption](vej.png){alt="..."}``). The translations are the translator's part."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import copy_project, translate_entries
from klpublish.__main__ import main

LETTERS = Path(__file__).parent / "letters"
LANGS = ("ar", "da", "de", "en", "fa", "pl", "tr", "uk")

SECOND = {
    "en": {
        "Invitation til KL's Kommunalpolitiske Topmøde": "Invitation to KL's Local Politics Summit",
        "Vi inviterer hermed alle kommunalbestyrelsesmedlemmer til KL's Kommunalpolitiske "
        "Topmøde i Aalborg.": "We hereby invite all municipal council members to KL's "
        "Local Politics Summit in Aalborg.",
        # "and", not "&": Orca's "and" for "&" is another check's matter.
        "Kort over vejen til Aalborg Kongres & Kultur Center": "Map of the way to Aalborg "
        "Congress and Culture Centre",
        "![Kort over vejen til Aalborg Kongres & Kultur Center](kort.png)": "![Map of the "
        "way to Aalborg Congress and Culture Centre](kort.png)",
    },
    "ar": {
        "Invitation til KL's Kommunalpolitiske Topmøde": "دعوة إلى قمة السياسة المحلية",
        "Vi inviterer hermed alle kommunalbestyrelsesmedlemmer til KL's Kommunalpolitiske "
        "Topmøde i Aalborg.": "ندعو جميع أعضاء المجالس البلدية إلى قمة السياسة المحلية في ألبورغ.",
        "Kort over vejen til Aalborg Kongres & Kultur Center": "خريطة الطريق إلى مركز "
        "ألبورغ للمؤتمرات والثقافة",
        "![Kort over vejen til Aalborg Kongres & Kultur Center](kort.png)": "![خريطة "
        "الطريق إلى مركز ألبورغ للمؤتمرات والثقافة](kort.png)",
    },
}
"""The second letter's figure, with the rest of its new text, in English and Arabic;
the other languages show it in Danish (below the threshold of nothing)."""

_FIGURES = (
    "Vejen til Kommunalpolitisk Topmøde",
    "Her er vejen til topmødet.",
    "Vejen fra stationen til kongrescentret",
    "![Kort: fra Aalborg Station går vejen mod sydøst til kongrescentret](vej.png)",
    "Vi glæder os til at se jer.",
)
_FIGURES_IN = {
    "en": (
        "The way to the Local Politics Summit",
        "Here is the way to the summit.",
        "The way from the station to the congress centre",
        "![Map: from Aalborg Station the road runs south-east to the congress centre](vej.png)",
        "We look forward to seeing you.",
    ),
    "de": (
        "Der Weg zum Kommunalpolitischen Gipfel",
        "Hier ist der Weg zum Gipfel.",
        "Der Weg vom Bahnhof zum Kongresszentrum",
        "![Karte: vom Bahnhof Aalborg führt die Straße nach Südosten zum Kongresszentrum](vej.png)",
        "Wir freuen uns darauf, Sie zu sehen.",
    ),
    "pl": (
        "Droga na Szczyt Polityki Lokalnej",
        "Oto droga na szczyt.",
        "Droga z dworca do centrum kongresowego",
        "![Mapa: od dworca w Aalborgu droga prowadzi na południowy wschód do centrum "
        "kongresowego](vej.png)",
        "Cieszymy się na spotkanie z Państwem.",
    ),
    "tr": (
        "Yerel Siyaset Zirvesine giden yol",
        "Zirveye giden yol burada.",
        "İstasyondan kongre merkezine giden yol",
        "![Harita: Aalborg İstasyonundan yol güneydoğuya, kongre merkezine gider](vej.png)",
        "Sizi görmeyi dört gözle bekliyoruz.",
    ),
    "uk": (
        "Дорога на Саміт місцевої політики",
        "Ось дорога на саміт.",
        "Дорога від вокзалу до конгрес-центру",
        "![Мапа: від вокзалу Ольборга дорога веде на південний схід до конгрес-центру](vej.png)",
        "Ми з нетерпінням чекаємо на зустріч з вами.",
    ),
    "ar": (
        "الطريق إلى قمة السياسة المحلية",
        "هذا هو الطريق إلى القمة.",
        "الطريق من المحطة إلى مركز المؤتمرات",
        "![خريطة: من محطة ألبورغ يتجه الطريق نحو الجنوب الشرقي إلى مركز المؤتمرات](vej.png)",
        "نتطلع إلى رؤيتكم.",
    ),
    "fa": (
        "راه رسیدن به نشست سیاست محلی",
        "این راه رسیدن به نشست است.",
        "راه از ایستگاه تا مرکز همایش",
        "![نقشه: از ایستگاه آلبورگ جاده به سمت جنوب شرقی تا مرکز همایش می‌رود](vej.png)",
        "مشتاق دیدار شما هستیم.",
    ),
}
FIGURES = {lang: dict(zip(_FIGURES, texts, strict=True)) for lang, texts in _FIGURES_IN.items()}
"""The figures letter in every language but its own."""


def caption_and_alt(lang: str) -> tuple[str, str]:
    """The figures letter's caption and alternative text in ``lang``."""
    if lang == "da":
        return _FIGURES[2], _FIGURES[3][2 : _FIGURES[3].index("](")]
    caption, image = FIGURES[lang][_FIGURES[2]], FIGURES[lang][_FIGURES[3]]
    return caption, image[2 : image.index("](")]


def publish_figure_letters(root: Path) -> Path:
    """The project under ``root`` with both letters beside the first, their catalogs
    updated and translated, and both published in every language; the build folder."""
    copy_project(root)
    for name in ("second", "figures"):
        shutil.copytree(LETTERS / name, root / "source" / name)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        assert main(["extract"]) == 0
        assert main(["update"]) == 0
        for lang in LANGS[:1] + LANGS[2:]:
            messages = root / "locale" / lang / "LC_MESSAGES"
            translate_entries(messages / "second.po", SECOND.get(lang, {}), lang)
            translate_entries(messages / "figures.po", FIGURES[lang], lang)
        sources = [f"source/{name}/{name}.da.md" for name in ("second", "figures")]
        assert main(["publish", *(arg for s in sources for arg in ("--source", s))]) == 0
    return root / "build"
