"""The index's schema: the text analyzer, whole-value fields, and the schema built from haystack's fields."""

from __future__ import annotations

import contextlib
import re

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import DATETIME, NUMERIC, STORED, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.query import Term
from whoosh.support.charset import accent_map

# A date field's companion column: 1 when the document has a date. Sorting on it first
# puts undated documents last (Whoosh sorts a missing value as the largest).
KNOWN_SUFFIX = "_known"


class _DropInnerPunctuation(Filter):
    """``u.n`` -> ``un``, ``da'esh`` -> ``daesh``: abbreviations and apostrophes match either way."""

    _inner = re.compile(r"[.'’]")

    def __call__(self, tokens):
        for t in tokens:
            if "." in t.text or "'" in t.text or "’" in t.text:
                t.text = self._inner.sub("", t.text)
            yield t


# Words too common to search for. Whoosh's default list also drops words that are names and
# abbreviations in news ("U.S." reads as ``us``, "May", "IT", "Will"), and words of one letter.
STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "is", "of", "on", "or"}
    | {"that", "the", "this", "to", "with"}
)


def news_analyzer():
    """Words (keeping ``U.N.``, ``Da’esh`` and ``AT&T`` whole), lower-cased, accent-folded,
    stemmed; numbers and single letters kept."""
    return (
        RegexTokenizer(r"\w+(?:[.'’&]\w+)*")
        | LowercaseFilter()
        | _DropInnerPunctuation()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(cachesize=-1)
    )


def build_schema(fields) -> tuple[str, Schema]:
    """The content field's name and the Whoosh schema for haystack's ``fields``."""
    # haystack here, not at the top: writer processes unpickle the schema's analyzer and fields
    # from this module, and import neither haystack nor Django (``processes``).
    from haystack.constants import DJANGO_CT, DJANGO_ID, ID
    from haystack.exceptions import SearchBackendError
    from haystack.fields import FacetField

    schema_fields = {
        ID: WHOOSH_ID(stored=True, unique=True),
        DJANGO_CT: WHOOSH_ID(stored=True),
        DJANGO_ID: WHOOSH_ID(stored=True),
    }
    content_field_name = ""
    analyzer = news_analyzer()
    for field in fields.values():
        name = field.index_fieldname
        if field.is_multivalued:
            schema_fields[name] = WHOLE(stored=True)
        elif isinstance(field, FacetField):
            schema_fields[name] = WHOLE(stored=True, sortable=True)
        elif not field.indexed:
            schema_fields[name] = STORED()
        elif field.field_type in ("date", "datetime"):
            schema_fields[name] = DATETIME(stored=field.stored, sortable=True)
            schema_fields[f"{name}{KNOWN_SUFFIX}"] = NUMERIC(numtype=int, bits=8, sortable=True)
        elif field.field_type == "integer":
            schema_fields[name] = NUMERIC(stored=field.stored, numtype=int, sortable=True)
        else:
            # The document field is searched, never shown: not stored. Its unstemmed words
            # feed the spelling suggestions.
            schema_fields[name] = TEXT(
                stored=not field.document,
                analyzer=analyzer,
                field_boost=field.boost or 1.0,
                spelling=field.document,
            )
        if field.document:
            content_field_name = name
    if not content_field_name:
        raise SearchBackendError("The search index needs a document=True field.")
    return content_field_name, Schema(**schema_fields)


class WHOLE(WHOOSH_ID):
    """Whole values, each one term whatever characters it holds (commas, quotes, colons,
    parentheses); a document may have several (a list, stored as one).

    A query string names a value as :func:`whole_value_token` writes it, which the query parser
    reads as one plain word and hands back here; any other word is taken literally.
    """

    def index(self, value, **kwargs):
        values = value if isinstance(value, list | tuple) else [value]
        for text in sorted(set(values)):
            yield text.encode("utf-8"), 1, 1.0, b""

    def self_parsing(self) -> bool:
        return True

    def parse_query(self, fieldname, qstring, boost=1.0):
        if qstring.startswith(_WHOLE_PREFIX):
            with contextlib.suppress(ValueError):  # not one of ours: the word as written
                qstring = bytes.fromhex(qstring[len(_WHOLE_PREFIX) :]).decode("utf-8")
        return Term(fieldname, qstring, boost=boost)


_WHOLE_PREFIX = "whole"


def whole_value_token(value: str) -> str:
    """``value`` as one word of letters and digits, for a query string on a :class:`WHOLE` field."""
    return _WHOLE_PREFIX + value.encode("utf-8").hex()
