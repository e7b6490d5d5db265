"""``manage.py assign_stories``: group the whole archive into stories from scratch."""

from django.core.management.base import BaseCommand

from articles.stories.assign import rebuild_stories


class Command(BaseCommand):
    help = "Assign every article to its story from scratch (editors' placements stay)."

    def handle(self, *args, **options):
        changed = rebuild_stories()
        self.stdout.write(f"Stories assigned: {changed} article(s) changed.")
