"""Whole numbers a form posted (record ids, revisions), read without trusting them: only ASCII
digits, and no more than a database integer holds. ``"²"`` passes ``str.isdigit`` and then fails
``int()``; ``"9" * 30`` overflows the database's integer: both were server errors."""

from __future__ import annotations

from collections.abc import Iterable

# The most digits of a number taken: below 2**63 (the database's 64-bit integer).
MOST_DIGITS = 18


def number(value: str) -> int | None:
    """``value`` as a whole number, or None when it is not one a database id can be."""
    if value.isascii() and value.isdigit() and len(value) <= MOST_DIGITS:
        return int(value)
    return None


def numbers(values: Iterable[str]) -> list[int]:
    """The values that are whole numbers (:func:`number`), in order, the others left out."""
    return [found for value in values if (found := number(value)) is not None]
