"""``manage.py assign_stories``: group the whole archive into stories from scratch."""

from articles.management.base import IndexCommand
from articles.stories.assign import rebuild_stories


class Command(IndexCommand):
    help = "Assign every article to its story from scratch (editors' placements stay)."

    def handle(self, *args, **options):
        changed = rebuild_stories()
        self.stdout.write(f"Stories assigned: {changed} article(s) changed.")
