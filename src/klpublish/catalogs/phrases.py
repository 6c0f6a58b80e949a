"""The words the content checks need in each language (see ``translation.content``),
from the layout's catalogs: the link texts that say nothing of where a link leads,
and the accessibility characteristics an accessibility summary may name.

Each is one entry of the layout's template whose text is a list, one phrase per
line, so that a translator extends it in any PO editor. The lists of the project's
catalog and of the package's are taken together: a project adds phrases, and
cannot take the package's away (a check is never weakened by a catalog).
"""

from __future__ import annotations

from klpublish.catalogs.labels import entry_texts
from klpublish.catalogs.po import load_catalog
from klpublish.errors import display_path
from klpublish.project import Project
from klpublish.translation.content import Phrases

VAGUE_LINKS = "check-vague-link-texts"
SUMMARY_TERMS = "check-summary-terms"


def phrases_for(lang: str, project: Project) -> Phrases:
    """``lang``'s lists, from the project's catalog of the layout's words and the
    package's; a broken project catalog raises :class:`~klpublish.errors.CatalogError`."""
    po = project.labels_catalog(lang)
    catalog = load_catalog(po, locale=lang) if po is not None else None
    return Phrases.parse(
        lang,
        entry_texts(VAGUE_LINKS, lang, catalog),
        entry_texts(SUMMARY_TERMS, lang, catalog),
        display_path(po or project.labels_po_path(lang)),
    )
