"""``manage.py make_editor USERNAME``: let a user curate the archive in the admin.

Adds the user to the "Editors" group (created by a migration) and gives admin access
(``is_staff``); ``--create`` first creates the account, without a usable password
(set one with ``manage.py changepassword``). ``--remove`` takes both away again (and the Archive
managers group); ``--archive-manager`` also lets the user purge articles from the trash.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.roles import archive_managers_group, editors_group


class Command(BaseCommand):
    help = "Make a user an editor: admin access and the Editors group's permissions."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--create", action="store_true", help="Create the user when missing.")
        parser.add_argument("--email", default="", help="E-mail of a user created with --create.")
        parser.add_argument("--remove", action="store_true", help="Stop the user being an editor.")
        parser.add_argument(
            "--archive-manager",
            action="store_true",
            help="Also let the user purge articles from the trash (the Archive managers group).",
        )

    def handle(
        self, *args, username: str, create: bool, email: str, remove: bool, archive_manager: bool, **options
    ):
        group = editors_group()
        users = get_user_model()
        user = users.objects.filter(**{users.USERNAME_FIELD: username}).first()
        if user is None and (remove or not create):
            raise CommandError(f"No user “{username}” (add --create to create one).")
        if remove:
            user.groups.remove(group, archive_managers_group())
            if not user.is_superuser:
                user.is_staff = False
                user.save(update_fields=["is_staff"])
            self.stdout.write(f"{username} is no longer an editor.")
            return
        if user is None:
            user = users.objects.create_user(username, email=email)  # no usable password yet
            self.stdout.write(f"Created {username}; set a password: manage.py changepassword {username}")
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(group)
        if archive_manager:
            user.groups.add(archive_managers_group())
        role = "an editor and archive manager" if archive_manager else "an editor"
        self.stdout.write(self.style.SUCCESS(f"{username} is {role}."))
