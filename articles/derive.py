"""Country and topics from the text, for articles ingested before ingest derived them.

An ingest gives every new article the country its text is about when its dateline's place gives
none (:func:`articles.parsing.about.country_about`), and the vocabulary's topics when its copy
gives none (:func:`articles.parsing.topics.find_topics`). :func:`derive_missing` does the same for
the articles already in the archive (``manage.py derive_from_text``; ``manage.py load_demo`` after
loading the fixtures), batch by batch, each batch one transaction that queues its articles for the
search index. Editors' decisions stay: an article whose country or topics an editor set (or
cleared: it is in the article's History) is not touched, nor one that already has them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from articles.ingest import CORRECTED_COPY
from articles.ingest.resolver import Resolver
from articles.models import Article, ArticleChange
from articles.parsing.about import country_about
from articles.parsing.topics import find_topics
from articles.sanitize import to_plain_text
from articles.search.indexing import schedule_sync

BATCH = 1000


@dataclass
class Derived:
    """What :func:`derive_missing` did."""

    articles: int = 0  # read
    countries: int = 0  # given a country
    topics: int = 0  # given topics


def derive_missing(on_batch: Callable[[int], None] | None = None) -> Derived:
    """Give each article without a country (its dateline's place naming none) the country its text
    is about, and each article without topics the topics of the vocabulary its text mentions.
    ``on_batch`` is told how many articles each committed batch read."""
    resolver = Resolver(describe=False)
    done = Derived()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with transaction.atomic():
            _derive(batch, resolver, done)
        if on_batch:
            on_batch(len(batch))
    return done


def _derive(ids: list[int], resolver: Resolver, done: Derived) -> None:
    edited = _edited(ids)
    articles = (
        Article.objects.filter(pk__in=ids)
        .select_related("place")
        .prefetch_related("topics")
        .only("pk", "headline", "body", "country", "place__country")
    )
    with_country, links = [], []
    through = Article.topics.through
    for article in articles:
        done.articles += 1
        decided = edited.get(article.pk, set())
        needs_country = not (article.country or (article.place and article.place.country))
        needs_country = needs_country and "country" not in decided
        needs_topics = not article.topics.all() and "topics" not in decided
        if not (needs_country or needs_topics):
            continue
        text = to_plain_text(article.body)
        if needs_country and (country := country_about(article.headline, text)):
            article.country = country[:100]
            with_country.append(article)
        if needs_topics:
            names = find_topics(article.headline, text, vocabulary=resolver.vocabulary)
            links += [through(article_id=article.pk, topic_id=resolver.topic(name).pk) for name in names]
            done.topics += bool(names)
    Article.objects.bulk_update(with_country, ["country"])
    through.objects.bulk_create(links, ignore_conflicts=True)
    done.countries += len(with_country)
    schedule_sync({article.pk for article in with_country} | {link.article_id for link in links})


def _edited(ids: list[int]) -> dict[int, set[str]]:
    """The fields editors changed, by article (from the History, corrected copies aside)."""
    edited: dict[int, set[str]] = {}
    changes = ArticleChange.objects.filter(article_id__in=ids).exclude(action=CORRECTED_COPY)
    for article_id, fields in changes.values_list("article_id", "changes"):
        edited.setdefault(article_id, set()).update(fields)
    return edited
