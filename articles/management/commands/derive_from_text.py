"""``manage.py derive_from_text``: the country and topics of articles ingested before ingest
derived them from the text (:mod:`articles.derive`)."""

from articles.derive import derive_missing
from articles.management.base import IndexCommand


class Command(IndexCommand):
    help = (
        "Give the articles without a country (their dateline naming none) the country their text is "
        "about, and those without topics the vocabulary's topics their text mentions. Editors' "
        "decisions stay."
    )

    def handle(self, *args, **options):
        done = derive_missing()
        self.stdout.write(
            f"Read {done.articles:,} article(s): {done.countries:,} given a country, "
            f"{done.topics:,} given topics."
        )
