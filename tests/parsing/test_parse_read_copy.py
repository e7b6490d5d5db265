"""Reading copy files: encodings, and clear errors for what is not news copy."""

from __future__ import annotations

import pytest

from articles.parsing import CopyError, read_copy


def test_utf8():
    assert (
        read_copy("KYIV, Ukraine (AP) — Guterres said “yes”.".encode())
        == "KYIV, Ukraine (AP) — Guterres said “yes”."
    )


def test_utf8_bom_removed():
    assert read_copy(b"\xef\xbb\xbfHello world") == "Hello world"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark(encoding):
    text = "GENEVA, March 3 (Reuters) - Talks resumed in Zürich.\n"
    assert read_copy(f"\ufeff{text}".encode(encoding)) == text  # as Windows Notepad saves "Unicode"


def test_utf16_without_a_byte_order_mark_is_named():
    with pytest.raises(CopyError, match="UTF-16 without a byte-order mark"):
        read_copy("GENEVA, March 3 (Reuters) - Talks resumed.".encode("utf-16-le"))


def test_cp1252_fallback_for_clear_text():
    data = "São Paulo said “no” – café".encode("cp1252")
    assert read_copy(data) == "São Paulo said “no” – café"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n \t ", "empty"),
        (b"PK\x03\x04\x00\x00binary", "NUL"),
        (bytes(range(1, 32)) * 20 + b"text", "control characters"),
        (b"\x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Windows-1252"),
    ],
)
def test_not_copy(data, message):
    with pytest.raises(CopyError, match=message):
        read_copy(data)


def test_too_large():
    with pytest.raises(CopyError, match="too large"):
        read_copy(b"a" * 101, max_bytes=100)


def test_huge_line():
    with pytest.raises(CopyError, match="huge line"):
        read_copy(b"word " * 250_000)  # one 1.25 MB line
    assert read_copy(b"word\n" * 250_000).startswith("word\n")


def test_copy_error_is_a_value_error():
    assert issubclass(CopyError, ValueError)
