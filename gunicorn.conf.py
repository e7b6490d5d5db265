"""gunicorn's settings for Newsarchive, read from this folder by default (``make run``, the
systemd unit). Command-line options (``--bind``, ``--workers``) override them."""

wsgi_app = "newsarchive.wsgi"


def post_worker_init(worker) -> None:
    """Each worker opens the search index and builds its facet data before taking requests."""
    from articles.search.warmup import warm_up

    warm_up()
