"""Ingest copy into the archive: the one path ``manage.py ingest``, the admin upload and the
watched feeds share.

The parsing is :mod:`articles.parsing` (plain Python); this package resolves outlets, places and
topics (:mod:`.resolver`), writes each file in its own transaction (:mod:`.writing`), and reports
per file (:mod:`.reports`). Re-ingesting a file changes nothing (content hash); a corrected copy
of an article updates it and keeps the previous text as an earlier version, and what editors
decided stays (:func:`.writing.update`); a corrected story is found by its text when its headline
changed (:mod:`.match`).

Three kinds of file (:mod:`.paths` says which a folder gives, :mod:`.files` reads them):
- raw copy (``.txt`` and any other text): one or more stories, parsed by ``parse_copy``;
- the wire formats, told by their content (:mod:`articles.parsing.formats`): NITF, NewsML-G2,
  ninjs, RSS and Atom feeds, their items known by the format's identity and version
  (:mod:`.wire`), and saved web pages (HTML);
- ``.jsonl`` / ``.jsonl.gz`` records in the corpus format (title, body, published, outlet,
  url, categories, dateline), for bulk loads: each record is one article (read and checked by
  :mod:`articles.records`), committed in batches that a stopped load resumes after
  (:mod:`.batches`).
"""

from .files import ingest_paths, ingest_upload
from .paths import COPY_SUFFIXES, MAX_COPY_BYTES, RECORD_SUFFIXES, WIRE_SUFFIXES, expand_paths
from .reports import FileReport, IngestError, IngestReport
from .writing import BATCH, CORRECTED_COPY

__all__ = [
    "BATCH",
    "COPY_SUFFIXES",
    "CORRECTED_COPY",
    "MAX_COPY_BYTES",
    "RECORD_SUFFIXES",
    "WIRE_SUFFIXES",
    "FileReport",
    "IngestError",
    "IngestReport",
    "expand_paths",
    "ingest_paths",
    "ingest_upload",
]
