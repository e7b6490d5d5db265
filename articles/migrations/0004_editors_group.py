"""The "Editors" group: exactly the permissions editing the archive needs (see articles/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from articles.roles import EDITORS, editor_codenames


def create_editors(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this one needs them now.
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, apps=apps, verbosity=0)
    articles.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=editor_codenames())
    )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editors_stories_aliases"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
