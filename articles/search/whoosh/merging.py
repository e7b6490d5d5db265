"""Merging the index's segments without holding its writer, so editors' changes never wait for a merge.

Every commit adds a segment, and searches pay for each one. Whoosh merges segments inside a
commit, holding the index's one writer meanwhile: once an index has some twenty segments its
policy rewrites nearly all of it in one commit (two minutes for Reuters-21578), and every
change queued behind it waits. Here, as in Lucene, a merge is written *beside* the index,
without the writer:

1. :func:`plan` picks the segments to merge: segments of one size tier (sizes within a factor
   of ``FACTOR``), once a tier holds ``FACTOR`` of them. Every document is rewritten about once
   per tier (a handful of times from a thousand documents to a million), and the index keeps
   fewer than ``FACTOR`` segments a tier.
2. :func:`stage` writes their live documents into one new segment in a staging folder next to
   the index (the index's own commits delete unknown files in its folder). It reads the segments
   through a searcher that holds their files, so a commit meanwhile cannot pull them away.
3. :func:`install` takes the writer for a moment: it marks deleted in the new segment the
   documents deleted from its sources since step 2 (edits meanwhile), moves its files into the
   index and commits a table of contents with it in place of its sources. If a source is gone
   (another process merged it meanwhile), it gives up and nothing changes.

Commits under the writer merge only tiny segments (:func:`writing.merge_small`).
"""

from __future__ import annotations

import math
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader

from .processes import SegmentWriter
from .searcher import _open_searcher
from .writing import _commit, open_writer

# Segments whose live documents are within a factor of FACTOR of each other are one tier; a tier
# with FACTOR segments is merged into one segment of the next tier.
FACTOR = 4
# Segments of up to FACTOR * BASE documents are all the first tier (a bulk load's batch writes
# segments of a few hundred; four of them make one of the second tier).
BASE = 250
# Memory of a staged merge's postings (MB); beyond it Whoosh sorts them through files on disk.
MERGE_MB = 128


def tier(segment) -> int:
    """The size tier of a segment: 0 for up to ``FACTOR * BASE`` live documents, then one more
    for every factor of ``FACTOR``."""
    live = max(segment.doc_count(), 1)
    return max(0, math.floor(math.log(live / BASE, FACTOR)))


def plan(segments: list) -> list:
    """The segments to merge next (empty when none): every segment of the lowest tier that holds
    ``FACTOR`` or more. An empty segment (all its documents deleted) always goes."""
    tiers: dict[int, list] = {}
    for segment in segments:
        tiers.setdefault(tier(segment), []).append(segment)
    for level in sorted(tiers):
        if len(tiers[level]) >= FACTOR:
            return tiers[level]
    empty = [segment for segment in segments if segment.doc_count() == 0]
    return empty if empty else []


@dataclass
class Staged:
    """A merged segment written beside the index, not yet part of it."""

    segment: object  # the new segment (Whoosh's W3Segment)
    folder: Path  # the staging folder holding its files
    sources: dict[str, frozenset[int]]  # the merged segments' ids: their deleted documents then
    docmaps: dict[str, dict[int, int]]  # for each source, its live documents' numbers in the new one

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class _Staging:
    """What a Whoosh segment writer needs of an index, with files written to another folder."""

    def __init__(self, index, storage: FileStorage) -> None:
        self.index, self.storage, self.indexname = index, storage, index.indexname

    def _read_toc(self):
        return self.index._read_toc()


def staging_root(index) -> Path:
    """Where merges are staged: a folder beside the index's (``<index folder>.merging``)."""
    folder = Path(index.storage.folder)
    return folder.with_name(folder.name + ".merging")


def stage(index, chosen: list) -> Staged | None:
    """Write the live documents of the segments ``chosen`` into one new segment beside the index.
    None when one of them is no longer in the index (merged meanwhile)."""
    wanted = [segment.segment_id() for segment in chosen]
    folder = staging_root(index) / uuid.uuid4().hex
    with _open_searcher(index) as searcher:
        readers = {
            reader.segment().segment_id(): reader
            for reader, _ in searcher.reader().leaf_readers()
            if isinstance(reader, SegmentReader)
        }
        if not all(name in readers for name in wanted):
            return None
        storage = FileStorage(str(folder)).create()
        writer = SegmentWriter(_Staging(index, storage), _lk=False, limitmb=MERGE_MB, compound=False)
        sources, docmaps = {}, {}
        try:
            for name in wanted:
                reader = readers[name]
                sources[name] = frozenset(reader.segment().deleted_docs())
                docmaps[name] = {old: writer.docnum + new for new, old in enumerate(reader.all_doc_ids())}
                writer.add_reader(reader)
            segment = writer._finalize_segment()
        except BaseException:
            writer._close_segment()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            writer._tempstorage.destroy()
    return Staged(segment, folder, sources, docmaps)


def install(index, staged: Staged) -> bool:
    """Put a staged segment in place of its sources, in one commit under the writer (waiting for
    it as long as any writer does). Returns False, changing nothing, when a source is gone."""
    try:
        writer = open_writer(index)
    except BaseException:
        staged.discard()
        raise
    installed = False

    def policy(writer, segments: list) -> list:
        nonlocal installed
        current = {segment.segment_id(): segment for segment in segments}
        if not all(name in current for name in staged.sources):
            return segments
        for name, deleted_then in staged.sources.items():
            docmap = staged.docmaps[name]
            for docnum in set(current[name].deleted_docs()) - deleted_then:
                staged.segment.delete_document(docmap[docnum])
        for path in staged.folder.iterdir():
            if path.is_file():
                path.rename(Path(index.storage.folder, path.name))
        installed = True
        kept = [segment for name, segment in current.items() if name not in staged.sources]
        return [*kept, staged.segment] if staged.segment.doc_count() else kept

    try:
        _commit(writer, mergetype=policy)
    finally:
        staged.discard()
    return installed


def merge(index, on_merged: Callable[[int], None] | None = None) -> int:
    """Merge segments as :func:`plan` asks until it asks for nothing; returns how many merges
    were installed. ``on_merged`` is told each merge's document count."""
    merged = failed = 0
    segments = index._segments()
    # Each merge leaves fewer segments, so this many are enough whatever commits come meanwhile.
    for _ in range(len(segments)):
        if not (chosen := plan(segments)):
            break
        staged = stage(index, chosen)
        if staged is not None and install(index, staged):
            merged += 1
            if on_merged:
                on_merged(sum(len(docmap) for docmap in staged.docmaps.values()))
        else:
            failed += 1
            if failed >= 3:  # the index keeps changing under the merge: the next one will do it
                break
        segments = index._segments()
    return merged
