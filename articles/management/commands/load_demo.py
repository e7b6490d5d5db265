"""``manage.py load_demo``: the seed and demo fixtures, into an empty archive only."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Article

DEMO_FIXTURES = ("fixtures/seed_archive.json", "fixtures/demo_wikinews.json")


class Command(BaseCommand):
    help = "Load the seed and demo articles when the archive is empty; never over an archive in use."

    def handle(self, *args, **options):
        held = Article.objects.count()
        if held:
            self.stdout.write(f"The archive holds {held} article(s): the demo data is not loaded over it.")
            return
        call_command("loaddata", *DEMO_FIXTURES, stdout=self.stdout)
