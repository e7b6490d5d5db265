"""Telling the wire formats apart by content, and refusing what cannot be read safely."""

import datetime
from pathlib import Path

import pytest

from articles.parsing import CopyError
from articles.parsing.formats import is_ninjs_file, read_wire
from articles.parsing.formats.common import caption_of, parse_datetime, split_trailer

FORMATS = Path(__file__).parent.parent / "fixtures" / "formats"
SEED_FIXTURE = Path(__file__).parents[2] / "fixtures" / "seed_archive.json"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (FORMATS / "mixed" / "reuters-zurich-trams.nitf.xml", "nitf"),
        (FORMATS / "mixed" / "dpa-bern-wahlen.newsml.xml", "newsml-g2"),
        (FORMATS / "versions" / "keystone-vaud-jobs-v1.xml", "newsml-g2"),
        (FORMATS / "mixed" / "afp-lagos-floods.ninjs.json", "ninjs"),
        (FORMATS / "mixed" / "ap-kyiv-grain.ninjs.json", "ninjs"),
    ],
)
def test_the_format_is_told_by_content_whatever_the_name(path, expected):
    data = path.read_bytes()
    assert read_wire(data, path.name).format == expected
    assert read_wire(data, "copy.txt").format == expected  # misnamed, still told by content


def test_raw_copy_is_no_wire_format():
    assert read_wire(b"GENEVA, March 3 (Reuters) - Talks resumed.\n", "a.txt") is None
    assert read_wire(b"<ACME.N> shares rose 3 percent\n", "a.txt") is None  # a ticker, not XML
    assert read_wire(b"{braces} in a headline\nGENEVA - Text.\n", "a.txt") is None


def test_a_django_fixture_is_not_ninjs():
    data = SEED_FIXTURE.read_bytes()
    assert not is_ninjs_file(data)
    with pytest.raises(CopyError, match=r"^JSON that is not ninjs \(a Django fixture\?"):
        read_wire(data, "seed_archive.json")
    assert is_ninjs_file((FORMATS / "mixed" / "ap-kyiv-grain.ninjs.json").read_bytes())


def test_malformed_xml_names_the_line():
    data = (FORMATS / "mixed" / "broken-storm.xml").read_bytes()
    with pytest.raises(CopyError, match=r"^not well-formed XML: mismatched tag: line 7, column 4$"):
        read_wire(data, "broken-storm.xml")


def test_xml_of_another_kind_is_refused_by_name():
    with pytest.raises(CopyError, match=r"its root element is <catalog>"):
        read_wire(b'<?xml version="1.0"?><catalog/>', "a.xml")
    with pytest.raises(CopyError, match=r"its root element is <newsItem>"):  # not the IPTC's
        read_wire(b'<newsItem xmlns="http://example.com/items"/>', "a.xml")


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE nitf [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>',  # entity expansion
        '<!DOCTYPE nitf [<!ENTITY x SYSTEM "file:///etc/passwd">]>',  # an external entity
    ],
)
def test_entities_are_refused_not_expanded(declaration):
    data = f'<?xml version="1.0"?>{declaration}<nitf><head><title>&b;</title></head></nitf>'.encode()
    with pytest.raises(CopyError, match=r"^refused XML: "):
        read_wire(data, "a.xml")


def test_a_declared_encoding_is_read():
    nitf = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><nitf><body><body.head><hedline>'
        "<hl1>Zürich: Grève générale à Genève</hl1></hedline></body.head>"
        "<body.content><p>Text.</p></body.content></body></nitf>"
    )
    document = read_wire(nitf.encode("iso-8859-1"), "a.xml")
    assert document.articles[0].headline == "Zürich: Grève générale à Genève"
    assert "Grève générale" in document.text  # the raw text kept, decoded


def test_dates_keep_their_offset():
    basic = parse_datetime("20261014T003000+0200")
    assert basic.isoformat() == "2026-10-14T00:30:00+02:00"
    assert parse_datetime("2026-10-15T21:50:00-04:00").date() == datetime.date(2026, 10, 15)
    assert parse_datetime("2026-10-15") == datetime.date(2026, 10, 15)
    assert parse_datetime("Oct 15") is None


def test_the_agency_trailer_is_split_off():
    body, trailer = split_trailer(["Text.", "(Additional reporting by Ann Lee in Paris; Writing by Bo Ng)"])
    assert (body, trailer) == (["Text."], "(Additional reporting by Ann Lee in Paris; Writing by Bo Ng)")
    assert split_trailer(["The report by the UN was read.", "More."]) == (
        ["The report by the UN was read.", "More."],
        "",
    )


def test_a_caption_credit_is_split_off():
    assert caption_of("Rescuers in Bern. (Photo: Peter Klaunzer/dpa)") == (
        caption_of("Rescuers in Bern.", "Peter Klaunzer/dpa")
    )
    assert caption_of("Bern (Switzerland) at night") == caption_of("Bern (Switzerland) at night", "")
    assert caption_of("Bern (Switzerland) at night").credit == ""
