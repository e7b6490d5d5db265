"""The starter list of name variants (``fixtures/name_variants.json``): read, checked, and added
to the editors' AliasGroup table.

The file holds ``{"groups": [{"kind", "names", "source"}, ...]}``: each group two names or more
of one thing, its kind (for readers of the file) and where the names come from, which becomes the
group's note. A group is added only when the table holds none of its names yet: an editor's
group wins, and loading the list twice adds nothing the second time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from articles.models import AliasGroup
from articles.search import aliases

STARTER_LIST = Path(settings.BASE_DIR) / "fixtures" / "name_variants.json"
NOTE_LENGTH = AliasGroup._meta.get_field("note").max_length


class AliasListError(ValueError):
    """The list cannot be read; the message says where and why."""


@dataclass(frozen=True)
class ListedGroup:
    names: tuple[str, ...]
    source: str
    kind: str = ""

    @property
    def note(self) -> str:
        return f"Starter list{f' ({self.kind})' if self.kind else ''}. Source: {self.source}"


@dataclass
class Added:
    added: int
    skipped: list[ListedGroup]  # a name of theirs was in the table already

    def report(self) -> str:
        """One line on what the load added and skipped."""
        line = f"Name variants: {self.added} group(s) added"
        if self.skipped:
            firsts = ", ".join(group.names[0] for group in self.skipped[:10])
            more = ", …" if len(self.skipped) > 10 else ""
            line += f", {len(self.skipped)} skipped (a name already in the table: {firsts}{more})"
        return line + "."


def read_list(text: str) -> list[ListedGroup]:
    """The groups of a list file's text; :class:`AliasListError` on anything malformed (nothing
    is added from a list with one bad group)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise AliasListError(f"not JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        raise AliasListError('expected an object with a "groups" list')
    groups, seen = [], {}
    for n, raw in enumerate(data["groups"], start=1):
        group = _group(n, raw)
        for name in group.names:
            key = aliases.normalize(name)
            if seen.setdefault(key, n) != n:
                raise AliasListError(f"group {n}: {name!r} is in group {seen[key]} too")
        groups.append(group)
    return groups


def _group(n: int, raw) -> ListedGroup:
    if not isinstance(raw, dict):
        raise AliasListError(f"group {n}: expected an object")
    names, source, kind = raw.get("names"), raw.get("source"), raw.get("kind", "")
    if not isinstance(names, list) or not all(
        isinstance(x, str) and x.strip() and "\n" not in x for x in names
    ):
        raise AliasListError(f'group {n}: "names" must be a list of names, each on one line')
    names = tuple(x.strip() for x in names)
    if len({aliases.normalize(x) for x in names}) < 2:
        raise AliasListError(f"group {n}: needs two names that differ by more than case, accents and dots")
    if not isinstance(source, str) or not source.strip():
        raise AliasListError(f'group {n} ({names[0]}): "source" is missing')
    group = ListedGroup(names, source.strip(), kind if isinstance(kind, str) else "")
    if len(group.note) > NOTE_LENGTH:
        raise AliasListError(
            f"group {n} ({names[0]}): its note would be longer than {NOTE_LENGTH} characters"
        )
    return group


def read_file(path: Path = STARTER_LIST) -> list[ListedGroup]:
    try:
        return read_list(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise AliasListError(f"cannot read {path}: {error.strerror}") from None
    except AliasListError as error:
        raise AliasListError(f"{path}: {error}") from None


@transaction.atomic
def add_groups(groups: list[ListedGroup]) -> Added:
    """Add each group none of whose names the table holds yet."""
    held = {
        aliases.normalize(name)
        for names in AliasGroup.objects.values_list("names", flat=True)
        for name in AliasGroup(names=names).name_list()
    }
    new, skipped = [], []
    for group in groups:
        if any(aliases.normalize(name) in held for name in group.names):
            skipped.append(group)
        else:
            new.append(AliasGroup(names="\n".join(group.names), note=group.note))
    AliasGroup.objects.bulk_create(new)
    transaction.on_commit(aliases.invalidate)  # bulk_create sends no post_save
    return Added(len(new), skipped)
