"""What the Reuters benchmarks that load an archive share: where the corpus is, and a
throwaway archive (Django set up on an empty, migrated SQLite database and Whoosh index in a
temporary folder, removed afterwards)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "reuters21578.jsonl.gz"


@contextlib.contextmanager
def temp_archive(prefix: str) -> Iterator[Path]:
    """Set Django up on a new archive in a temporary folder; yield the folder; remove it."""
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        sys.path.insert(0, str(REPO))
        os.environ["NEWSARCHIVE_DATA_DIR"] = str(data_dir)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield data_dir
    finally:
        shutil.rmtree(data_dir)
