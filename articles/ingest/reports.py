"""What an ingest reports, file by file, and the errors it reports them with."""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass, field

from django.db import DatabaseError

from articles.parsing import CopyError, ParsedArticle
from articles.records import RecordError

_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
log = logging.getLogger(__name__)


class IngestError(ValueError):
    """A file that cannot be ingested, with a reason a person can act on."""


@dataclass
class FileReport:
    path: str
    ok: bool = True
    error: str | None = None
    format: str = ""  # what the file was read as: text, jsonl, nitf, newsml-g2, ninjs, rss, atom, html
    articles: list[dict] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # records with nothing in them
    resumed_after: int = 0  # lines of a records file an earlier, stopped load committed

    @property
    def article_count(self) -> int:
        """Articles read from the file (``articles`` lists them only when the load describes them)."""
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "format": self.format or None,
            "ok": self.ok,
            "error": self.error,
            "articles": self.articles,
            "skipped": self.skipped,
            "resumed_after": self.resumed_after,
        }


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def summary(self) -> dict:
        return {
            "files": len(self.files),
            "articles": sum(f.article_count for f in self.files),
            "created": sum(f.created for f in self.files),
            "updated": sum(f.updated for f in self.files),
            "unchanged": sum(f.unchanged for f in self.files),
            "errors": sum(not f.ok for f in self.files),
        }

    def as_dict(self) -> dict:
        return {"files": [f.as_dict() for f in self.files], "summary": self.summary()}


@dataclass
class Item:
    """One article to write: what the parser found, plus where it came from."""

    parsed: ParsedArticle
    raw_text: str
    digest: str  # content hash of ``raw_text`` (the whole file for raw copy, shared by its stories)
    source_file: str
    source_url: str = ""
    licence: str = ""


def failure(path: str, error: Exception) -> Exception:
    """The error to report for a file that failed with ``error`` (logged when not the file's fault)."""
    if isinstance(error, CopyError | IngestError | RecordError | DatabaseError):
        return error
    if isinstance(error, OSError) and error.errno in _DISK_FULL:  # the database's or the index's
        message = f"the disk is full ({error.strerror}): free some space and ingest the file again"
        log.error("ingesting %s failed: %s", path, message)
        return IngestError(message)
    # a parser bug on odd copy must not stop the other files
    log.exception("ingesting %s failed", path)
    return IngestError(f"could not be parsed ({type(error).__name__}: {error})")


def fail(result: FileReport, error: Exception) -> None:
    result.ok, result.error, result.articles = False, str(error), []
    result.created = result.updated = result.unchanged = 0
