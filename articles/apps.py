from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Archive"

    def ready(self) -> None:
        from articles.jobs import index_queue, merge_index, stories, upload  # noqa: F401  (register their kinds of job)
        from articles.stories import signals

        signals.connect()
