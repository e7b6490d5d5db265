"""Which files an ingest reads: the files named, and what a folder gives."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from articles.parsing.formats import HTML_SUFFIXES, XML_SUFFIXES, is_ninjs_file

from .reports import IngestError

MAX_COPY_BYTES = 5 * 1024 * 1024  # one raw copy file
RECORD_SUFFIXES = (".jsonl", ".jsonl.gz")
COPY_SUFFIXES = (".txt", ".text")  # the raw copy a folder gives (a file named is read as given)
# The wire formats a folder gives: XML (NITF, NewsML-G2, RSS, Atom) and web pages always, JSON when
# it is ninjs.
WIRE_SUFFIXES = (*XML_SUFFIXES, *HTML_SUFFIXES, ".json")


def expand_paths(patterns: Iterable[str]) -> tuple[list[Path], list[Path]]:
    """Files named, files under folders (recursively) and glob matches, sorted, each once; and the
    files under folders left out: hidden ones and those neither raw copy (``COPY_SUFFIXES``),
    records nor a wire format (a README.md; a .json file that is not ninjs, such as a fixture)."""
    found: dict[Path, None] = {}
    left_out: list[Path] = []
    for pattern in patterns:
        matches = [Path(m) for m in sorted(glob.glob(pattern, recursive=True))] or [Path(pattern)]
        for path in matches:
            if not path.is_dir():
                found[path] = None
                continue
            for inner in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = inner.relative_to(path).parts
                wanted = _in_folder(inner)
                if wanted and not any(part.startswith(".") for part in relative):
                    found[inner] = None
                else:
                    left_out.append(inner)
    return list(found), [path for path in left_out if path not in found]


def _in_folder(path: Path) -> bool:
    """Whether a folder gives this file: raw copy, records, XML, web pages, or JSON that is ninjs."""
    name = path.name.lower()
    if name.endswith(".json"):
        try:
            return path.stat().st_size <= MAX_COPY_BYTES and is_ninjs_file(path.read_bytes())
        except OSError:
            return True  # named, so that its ingest reports why it cannot be read
    return name.endswith(COPY_SUFFIXES + RECORD_SUFFIXES + WIRE_SUFFIXES)


def is_records(name: str) -> bool:
    return name.lower().endswith(RECORD_SUFFIXES)


def read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_COPY_BYTES:
            raise IngestError(f"file too large: {path.stat().st_size:,} bytes (limit {MAX_COPY_BYTES:,})")
        return path.read_bytes()
    except FileNotFoundError as error:
        raise IngestError("no such file") from error
    except OSError as error:
        raise IngestError(f"unreadable: {error.strerror or error}") from error
