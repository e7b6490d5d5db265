"""The wire formats (NITF, NewsML-G2, ninjs, RSS, Atom) in the one ingest path: identity, versions,
withdrawals.

:mod:`articles.ingest` writes a wire item like any article; this module adds what the formats
say beyond raw copy:
- its model fields (dek, trailer, the datetime with its offset, identity, version);
- which copy is newer: an item is known by its format's identity (NITF doc-id, G2 guid, ninjs
  uri, a feed item's guid or Atom id), and an older version arriving late never overwrites a newer
  one (:func:`decide`);
- withdrawals: an item the source canceled or withheld is never published, and withdraws the
  published article of the same identity (:func:`withdraw`); a withheld item released later
  (a newer usable version) is published (:func:`released`);
- translations: an item translating another is linked to that article (:func:`link_translations`).
"""

from __future__ import annotations

from django.db.models import F

from articles import editorial
from articles.models import Article
from articles.parsing import CopyError, ParsedArticle
from articles.parsing.formats import WireArticle, WireDocument
from articles.parsing.text import headline_from_text

WITHDRAWN_BY_SOURCE = "withdrawn by the source"  # the History action of a withdrawal


def articles_of(document: WireDocument) -> list[tuple[WireArticle, str]]:
    """Each article of a wire file with its source text (its item's, for one of a G2 message's).
    An item with neither headline nor text fails the file, unless it withdraws one; one without a
    headline gets one supplied from its first sentence, as raw copy does (``headline_supplied``)."""
    found = []
    for article in document.articles:
        if not (article.headline or article.body or article.withdrawn):
            identity = article.identity or "(no identity)"
            raise CopyError(f"{document.format} item {identity}: no headline and no text")
        if not article.headline and article.body:
            article.headline = headline_from_text(article.body.split("\n", 1)[0])
            article.headline_supplied = True
        found.append((article, article.raw or document.text))
    return found


def is_wire(parsed: ParsedArticle) -> bool:
    """Whether this article came in a wire format with an identity of its own."""
    return isinstance(parsed, WireArticle) and bool(parsed.identity)


def wire_fields(parsed: ParsedArticle) -> dict:
    """The Article fields a wire item gives beyond raw copy (none for raw copy or a record)."""
    if not isinstance(parsed, WireArticle):
        return {}
    released = parsed.released_at
    return {
        "dek": parsed.dek[:500],
        "trailer": parsed.trailer[:500],
        "released_at": released if released is None or released.utcoffset() is not None else None,
        "wire_format": parsed.format,
        "wire_id": parsed.identity[:255],
        "wire_version": parsed.version,
        "wire_status": parsed.status[:20],
        "slugline": parsed.slugline[:200],
        **({"source_url": parsed.source_url[:500]} if parsed.source_url else {}),
    }


def decide(parsed: ParsedArticle, match: Article | None) -> str:
    """What an item not ingested before does: "create", "update", "older" (a version older than the
    article's: nothing is written), "withdraw" (a canceled or withheld item of an article) or
    "unchanged" (the same withdrawal again)."""
    if match is None:
        return "create"
    if not is_wire(parsed):
        return "update"
    if match.wire_version is not None and parsed.version is not None and parsed.version < match.wire_version:
        return "older"
    if parsed.withdrawn and (match.wire_status, match.wire_version) == (parsed.status, parsed.version):
        return "unchanged"  # the same withdrawal again
    return "withdraw" if parsed.withdrawn else "update"


def created(article: Article, parsed: ParsedArticle) -> Article:
    """A new article of a canceled or withheld item is kept as a draft: never published."""
    if isinstance(parsed, WireArticle) and parsed.withdrawn:
        article.status = Article.Status.DRAFT
    return article


def released(article: Article, was: str, parsed: ParsedArticle, keep: frozenset[str]) -> None:
    """A withheld article whose newer version is usable is published (unless an editor set its
    status)."""
    usable = is_wire(parsed) and not parsed.withdrawn
    if was == "withheld" and usable and "status" not in keep and article.status == Article.Status.DRAFT:
        article.status = Article.Status.PUBLISHED


def withdraw(withdrawals: list[tuple[Article, WireArticle]], user=None) -> None:
    """Canceled or withheld items: their published articles become drafts (off the site and out of
    search), their text stays; the article records the item's status and version, so that an older
    version arriving later is refused. Recorded in the History."""
    if not withdrawals:
        return
    with editorial.tracked([article.pk for article, _ in withdrawals], user, WITHDRAWN_BY_SOURCE):
        for article, parsed in withdrawals:
            if article.status == Article.Status.PUBLISHED:
                article.status = Article.Status.DRAFT
            article.wire_status, article.wire_version = parsed.status[:20], parsed.version
            article.save(update_fields=["status", "wire_status", "wire_version", "updated"])


def link_translations(written: list[tuple[Article, ParsedArticle]]) -> None:
    """Link each translation to the article of the item it translates, when that is in the archive."""
    wanted = {p.translation_of for _, p in written if isinstance(p, WireArticle) and p.translation_of}
    if not wanted:
        return
    originals = dict(Article.objects.filter(wire_id__in=wanted).values_list("wire_id", "pk"))
    for article, parsed in written:
        original = originals.get(getattr(parsed, "translation_of", ""))
        if original and original != article.pk and article.translation_of_id != original:
            Article.objects.filter(pk=article.pk).update(translation_of=original, revision=F("revision") + 1)
            article.translation_of_id = original


def describe(parsed: ParsedArticle) -> dict:
    """What a wire item adds to its article in the JSON report."""
    if not isinstance(parsed, WireArticle):
        return {}
    moments = {"published_at": parsed.published_at, "released_at": parsed.released_at}
    return {
        "format": parsed.format,
        "identity": parsed.identity,
        "version": parsed.version,
        "pub_status": parsed.status,
        "dek": parsed.dek,
        "rights": parsed.rights,
        "trailer": parsed.trailer,
        "slugline": parsed.slugline,
        "du_key": parsed.du_key,
        "translation_of": parsed.translation_of,
        "source_url": parsed.source_url,
        **{name: value.isoformat() if value else None for name, value in moments.items()},
    }
