"""Outlet names: the built-in alias table, normalisation, and outlets the text names as its own.

Each canonical name maps to the other names copy uses for it; editors add more through
``parse_copy(outlet_aliases=...)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

BUILTIN_OUTLETS: dict[str, tuple[str, ...]] = {
    "AP": ("The Associated Press", "Associated Press", "AP"),
    "Reuters": ("Reuters", "Reuter", "Thomson Reuters"),
    "AFP": ("Agence France-Presse", "Agence France Presse", "AFP"),
    "UN News": (
        "UN News",
        "United Nations News Service",
        "UN News Service",
        "UN News Centre",
        "United Nations News",
        "news.un.org",
    ),
    "BBC": ("BBC", "BBC News", "British Broadcasting Corporation"),
    "CNN": ("CNN", "Cable News Network"),
    "Al Jazeera": ("Al Jazeera", "Al Jazeera English", "Aljazeera"),
    "DPA": ("dpa", "Deutsche Presse-Agentur"),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "TASS": ("TASS", "ITAR-TASS"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "EFE": ("EFE", "Agencia EFE"),
    "ANSA": ("ANSA",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap", "Yonhap News Agency"),
    "Anadolu Agency": ("Anadolu Agency", "Anadolu"),
    "Interfax": ("Interfax",),
    "PTI": ("PTI", "Press Trust of India"),
    "NPR": ("NPR", "National Public Radio"),
    "Deutsche Welle": ("Deutsche Welle", "DW"),
    "The Guardian": ("The Guardian",),
    "The New York Times": ("The New York Times", "New York Times"),
    "The Washington Post": ("The Washington Post", "Washington Post"),
    "PR Newswire": ("PR Newswire", "PRNewswire"),
    "Business Wire": ("Business Wire",),
    "GlobeNewswire": ("GlobeNewswire", "Globe Newswire"),
}

# "he told UN News", "in an interview with The Associated Press", "confirmed to the AP".
_MENTION_VERBS = (
    r"(?i:told|spoke to|speaking to|talking to|talked to|said to|confirmed to|"
    r"interview with|speaking with|spoke with)"
)


def outlet_key(name: str) -> str:
    """Comparison key: lower case, dots dropped, spaces collapsed, a leading "the" dropped."""
    k = " ".join(name.lower().replace(".", "").split())
    return k[4:] if k.startswith("the ") else k


class OutletTable:
    """Built-in outlets plus the caller's aliases, with the lookups the parser needs."""

    def __init__(self, extra: Sequence[tuple[str, tuple[str, ...]]] = ()) -> None:
        self._canonical: dict[str, str] = {}
        for table in (extra, BUILTIN_OUTLETS.items()):  # the caller's names win
            for canonical, aliases in table:
                for alias in (canonical, *aliases):
                    self._canonical.setdefault(outlet_key(alias), canonical)
        names = sorted(
            {a for c, al in (*extra, *BUILTIN_OUTLETS.items()) for a in (c, *al)},
            key=len,
            reverse=True,
        )
        alternation = "|".join(re.escape(n) for n in names if n)
        self._mention = re.compile(rf"(?=[tTsScCiI])\b{_MENTION_VERBS}\s+(?:the\s+)?({alternation})(?!\w)")

    def canonical(self, name: str) -> str | None:
        """The canonical name when ``name`` is a known outlet, else None."""
        return self._canonical.get(outlet_key(name))

    def normalise(self, name: str) -> str:
        """The canonical name of a known outlet; an unknown one as printed, tidied."""
        cleaned = " ".join(name.strip(" .,;:-–—|").split())
        return self.canonical(cleaned) or cleaned

    def mentioned(self, text: str) -> str | None:
        """An outlet the text says it talked to: "told UN News", "interview with the AP"."""
        m = self._mention.search(text)
        return self.canonical(m[1]) if m else None


@lru_cache(maxsize=32)
def _table(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> OutletTable:
    return OutletTable(extra)


def outlet_table(aliases: Mapping[str, Iterable[str]] | None = None) -> OutletTable:
    """The table for these custom aliases (built once per distinct mapping)."""
    extra = tuple(sorted((c, tuple(a)) for c, a in (aliases or {}).items()))
    return _table(extra)


def normalise_outlet(name: str) -> str:
    """Built-in normalisation: "The Associated Press" -> "AP", unknown names kept as printed."""
    return outlet_table().normalise(name)
