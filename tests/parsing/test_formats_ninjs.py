"""ninjs 1.x and 2.0 read into articles: every field the ingest takes."""

import datetime
import json
from pathlib import Path

import pytest

from articles.parsing import CopyError
from articles.parsing.formats import read_wire
from articles.parsing.model import Caption

MIXED = Path(__file__).parent.parent / "fixtures" / "formats" / "mixed"


def read(value: dict):
    return read_wire(json.dumps(value).encode(), "item.json").articles[0]


def test_ninjs_1_gives_every_field():
    article = read(json.loads((MIXED / "afp-lagos-floods.ninjs.json").read_text()))
    assert (article.format, article.version, article.status) == ("ninjs", 1, "usable")
    assert article.identity == "http://afp.com/news/2026/10/16/urn:newsml:afp.com:20261016:a1b2c3d4"
    assert article.headline == "Floods cut Lagos off from mainland as lagoon bursts its banks"
    assert (article.dek, article.byline, article.language) == (
        "Thousands sleep on rooftops in Makoko",
        "Chinedu Okafor",
        "en",
    )
    assert (article.outlet, article.place, article.country) == ("AFP", "Lagos", "Nigeria")
    assert article.published_at.isoformat() == "2026-10-16T00:20:00+01:00"  # firstcreated
    assert article.topics == ["flood", "weather", "Makoko", "Lagos lagoon"]
    assert article.summary == "Heavy rain flooded the Lagos lagoon overnight."
    assert article.rights == (
        "Copyright 2026 Agence France-Presse. All rights reserved.; "
        "For subscribers of the AFP English service only."
    )
    assert article.trailer == "(Reporting by Chinedu Okafor; editing by Jane Mbah)"
    assert article.body.split("\n\n") == [
        "Floodwater cut the islands of Lagos off from the mainland early Friday after the lagoon burst its "
        "banks following a night of torrential rain.",
        "The state emergency agency said 4,000 people had spent the night on rooftops in the Makoko "
        "waterfront district.",
    ]
    assert article.captions == [
        Caption("Residents of Makoko wade through floodwater on October 16, 2026.", "Pius Utomi Ekpei/AFP"),
        Caption(
            "Cars queue on the Third Mainland Bridge in Lagos on October 16, 2026.", "Benson Ibeabuchi/AFP"
        ),
    ]


def test_ninjs_2_gives_every_field():
    article = read(json.loads((MIXED / "ap-kyiv-grain.ninjs.json").read_text()))
    assert (article.identity, article.version) == ("urn:publicid:ap.org:5d1f9c6a2b7e4c0f8a3d2e1b0c9a8f7e", 3)
    assert (
        article.headline == "Ukraine resumes grain shipments from Odesa after 3-day halt"
    )  # headlines[main]
    assert article.dek == "Insurers agree to cover ships again"  # headlines[subheadline]
    assert (article.byline, article.outlet, article.language) == (
        "Olena Kovalenko and Sam Whitaker",
        "AP",
        "en",
    )
    assert (article.place, article.country) == ("Kyiv", "Ukraine")
    assert article.published_at.isoformat() == "2026-10-15T21:50:00-04:00"
    assert article.published == datetime.date(2026, 10, 15)
    assert article.topics == ["Agriculture", "Shipping", "grain", "Odesa"]
    assert article.summary == "Grain ships left Odesa again on Wednesday."
    assert (
        article.rights
        == "Copyright 2026 The Associated Press. All rights reserved.; https://www.ap.org/terms"
    )
    assert article.body.startswith(
        "Ukraine resumed grain shipments from Odesa on Wednesday after a three-day halt"
    )
    assert article.captions == [
        Caption(
            "A bulk carrier leaves the port of Odesa, Ukraine, on Wednesday, Oct. 15, 2026.",
            "AP Photo/Mykola Tymchenko",
        )
    ]


def test_a_plain_text_body_and_a_withheld_status():
    article = read(
        {
            "uri": "urn:x:1",
            "version": 2,
            "versioncreated": "2026-10-15T08:00:00Z",
            "headline": "Ferry delayed",
            "pubstatus": "withheld",
            "bodies": [{"role": "main", "contenttype": "text/plain", "value": "Para one.\n\nPara two."}],
            "place": [{"name": "Helsinki"}],
        }
    )
    assert article.body == "Para one.\n\nPara two." and article.withdrawn and article.version == 2
    assert (article.place, article.country) == ("Helsinki", "Finland")
    assert article.published_at.isoformat() == "2026-10-15T08:00:00+00:00"


def test_a_picture_item_is_no_article():
    with pytest.raises(CopyError, match="type 'picture'"):
        read({"uri": "urn:x:2", "type": "picture", "headline": "A photo"})


@pytest.mark.parametrize(
    "value", [{"model": "articles.outlet", "pk": 1, "fields": {}}, {"title": "x"}, [1, 2]]
)
def test_json_that_is_not_ninjs_is_refused(value):
    with pytest.raises(CopyError, match="not ninjs"):
        read_wire(json.dumps(value).encode(), "x.json")
