"""The story index saved to disk, so a new process starts from it instead of re-reading the archive.

Building the :class:`StoryIndex` of a 21,577-article archive reads and tokenises every article
(about 20 s); loading it saved takes about a second (BENCHMARKS.md). Each process still keeps
its own index in memory: the file only spares it the build. The file holds the index, the
highest article id it has read, and two fingerprints that must match for it to be used:

- the archive's: how many articles up to that id can be versions, and when the last of them
  was created (another database, a flushed one, deleted or merged articles: no match);
- the code's: a hash of the modules that make the index (a new rule or tokeniser: no match).

Anything else (no file, a broken one, no match) and the caller builds the index as before.
The file is written only by this application into its data folder (it is a pickle: never point
``STORY_INDEX_FILE`` at a file anyone else can write).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import pickle
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from articles.stories.similarity import StoryIndex

log = logging.getLogger(__name__)

# Entries pickled together (see :func:`save`): words, copies, one day's postings or docs.
PART = 2000

# What makes the index: its rule and tokeniser, and the module that feeds it articles.
CODE = hashlib.sha256(
    b"".join(
        Path(__file__).with_name(name).read_bytes()
        for name in ("similarity.py", "documents.py", "occurrences.py", "assign.py", "saved.py")
    )
).hexdigest()


def _path() -> Path | None:
    path = getattr(settings, "STORY_INDEX_FILE", None)
    return Path(path) if path else None


def _archive(candidates: QuerySet, max_pk: int) -> tuple[int, str]:
    """How many of the ``candidates`` (the articles that can be versions) have an id up to
    ``max_pk``, and when the newest of them was created."""
    articles = candidates.filter(pk__lte=max_pk)
    newest = articles.order_by("-pk").values_list("created", flat=True).first()
    return articles.count(), newest.isoformat() if newest else ""


def load(candidates: QuerySet) -> tuple[StoryIndex, int] | None:
    """The saved index and the highest article id it has read, if it still fits the archive."""
    path = _path()
    if path is None or not path.exists():
        return None
    try:
        with path.open("rb") as file:
            parts = _parts(file)
            header = next(parts)
            if header["code"] != CODE:  # another rule's index: not worth reading further
                return None
            index = StoryIndex(counted=header["counted"], df=header["df"])
            sections = {"vocabulary": index.vocabulary, "copies": index.copies, "docs": index.docs}
            for kind, piece in parts:
                if kind == "postings":
                    day, terms = piece
                    index.postings.setdefault(day, {}).update(terms)
                else:
                    sections[kind].update(piece)
    except Exception:  # a broken or foreign file is no reason to fail: build afresh
        log.warning("Story index file %s could not be read; building the index", path, exc_info=True)
        return None
    archive, max_pk = header["archive"], header["max_pk"]
    if archive != _archive(candidates, max_pk) or len(index) != archive[0]:
        return None
    return index, max_pk


def _parts(file) -> Iterator:
    """The pickles of a saved index, one after the other."""
    while True:
        try:
            yield pickle.load(file)  # noqa: S301 - our own file in our data folder
        except EOFError:
            return


def save(index: StoryIndex, max_pk: int, candidates: QuerySet) -> None:
    """Write the index (read up to ``max_pk``) next to the archive: a new file, then renamed over
    the old one, so a process loading it meanwhile sees the old file or the new, never half.

    The index goes in parts of :data:`PART` entries (:func:`_pieces`), each pickled on its own: a
    pickler keeps every object it wrote until it is done, and with them the copies it made to
    write them (each array's bytes, each doc's slots). Written whole, a 100k index held some
    300 MB more while saved; in parts of 5,000 days, 110 MB more (its 219 days were one part)."""
    path = _path()
    if path is None:
        return
    header = {
        "code": CODE,
        "archive": _archive(candidates, max_pk),
        "max_pk": max_pk,
        "counted": index.counted,
        "df": index.df,
    }
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        with part.open("wb") as file:
            for piece in itertools.chain([header], _pieces(index)):
                pickle.dump(piece, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, path)
    except OSError:
        log.warning("Story index file %s could not be written", path, exc_info=True)
    finally:  # whatever stopped it (an error, Ctrl-C), no half-written file is left
        part.unlink(missing_ok=True)


def _pieces(index: StoryIndex) -> Iterator[tuple[str, object]]:
    """The index after its header, as ``(kind, part)``: its words, copies, each day's postings
    (``(day, part)``) and docs, :data:`PART` entries a part."""
    for kind, entries in (("vocabulary", index.vocabulary), ("copies", index.copies)):
        yield from ((kind, part) for part in _in_parts(entries))
    for day, terms in index.postings.items():
        yield from (("postings", (day, part)) for part in _in_parts(terms))
    yield from (("docs", part) for part in _in_parts(index.docs))


def _in_parts(entries: dict) -> Iterator[dict]:
    items = iter(entries.items())
    while part := dict(itertools.islice(items, PART)):
        yield part
