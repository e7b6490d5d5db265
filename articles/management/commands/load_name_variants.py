"""``manage.py load_name_variants [FILE]``: the starter list of name variants into the table.

Each group none of whose names the table holds yet is added (an editor's own group wins); run
again, it adds nothing new. ``FILE`` defaults to ``fixtures/name_variants.json``.
"""

from django.core.management.base import BaseCommand, CommandError

from articles.search.alias_list import STARTER_LIST, AliasListError, add_groups, read_file


class Command(BaseCommand):
    help = (
        "Add the starter list of name variants (ISIS / ISIL / Da'esh...) to the table, skipping known names."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(STARTER_LIST), help="a list file (JSON)")

    def handle(self, *args, **options):
        try:
            groups = read_file(options["file"])
        except AliasListError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(add_groups(groups).report())
