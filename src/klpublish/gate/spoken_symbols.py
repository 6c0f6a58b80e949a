"""What Orca says for the characters it names itself, applied to a page's text.

Orca speaks a page's text as it stands, except for the few characters it names itself:
``·`` becomes " middle dot ", ``→`` " right arrow ", an ellipsis " dot dot dot ". The
table comes from Orca's own code and catalogs, in the locale Orca runs in
(``orca_session/orca_symbols.py``, which says which characters and why). Applied to the
page's text where each character stands, the names become words the page is expected
to be heard with there, and nowhere else: a real "dot" or "and" elsewhere on the page
must be heard as itself. Characters Orca leaves to the speech server (``&``, ``–``,
quotes) stay in the utterance as characters, and are no word on either side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from klpublish.errors import ToolError


@dataclass(frozen=True)
class SpokenSymbols:
    """What Orca says in place of each character it names, in one locale."""

    locale: str
    replaced: Mapping[str, str] = field(default_factory=dict)
    """Each character, and the text Orca sends in its place (" middle dot ")."""
    ellipsis: re.Pattern[str] | None = None
    ellipsis_said: str = ""

    def say(self, text: str) -> str:
        """``text`` as Orca hands it to the speech server."""
        if self.ellipsis is not None:
            text = self.ellipsis.sub(self.ellipsis_said, text)
        if not any(c in self.replaced for c in text):
            return text
        return "".join(self.replaced.get(c, c) for c in text)


NOTHING = SpokenSymbols("")
"""No character named: the page's text as it stands."""


def read_symbols(data: Any) -> SpokenSymbols:
    """The table as the listener recorded it. Raises ToolError when it is not one: the
    comparison would then be made against the wrong words."""
    try:
        replaced = data["replaced"]
        ellipsis = data["ellipsis"]
        if not isinstance(data["locale"], str) or not all(
            isinstance(k, str) and len(k) == 1 and isinstance(v, str) for k, v in replaced.items()
        ):
            raise TypeError("a name that is not text")
        pattern = None if ellipsis is None else re.compile(str(ellipsis["pattern"]))
        said = "" if ellipsis is None else str(ellipsis["said"])
        return SpokenSymbols(data["locale"], dict(replaced), pattern, said)
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise ToolError(f"the Orca session recorded no usable table of names: {exc}") from exc
