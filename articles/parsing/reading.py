"""Reading an uploaded or ingested file into text, refusing what is not news copy."""

from __future__ import annotations

import codecs
import re

from articles.sanitize import without_controls

from .model import CopyError

MAX_LINE_CHARS = 1_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.001  # a few stray control characters are tolerated in real copy


def read_copy(data: bytes, *, max_bytes: int = 10_000_000, max_line_chars: int = MAX_LINE_CHARS) -> str:
    """The text of a copy file: UTF-16 with a byte-order mark, UTF-8 (with or without one), else
    Windows-1252 when that clearly gives text. Raises :class:`CopyError` for an empty file, one
    larger than ``max_bytes``, binary or undecodable data, or a line longer than ``max_line_chars``.

    The few control characters tolerated are dropped (a form feed or vertical tab is read as the
    space the parser makes of it): every database stores the same text, and no page shows them.
    """
    if len(data) > max_bytes:
        raise CopyError(f"file too large: {len(data):,} bytes (limit {max_bytes:,})")
    text = _decode(data)
    if not text.strip():
        raise CopyError("empty file: no text in it")
    if len(_CONTROL.findall(text)) > max(2, len(text) * _MAX_CONTROL_SHARE):
        raise CopyError("not a text file: too many control characters (binary data?)")
    longest = max(map(len, text.splitlines()), default=0)
    if longest > max_line_chars:
        raise CopyError(f"huge line: {longest:,} characters (limit {max_line_chars:,})")
    return without_controls(text.replace("\f", " ").replace("\v", " "))


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")  # the byte-order mark says which end first, and is dropped
        except UnicodeDecodeError as error:
            raise CopyError("not text: it starts like UTF-16 but does not decode as UTF-16") from error
    if b"\x00" in data:
        raise CopyError(
            "not a text file: it contains NUL bytes (binary data, or UTF-16 without a byte-order mark? "
            "save it as UTF-8)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise CopyError("not text: neither UTF-8 nor Windows-1252") from error
