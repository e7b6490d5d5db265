"""The outlets, places and topics an ingest names: found by name, alias or slug, created on first
sight, cached for the run."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import slugify

from articles.models import Outlet, Place, Topic
from articles.parsing import ParsedArticle
from articles.parsing.gazetteer import key as place_key
from articles.parsing.topics import vocabulary_of


class Resolver:
    """Outlets, places and topics by name, created on first sight, cached for the run.

    An outlet is found by its name or an alias, a topic by its name, and either by its slug too:
    one an editor renamed keeps its slug. A place is found with case and accents folded, so
    "ZÜRICH" copy finds the "Zurich" an editor merged "Zürich" into.
    """

    def __init__(self, describe: bool) -> None:
        self.describe = describe  # each article in the report (its text too), or only counts
        self.outlets: dict[str, Outlet] = {}
        self.outlet_aliases: dict[str, list[str]] = {}
        for outlet in Outlet.objects.all():
            names = [outlet.name, *(a.strip() for a in outlet.aliases.splitlines() if a.strip())]
            self.outlet_aliases[outlet.name] = names[1:]
            for name in names:
                self.outlets.setdefault(name.casefold(), outlet)
        self.places: dict[tuple[str, str], Place] = {}
        for place in Place.objects.all():
            self.places.setdefault(self._place_key(place.city, place.country), place)
        self.topics = {t.name.casefold(): t for t in Topic.objects.all()}
        self.vocabulary = vocabulary_of(
            {t.name: [k.strip() for k in t.keywords.splitlines() if k.strip()] for t in self.topics.values()}
        )

    def outlet(self, name: str | None) -> Outlet | None:
        if not name:
            return None
        key = name.casefold()
        if key not in self.outlets:
            self.outlets[key] = _by_slug(Outlet, name) or _get_or_create(Outlet, name)
        return self.outlets[key]

    @staticmethod
    def _place_key(city: str, country: str | None) -> tuple[str, str]:
        return place_key(city), place_key(country or "")

    def place(self, city: str | None, country: str | None) -> Place | None:
        if not city:
            return None
        key = self._place_key(city, country)
        if key not in self.places:
            self.places[key] = Place.objects.get_or_create(city=city, country=country or "")[0]
        return self.places[key]

    def add_places(self, articles: Iterable[ParsedArticle]) -> None:
        """Create the places of these articles not seen yet, in one statement.

        (A new place has no articles yet: there is nothing for ``Place``'s save signal to re-index.)
        """
        new: dict[tuple[str, str], Place] = {}
        for parsed in articles:
            if parsed.place:
                key = self._place_key(parsed.place, parsed.country)
                if key not in self.places and key not in new:
                    new[key] = Place(city=parsed.place, country=parsed.country or "")
        # Another ingest may be creating the same place: its row is taken, not a second one.
        Place.objects.bulk_create(new.values(), ignore_conflicts=True)
        created = Place.objects.filter(city__in={place.city for place in new.values()})
        by_name = {(place.city, place.country): place for place in created}
        self.places.update((key, by_name[place.city, place.country]) for key, place in new.items())

    def topic(self, name: str) -> Topic:
        key = name.casefold()
        if key not in self.topics:
            self.topics[key] = _by_slug(Topic, name) or _get_or_create(Topic, name)
        return self.topics[key]

    def forget_created(self) -> None:
        """After a rollback: drop cached rows that no longer exist."""
        self.outlets = {k: v for k, v in self.outlets.items() if Outlet.objects.filter(pk=v.pk).exists()}
        self.places = {k: v for k, v in self.places.items() if Place.objects.filter(pk=v.pk).exists()}
        self.topics = {k: v for k, v in self.topics.items() if Topic.objects.filter(pk=v.pk).exists()}


def _get_or_create(model: type[Outlet] | type[Topic], name: str) -> Outlet | Topic:
    """The outlet or topic of this name (any case), created when there is none. Another ingest
    creating the same one meanwhile (PostgreSQL) is waited for, and its row taken."""
    name = name[: model._meta.get_field("name").max_length]
    return model.objects.get_or_create(name__iexact=name, defaults={"name": name})[0]


def _by_slug(model: type[Outlet] | type[Topic], name: str) -> Outlet | Topic | None:
    """The outlet or topic with this name's slug: one an editor renamed (its slug stays)."""
    slug = slugify(name)
    return model.objects.filter(slug=slug).first() if slug else None
