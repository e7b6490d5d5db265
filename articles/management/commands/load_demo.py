"""``manage.py load_demo``: the seed and demo fixtures, into an empty archive only.

The Wikinews records carry neither datelines nor categories: once loaded, each article is given
the country its text is about and the topics of the vocabulary its text mentions, as an ingest
gives them (:mod:`articles.derive`), in the same transaction, so the search index is written once.
The starter list of name variants (``fixtures/name_variants.json``) is loaded with them.
"""

from django.core.management import call_command
from django.db import transaction

from articles.derive import derive_missing
from articles.management.base import IndexCommand
from articles.models import Article
from articles.search.alias_list import add_groups, read_file

# The seed archive, the demo's topic vocabulary, and the Wikinews articles.
DEMO_FIXTURES = ("fixtures/seed_archive.json", "fixtures/demo_topics.json", "fixtures/demo_wikinews.json")


class Command(IndexCommand):
    help = "Load the seed and demo articles when the archive is empty; never over an archive in use."

    def handle(self, *args, **options):
        held = Article.objects.count()
        if held:
            self.stdout.write(f"The archive holds {held} article(s): the demo data is not loaded over it.")
            return
        with transaction.atomic():
            call_command("loaddata", *DEMO_FIXTURES, stdout=self.stdout)
            done = derive_missing()
            variants = add_groups(read_file())
        self.stdout.write(
            f"From their text: {done.countries:,} article(s) given a country, {done.topics:,} given topics."
        )
        self.stdout.write(variants.report())
