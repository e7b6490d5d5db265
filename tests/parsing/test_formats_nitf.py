"""NITF 3.x read into articles: every field the ingest takes, on a Reuters-style sample."""

import datetime
from pathlib import Path

from articles.parsing.formats import read_wire
from articles.parsing.model import Caption

SAMPLE = Path(__file__).parent.parent / "fixtures" / "formats" / "mixed" / "reuters-zurich-trams.nitf.xml"
CEST = datetime.timezone(datetime.timedelta(hours=2))


def nitf(docdata: str = "", head: str = "", content: str = "<p>Text.</p>") -> str:
    return (
        f'<?xml version="1.0"?><nitf><head><docdata>{docdata}</docdata></head><body><body.head>'
        f"<hedline><hl1>Headline</hl1></hedline>{head}</body.head><body.content>{content}</body.content>"
        "</body></nitf>"
    )


def read(text: str):
    return read_wire(text.encode(), "a.xml").articles[0]


def test_the_sample_gives_every_field():
    article = read_wire(SAMPLE.read_bytes(), SAMPLE.name).articles[0]
    assert article.format == "nitf"
    assert article.headline == "Zürich tram drivers strike over night shifts"
    assert article.dek == "Unions say the city's new rota breaks the collective agreement"
    assert article.byline == "Cécile Mantovani"  # without "By" and the title (byttl)
    assert (article.outlet, article.place, article.country) == ("Reuters", "Zurich", "Switzerland")
    assert article.published_at == datetime.datetime(2026, 10, 14, 0, 30, tzinfo=CEST)
    assert article.published == datetime.date(2026, 10, 14)
    assert article.released_at == datetime.datetime(2026, 10, 14, 6, 0, tzinfo=CEST)
    assert (article.identity, article.version, article.du_key) == (
        "tag:reuters.com,2026:newsml_L8N3ZH0QX",
        2,
        "SWISS-STRIKE/TRAMS",
    )
    assert article.status == "usable"
    assert article.topics == ["Labour", "Strike", "Public transport", "Zürich"]
    assert article.rights == (
        "© 2026 Thomson Reuters; rights: Thomson Reuters, agent: Reuters News Agency; subscription; worldwide"
    )
    assert article.trailer == (
        "(Reporting by Cécile Mantovani; Editing by Mark Heinrich) "
        "((cecile.mantovani@thomsonreuters.com; +41 58 306 7000))"
    )
    assert article.summary == "Trams stood still in Zürich after drivers walked out at midnight."
    assert article.body.split("\n\n") == [
        "Tram drivers in Zürich walked off the job at midnight on Wednesday, halting most of the city's 15 "
        "lines for the morning commute.",
        "Night rota",
        "The VPOD union said the transport authority's new rota, which adds two night shifts a month, breaks "
        'the collective agreement signed in 2024. "Nobody asked the drivers," said union secretary René '
        "Blättler.",
        "The authority said buses would run on the busiest routes until the dispute is settled.",
    ]
    assert article.captions == [
        Caption(
            "Commuters wait at an empty tram stop at Zurich's Central square on October 14, 2026.",
            "REUTERS/Arnd Wiegmann",
        )
    ]


def test_management_status_and_its_absence():
    assert read(nitf()).status == "usable"
    canceled = read(nitf().replace("<docdata>", '<docdata management-status="canceled">'))
    assert canceled.status == "canceled" and canceled.withdrawn


def test_blocks_lists_and_tables_are_read_block_by_block():
    content = (
        "<block><p>First.</p><media><media-reference alternate-text='A flooded street'/></media></block>"
        "<ul><li>One</li><li>Two</li></ul><table><tr><td>Team</td><td>3</td></tr></table>"
    )
    article = read(nitf(content=content))
    assert article.body.split("\n\n") == ["First.", "One", "Two", "Team 3"]
    assert article.captions == [Caption("A flooded street")]


def test_a_byline_without_people_and_the_event_location():
    head = "<byline>By JANE DOE, <byttl>AP Business Writer</byttl></byline>"
    article = read(nitf(docdata='<evloc city="Nairobi" iso-cc="KE"/>', head=head))
    assert article.byline == "JANE DOE"
    assert (article.place, article.country) == ("Nairobi", "KE")


def test_the_date_falls_back_to_the_dateline_story_date():
    head = '<dateline><location><city>Oslo</city></location><story.date norm="20261101"/></dateline>'
    article = read(nitf(head=head))
    assert article.published == datetime.date(2026, 11, 1) and article.published_at is None
    assert (article.place, article.country) == ("Oslo", "Norway")


def test_the_state_gives_the_country_the_dateline_does_not_name():
    head = "<dateline><location><city>Springfield</city><state>Illinois</state></location></dateline>"
    assert (read(nitf(head=head)).place, read(nitf(head=head)).country) == ("Springfield", "United States")
