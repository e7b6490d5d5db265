"""RSS 2.0 and Atom 1.0 feeds read into articles: every field the ingest takes."""

import datetime
from pathlib import Path

import pytest

from articles.parsing import CopyError
from articles.parsing.formats import read_wire
from articles.parsing.model import Caption

FEEDS = Path(__file__).parent.parent / "fixtures" / "formats" / "feeds"
RSS = FEEDS / "lakeside-courier.rss.xml"
ATOM = FEEDS / "alpine-wire.atom"
CEST = datetime.timezone(datetime.timedelta(hours=2))


def rss(items: str, channel: str = "<title>Harbour Times</title>") -> bytes:
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{channel}{items}</channel></rss>'.encode()


def test_rss_items_give_every_field():
    document = read_wire(RSS.read_bytes(), "feed.xml")  # a feed watcher's fetched bytes, named so
    assert document.format == "rss"
    ferry, cycle = document.articles
    assert ferry.format == "rss"
    assert ferry.identity == "https://www.lakesidecourier.example/?p=48213"  # the guid, not the link
    assert ferry.version is None and ferry.status == "usable"
    assert ferry.headline == "Ferry strike strands commuters on the eastern shore"
    assert (ferry.outlet, ferry.byline, ferry.language) == ("The Lakeside Courier", "Marta Kellner", "en")
    assert ferry.published_at == datetime.datetime(2026, 10, 14, 23, 40, tzinfo=CEST)
    assert ferry.published_at.utcoffset() == datetime.timedelta(hours=2)  # the source's own offset
    assert ferry.published == datetime.date(2026, 10, 14)  # 21:40 UTC, but the 14th where it was written
    assert ferry.topics == ["Transport", "Labour"]
    assert (
        ferry.source_url == "https://www.lakesidecourier.example/2026/10/14/ferry-strike-strands-commuters/"
    )
    assert ferry.rights == "Copyright 2026 Lakeside Courier Ltd. All rights reserved."
    assert ferry.place == "Varenna"  # the dateline opening content:encoded, taken out of the body
    assert ferry.body.split("\n\n") == [  # content:encoded, not the description
        "Ferry crews on Lake Varenna walked out at midnight on Wednesday, leaving some 6,000 commuters on "
        "the eastern shore without a crossing.",
        "The union said the strike would last 48 hours unless the operator reopened talks on rosters.",
        "“We have no choice,” said union steward Pia Rossi.",
    ]  # no "The post … appeared first on …"
    assert ferry.captions == [
        Caption("An empty ferry pier at Varenna on October 14, 2026.", "Luca Bernasconi")
    ]
    assert (
        ferry.summary
        == "Ferry crews walked out at midnight, leaving some 6,000 commuters without a crossing. […]"
    )
    assert ferry.raw.startswith("<item") and "48213" in ferry.raw and "cycle-lane" not in ferry.raw

    assert cycle.identity == "https://www.lakesidecourier.example/2026/10/13/cycle-lane-promenade/"
    assert cycle.byline == "Tomas Weber"  # <author>desk@… (Tomas Weber)</author>
    assert cycle.body == (  # the description, its tracking pixel dropped
        "The town council voted 14 to 9 on Tuesday to build a two-way cycle lane along the lakeside "
        "promenade."
    )
    assert (cycle.summary, cycle.captions, cycle.topics) == ("", [], ["Local politics"])
    assert cycle.published_at.isoformat() == "2026-10-13T08:15:00+02:00"


def test_atom_entries_give_every_field():
    document = read_wire(ATOM.read_bytes(), "alpine-wire.atom")
    assert document.format == "atom"
    avalanche, season = document.articles
    assert (avalanche.format, avalanche.identity) == ("atom", "tag:alpenpost.example,2026:article-7781")
    assert avalanche.headline == "Lawine verschüttet Passstrasse am Grimsel"
    assert (avalanche.outlet, avalanche.byline, avalanche.language) == ("Alpenpost", "Anna Zurbriggen", "de")
    assert avalanche.published_at.isoformat() == "2026-10-15T00:30:00+02:00"  # published, not updated
    assert avalanche.published == datetime.date(2026, 10, 15)  # still the 14th in UTC
    assert avalanche.topics == ["Wetter", "Verkehr"]
    assert avalanche.source_url == "https://www.alpenpost.example/2026/10/15/lawine-grimsel"
    assert avalanche.rights == "© 2026 Alpenpost Verlag AG"
    assert avalanche.summary == "Die Grimselpassstrasse bleibt nach einem Lawinenniedergang gesperrt."
    assert avalanche.body.split("\n\n") == [
        "Eine Lawine hat in der Nacht auf Donnerstag die Grimselpassstrasse auf einer Länge von 200 Metern "
        "verschüttet.",
        "Die Kantonspolizei teilte mit, dass niemand verletzt worden sei und die Strasse bis auf Weiteres "
        "gesperrt bleibe.",
    ]
    assert season.published_at.isoformat() == "2026-10-12T17:05:00+02:00"  # no published: updated
    assert season.body == "Die Bergbahnen der Region haben im Sommer so viele Gäste befördert wie nie zuvor."
    assert (season.summary, season.topics, season.byline) == ("", [], "Reto Imboden")


@pytest.mark.parametrize("name", ["feed.xml", "feed.txt", "feed.rss", "feed"])
def test_a_feed_is_told_by_its_content_whatever_its_name(name):
    document = read_wire(RSS.read_bytes(), name)
    assert document.format == "rss" and len(document.articles) == 2


def test_an_item_without_a_guid_is_known_by_its_link_and_dates_keep_their_zone():
    document = read_wire(
        rss(
            "<item><title>Harbour reopens</title><link>https://harbour.example/a/1</link>"
            "<content:encoded xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
            "&lt;p&gt;The post office said the fire appeared first on the roof.&lt;/p&gt;</content:encoded>"
            "<pubDate>Mon, 12 Oct 2026 23:30:00 -0500</pubDate>"
            "<description>Ships sailed.</description></item>"
        ),
        "feed.xml",
    )
    (article,) = document.articles
    assert article.identity == "https://harbour.example/a/1"
    assert article.published_at.isoformat() == "2026-10-12T23:30:00-05:00"
    assert article.published == datetime.date(2026, 10, 12)
    assert article.outlet == "Harbour Times" and article.byline is None and article.rights == ""
    assert article.body == "The post office said the fire appeared first on the roof."  # no WordPress footer
    assert article.summary == "Ships sailed."


def test_an_atom_entry_with_several_authors_names_them_all():
    data = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Radio</title><id>urn:v</id>'
        b"<entry><id>urn:v:1</id><title>Dam inspected</title><updated>2026-10-01T09:00:00Z</updated>"
        b"<author><name>Ina Berg</name></author><author><name>Ole Lund</name></author>"
        b"<content type='text'>Inspectors found no cracks.</content></entry></feed>"
    )
    (article,) = read_wire(data, "valley.atom").articles
    assert article.byline == "Ina Berg, Ole Lund"
    assert article.published_at == datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)
    assert article.body == "Inspectors found no cracks." and article.language == "en"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<rss version="2.0"><channel><title>X</title><item><title>A</item></channel></rss>',
            "not well-formed XML",
        ),
        (rss(""), "an RSS feed without items"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>X</title></feed>', "an Atom feed without items"),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss><channel><title>&a;</title>'
            b"</channel></rss>",
            "refused XML",
        ),
    ],
)
def test_a_malformed_or_empty_feed_is_a_copy_error(data, message):
    with pytest.raises(CopyError, match=message):
        read_wire(data, "feed.xml")
