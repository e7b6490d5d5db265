"""``manage.py learn_variants``: learn name variants from the archive for the review queue."""

from django.core.management.base import BaseCommand

from articles.jobs.progress import LogProgress
from articles.variants.scan import learn


class Command(BaseCommand):
    help = "Find name variants in the archive (acronyms, spellings, transliterations) for editors to review."

    def handle(self, *args, **options):
        self.stdout.write(learn(LogProgress("learn_variants", "articles")).report())
