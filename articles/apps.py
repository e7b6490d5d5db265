from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Archive"

    def ready(self) -> None:
        from articles.stories import signals

        signals.connect()
