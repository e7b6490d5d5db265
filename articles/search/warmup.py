"""A web worker's first search costs what every later one shares: opening the searcher and reading
each facet's values (0.7-1.8 s on the Reuters archive). :func:`warm_up` pays it when the worker
starts (``gunicorn.conf.py``'s ``post_worker_init``), before it takes requests."""

from __future__ import annotations

import logging
import time

from haystack import connections

from articles.forms import SORTS
from articles.search.facets import FACETS

logger = logging.getLogger(__name__)


def warm_up(using: str = "default") -> None:
    """Build the search backend's shared data now, when it has any (Whoosh); log how long it took.

    A failure is logged, never raised: the worker serves anyway, and its first search tries again.
    """
    backend = connections[using].get_backend()
    if not hasattr(backend, "warm"):
        return
    started = time.perf_counter()
    try:
        backend.warm([facet.field for facet in FACETS] + ["story"], [s for s in SORTS.values() if s])
    except Exception:
        logger.exception("Warming the search index failed; the first search will do it.")
        return
    logger.info("Search index warmed in %.2f s.", time.perf_counter() - started)
