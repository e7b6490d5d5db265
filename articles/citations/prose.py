"""Citations as text, in the official CSL styles (``styles/``), rendered by citeproc-py.

citeproc-py (0.11) implements CSL 1.0 with a few gaps these styles run into; each style is
adapted in memory when it is loaded, never in its file:

- ``initialize="false"`` on a name (MLA and Chicago give full given names in the reference list)
  is not read, so the style-wide ``initialize-with`` initialised them anyway: it is moved onto
  the names that do not say ``false``.
- A label is printed even when its variable is empty ("Edition." after every Chicago newspaper
  reference): the labels of variables an article's item never has are dropped.

And one after rendering: the English locale puts a period or comma inside closing quotation marks
(``“Title.”``), which citeproc-py leaves outside.
"""

from __future__ import annotations

import functools
import io
import re
import threading
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from lxml import etree

STYLES_DIR = Path(__file__).resolve().parent / "styles"
CSL = "http://purl.org/net/xbiblio/csl"
# The variables an article's item may have (``item.csl_item``): labels of any other are dropped.
ITEM_VARIABLES = frozenset(
    ["title", "URL", "accessed", "note", "author", "container-title", "issued", "language"]
)
_PUNCTUATION_OUTSIDE = re.compile(r"([”’])([.,])")

# citeproc-py keeps state in a style while it renders: one renders at a time.
_lock = threading.Lock()


def render(item: dict, filename: str) -> str:
    """The reference-list entry of a CSL-JSON ``item`` in the style ``filename``, as plain text."""
    with _lock:
        bibliography = CitationStylesBibliography(_style(filename), CiteProcJSON([item]), formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"])]))
        text = str(bibliography.bibliography()[0])
    return _PUNCTUATION_OUTSIDE.sub(r"\2\1", " ".join(text.split()))


@functools.cache
def _style(filename: str) -> CitationStylesStyle:
    root = etree.parse(str(STYLES_DIR / filename)).getroot()
    _initialize_where_asked(root)
    _drop_unused_labels(root)
    return CitationStylesStyle(io.BytesIO(etree.tostring(root)), validate=False)


def _initialize_where_asked(root) -> None:
    """Move the style's ``initialize-with`` onto the names that do not say ``initialize="false"``."""
    mark = root.attrib.pop("initialize-with", None)
    if mark is None:
        return
    for name in root.iter(f"{{{CSL}}}name"):
        if name.get("initialize") != "false" and "initialize-with" not in name.attrib:
            name.set("initialize-with", mark)


def _drop_unused_labels(root) -> None:
    """Drop the labels of variables an article's item never has (``locator`` is the citation's)."""
    for label in list(root.iter(f"{{{CSL}}}label")):
        variable = label.get("variable")
        if variable and variable not in ITEM_VARIABLES and variable != "locator":
            label.getparent().remove(label)
