"""Pure-Python parser for raw news copy: datelines, outlets, dates, headlines, boilerplate.

No Django here: it runs (and is tested) without settings. ``parse_copy`` turns copy into
:class:`ParsedArticle` objects; ``read_copy`` turns an uploaded file's bytes into copy.
"""

from .datelines import parse_dateline
from .model import Caption, CopyError, Dateline, ParsedArticle
from .reading import read_copy
from .structure import parse_copy

__all__ = [
    "Caption",
    "CopyError",
    "Dateline",
    "ParsedArticle",
    "parse_copy",
    "parse_dateline",
    "read_copy",
]
