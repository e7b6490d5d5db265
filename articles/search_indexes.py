"""What the search index holds for an article: the one definition every backend uses.

Facet fields (``faceted=True``) get an ``<name>_exact`` twin that backends keep
whole; results render from stored fields, without a database query.
"""

from __future__ import annotations

from functools import lru_cache

from haystack import indexes

from articles.models import Article
from articles.parsing.entities import Entities, extract
from articles.sanitize import to_plain_text
from articles.search.entity_names import canonical, canonical_person


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    headline = indexes.CharField(model_attr="headline", boost=3.0)
    # Facet values are searched through their whole-value ``_exact`` twins (and ``text``), not as words.
    outlet = indexes.CharField(null=True, faceted=True, indexed=False)
    place = indexes.CharField(null=True, faceted=True, indexed=False)
    country = indexes.CharField(null=True, faceted=True, indexed=False)
    topics = indexes.MultiValueField(faceted=True)
    language = indexes.CharField(model_attr="language", faceted=True, indexed=False)
    year = indexes.CharField(null=True, faceted=True, indexed=False)
    month = indexes.CharField(null=True, faceted=True, indexed=False)
    # The story an article belongs to, for grouping results (one per story).
    story = indexes.CharField(null=True, faceted=True, indexed=False)
    # Who and what the text mentions (articles.parsing.entities), under their alias groups' names.
    people = indexes.MultiValueField(faceted=True, indexed=False)
    organisations = indexes.MultiValueField(faceted=True, indexed=False)
    places = indexes.MultiValueField(faceted=True, indexed=False)
    published = indexes.DateField(model_attr="published", null=True)
    url = indexes.CharField(indexed=False)
    body = indexes.CharField(indexed=False)
    # The archive made the headline up (results show it bracketed, as catalogues do).
    headline_supplied = indexes.BooleanField(model_attr="headline_supplied", indexed=False)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return Article.objects.for_index()

    def prepare_text(self, article: Article) -> str:
        """Everything a reader may search for: headline, summary, body, captions, names."""
        parts = [article.headline, article.summary, self.prepare_body(article)]
        parts += [caption.text for caption in article.captions.all()]
        parts += [str(article.outlet or ""), str(article.place or ""), article.byline]
        return "\n\n".join(part for part in parts if part)

    def prepare_body(self, article: Article) -> str:
        """The plain-text body that result snippets are cut from."""
        return to_plain_text(article.body)

    def prepare_outlet(self, article: Article) -> str | None:
        return article.outlet.name if article.outlet else None

    def prepare_place(self, article: Article) -> str | None:
        return article.place.city if article.place else None

    def prepare_country(self, article: Article) -> str | None:
        """The dateline's country, else the country the text is about (``Article.country``)."""
        return (article.place.country if article.place else "") or article.country or None

    def prepare_topics(self, article: Article) -> list[str]:
        return sorted(topic.name for topic in article.topics.all())

    def prepare_year(self, article: Article) -> str | None:
        return str(article.published.year) if article.published else None

    def prepare_month(self, article: Article) -> str | None:
        return article.published.strftime("%Y-%m") if article.published else None

    def prepare_story(self, article: Article) -> str | None:
        return str(article.story_id) if article.story_id else None

    def prepare_people(self, article: Article) -> list[str]:
        return sorted({canonical_person(name) for name in self._entities(article).people})

    def prepare_organisations(self, article: Article) -> list[str]:
        """Organisations, and the names no rule claims that an alias group knows (``Islamic State``),
        but a lone capitalised word (a group of surnames: ``Gaddafi``)."""
        found = self._entities(article)
        claimed = {name for name in found.other if " " in name and canonical(name) != name}
        return sorted({canonical(name) for name in [*found.organisations, *claimed]})

    def prepare_places(self, article: Article) -> list[str]:
        return sorted({canonical(name) for name in self._entities(article).places})

    def _entities(self, article: Article) -> Entities:
        return _extracted(article.headline, self.prepare_body(article))

    def prepare_url(self, article: Article) -> str:
        return article.get_absolute_url()


@lru_cache(maxsize=16)  # the three entity fields of one article read it once
def _extracted(headline: str, body: str) -> Entities:
    return extract(headline, body)
