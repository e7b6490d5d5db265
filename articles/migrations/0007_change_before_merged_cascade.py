"""History rows keep the state *before* their change (so the state before the first change can
be restored), and deleting a canonical article deletes its merged duplicates.

Existing rows held the state after their change: a row's state before is the state after the
article's previous row. The first row of each article has none (that state was never stored).
"""

import django.db.models.deletion
from django.db import migrations, models


def after_to_before(apps, schema_editor):
    ArticleChange = apps.get_model("articles", "ArticleChange")
    article, previous = None, {}
    changes = ArticleChange.objects.order_by("article_id", "when", "pk").only("article_id", "snapshot")
    for change in changes.iterator(chunk_size=500):
        if change.article_id != article:
            article, previous = change.article_id, {}
        change.before, previous = previous, change.snapshot
        change.save(update_fields=["before"])


def before_to_after(apps, schema_editor):
    ArticleChange = apps.get_model("articles", "ArticleChange")
    article, later = None, None
    changes = ArticleChange.objects.order_by("article_id", "-when", "-pk").only("article_id", "before")
    for change in changes.iterator(chunk_size=500):
        if change.article_id != article:
            article, later = change.article_id, None
        # The newest row's state after is the article as it is now: not stored, so none.
        change.snapshot, later = (later.before if later else {}), change
        change.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_possible_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlechange",
            name="before",
            field=models.JSONField(blank=True, default=dict, help_text="The editable fields before the change."),
        ),
        migrations.RunPython(after_to_before, before_to_after),
        migrations.RemoveField(
            model_name="articlechange",
            name="snapshot",
        ),
        migrations.AlterField(
            model_name="article",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                help_text="The canonical article this duplicate was merged into; its URL redirects there.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="merged_duplicates",
                to="articles.article",
            ),
        ),
    ]
