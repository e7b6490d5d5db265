"""Citing an article: one CSL-JSON item per article (``item``), rendered as prose in the official
CSL styles by citeproc-py (``prose``) or written as BibTeX, RIS or CSL-JSON (``formats``).

Every citation is pinned to the version shown: the permalink (``/articles/<id>/``, which
redirects to the current address, across merges too) and the time the article last changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from articles.citations import formats, prose
from articles.citations.item import Cited, csl_item

__all__ = ["STYLES", "Cited", "Style", "cite", "csl_item"]


@dataclass(frozen=True)
class Style:
    key: str  # as in ``?style=``
    label: str
    content_type: str
    write: Callable[[dict], str]
    extension: str = ""  # a data format's file name ends so; prose is shown, not downloaded


def _prose(filename: str) -> Callable[[dict], str]:
    def write(item: dict) -> str:
        """The style's reference, then the version it cites (no style prints the item's note)."""
        return f"{prose.render(item, filename)} {item['note']}.\n"

    return write


TEXT = "text/plain; charset=utf-8"
CSL_JSON = "application/vnd.citationstyles.csl+json; charset=utf-8"
STYLES = {
    style.key: style
    for style in (
        Style("apa", "APA", TEXT, _prose("apa.csl")),
        Style("mla", "MLA", TEXT, _prose("modern-language-association.csl")),
        Style("chicago", "Chicago", TEXT, _prose("chicago-author-date.csl")),
        Style("bibtex", "BibTeX", "application/x-bibtex; charset=utf-8", formats.bibtex, "bib"),
        Style("ris", "RIS", "application/x-research-info-systems; charset=utf-8", formats.ris, "ris"),
        Style("csl-json", "CSL-JSON", CSL_JSON, formats.csl_json, "json"),
    )
}


def cite(item: dict, style: str) -> str:
    """The citation of ``item`` in ``style`` (a key of :data:`STYLES`)."""
    return STYLES[style].write(item)
