"""gunicorn's settings for Newsarchive, read from this folder by default (``make run``, the
systemd unit). Command-line options (``--bind``, ``--workers``) override them."""

import os

wsgi_app = "newsarchive.wsgi"
# A worker silent this long is killed; requests wait for database locks for less
# (DATABASE_BUSY_TIMEOUT in newsarchive/settings.py, which checks it against this).
timeout = int(os.environ.get("WEB_TIMEOUT", 30))


def post_worker_init(worker) -> None:
    """Each worker opens the search index and builds its facet data before taking requests."""
    from articles.search.warmup import warm_up

    warm_up()
