from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Archive"

    def ready(self) -> None:
        from articles.jobs import (  # noqa: F401  (their kinds of job)
            fetch_feeds,
            index_queue,
            learn_variants,
            merge_index,
            review_scan,
            stories,
            upload,
        )
        from articles.stories import signals

        signals.connect()
