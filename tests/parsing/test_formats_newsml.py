"""NewsML-G2 items and messages read into articles: fields, translations, statuses, photos."""

import datetime
from pathlib import Path

import pytest

from articles.parsing import CopyError
from articles.parsing.formats import read_wire
from articles.parsing.model import Caption

FORMATS = Path(__file__).parent.parent / "fixtures" / "formats"
MESSAGE = FORMATS / "mixed" / "dpa-bern-wahlen.newsml.xml"
CEST = datetime.timezone(datetime.timedelta(hours=2))
G2 = "http://iptc.org/std/nar/2006-10-01/"


def item(guid: str, language: str, body: str = "<p>Text.</p>", meta: str = "", content: str = "") -> str:
    return (
        f'<newsItem guid="{guid}" version="1"><itemMeta><itemClass qcode="ninat:text"/>{meta}</itemMeta>'
        f'<contentMeta><language tag="{language}"/><headline>H {guid}</headline>{content}</contentMeta>'
        '<contentSet><inlineXML contenttype="application/xhtml+xml">'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html></inlineXML></contentSet></newsItem>'
    )


def message(*items: str) -> bytes:
    return f'<newsMessage xmlns="{G2}"><itemSet>{"".join(items)}</itemSet></newsMessage>'.encode()


def test_a_message_gives_each_text_item_with_every_field():
    german, french = read_wire(MESSAGE.read_bytes(), MESSAGE.name).articles  # the picture is no article
    assert (german.format, german.identity, german.version) == (
        "newsml-g2",
        "urn:newsml:dpa.com:20261018:261018-99-412345",
        2,
    )
    assert german.status == "usable" and german.language == "de"
    assert german.headline == "Grüne gewinnen zweiten Ständeratssitz in Bern"
    assert german.dek == "Stichwahl mit knappem Ausgang – Beteiligung bei 41 Prozent"
    assert german.slugline == "Schweiz/Wahlen/Ständerat"
    assert (german.byline, german.editor, german.outlet) == ("Anna Brunner", "Jonas Keller", "DPA")
    assert (german.place, german.country) == ("Bern", "Schweiz")  # the country among the broader places
    assert german.published_at == datetime.datetime(2026, 10, 18, 18, 2, tzinfo=CEST)  # firstCreated
    assert german.topics == ["Wahlen", "Politik", "Ständerat"]  # the names in the item's language
    assert german.rights == (
        "Copyright 2026 dpa Deutsche Presse-Agentur GmbH. Alle Rechte vorbehalten.; "
        "Nur für Abonnenten des dpa-Basisdienstes."
    )
    assert german.summary == "Die Grünen holen in der Stichwahl den zweiten Berner Sitz im Ständerat."
    assert german.body.split("\n\n") == [
        "Die Grünen haben in der Stichwahl um den zweiten Berner Sitz im Ständerat knapp gewonnen.",
        "Die Kandidatin Lea Zimmermann lag am Abend mit 1.214 Stimmen vor ihrem Konkurrenten.",
        "Die Wahlbeteiligung lag bei 41 Prozent.",
    ]
    assert german.captions == [Caption("Wahlplakate vor dem Bundeshaus in Bern.", "Peter Klaunzer/dpa")]
    assert german.raw.count("<ns0:newsItem") == 1  # each item keeps its own source
    assert (french.translation_of, french.translated, french.translated_from) == (german.identity, True, "de")
    assert (french.byline, french.place, french.country) == ("Anna Brunner", "Berne", "Suisse")
    assert french.trailer == "(Rédaction: Jonas Keller)"


def test_items_of_one_story_in_other_languages_are_translations_without_a_link():
    first, second = read_wire(message(item("a", "de"), item("b", "it")), "m.xml").articles
    assert (first.translation_of, second.translation_of, second.translated_from) == ("", "a", "de")


def test_items_of_other_stories_are_not_translations():
    slug = "<slugline>{}</slugline>"
    items = item("a", "de", content=slug.format("Wahlen")), item("b", "fr", content=slug.format("Sport"))
    assert [a.translation_of for a in read_wire(message(*items), "m.xml").articles] == ["", ""]


@pytest.mark.parametrize("status", ["canceled", "withheld"])
def test_a_canceled_or_withheld_item_is_marked_withdrawn(status):
    single = item("a", "en", meta=f'<pubStatus qcode="stat:{status}"/>').replace(
        "<newsItem ", f'<newsItem xmlns="{G2}" '
    )
    article = read_wire(single.encode(), "a.xml").articles[0]
    assert article.status == status and article.withdrawn


def test_an_image_without_a_figure_gives_its_alt_text_as_caption():
    article = read_wire(
        message(item("a", "en", body='<p>Text.</p><img src="x.jpg" alt="Smoke over Goma"/>')), "m.xml"
    )
    assert article.articles[0].captions == [Caption("Smoke over Goma")]


def test_a_message_of_pictures_only_is_refused():
    picture = '<newsItem guid="p"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem>'
    with pytest.raises(CopyError, match="without a text item"):
        read_wire(message(picture), "m.xml")
