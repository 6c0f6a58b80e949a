"""Which languages a command needs translated and checked in this run, and which
verdicts it may take from the build cache instead, or do without."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class EveryLanguage:
    """Translate and check every language in this run (``status``, ``lint`` of all)."""

    def wanted(self, lang: str) -> bool:
        return True

    def fresh(self, lang: str) -> bool:
        return True


@dataclass(frozen=True)
class OnlyThese:
    """Translate and check these languages and leave the others out (``lint LANG``:
    another language's catalog is no business of it, broken or not)."""

    langs: frozenset[str]

    def wanted(self, lang: str) -> bool:
        return lang in self.langs

    def fresh(self, lang: str) -> bool:
        return True


@dataclass(frozen=True)
class TheseAndCachedVerdicts:
    """Translate and check these languages in this run; every other language's verdict
    (``publish`` needs them all, for the language switcher) comes from the build
    cache when its inputs have not changed, so that N languages built one by one
    cost N checks, not N². With no language named, every verdict may come from it."""

    langs: frozenset[str] = frozenset()

    def wanted(self, lang: str) -> bool:
        return True

    def fresh(self, lang: str) -> bool:
        return lang in self.langs


Need = EveryLanguage | OnlyThese | TheseAndCachedVerdicts


def only(langs: Collection[str]) -> Need:
    """``langs`` alone, or every language when none is named."""
    return OnlyThese(frozenset(langs)) if langs else EveryLanguage()
