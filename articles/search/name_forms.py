"""The form two spellings of a name share, as the name variants table compares them: plain
Python, for search (:mod:`articles.search.aliases`) and the learners of name variants alike."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=10_000)  # every run of a query's words is looked up
def normalize(name: str) -> str:
    """The form two spellings of a name share: case, accents, dots and apostrophes, spacing."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"[.'’]", "", folded)
    return " ".join(re.findall(r"\w+", folded))
