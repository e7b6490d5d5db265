"""The IPTC wire formats (NITF, NewsML-G2, ninjs) through ``manage.py ingest`` and the upload path:
what each maps to in the archive, versions, withdrawals, translations and bad files."""

import datetime
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles import editorial
from articles.ingest import ingest_upload
from articles.models import Article, ArticleChange, ArticleVersion
from tests.conftest import SEED_FIXTURE

pytestmark = pytest.mark.django_db(transaction=True)

FORMATS = Path(__file__).parent / "fixtures" / "formats"
MIXED, VERSIONS = FORMATS / "mixed", FORMATS / "versions"
NITF = MIXED / "reuters-zurich-trams.nitf.xml"
G2_MESSAGE = MIXED / "dpa-bern-wahlen.newsml.xml"
NINJS_1 = MIXED / "afp-lagos-floods.ninjs.json"
NINJS_2 = MIXED / "ap-kyiv-grain.ninjs.json"
KEYSTONE_V1 = VERSIONS / "keystone-vaud-jobs-v1.xml"
KEYSTONE_CANCELED = VERSIONS / "keystone-vaud-jobs-v2-canceled.xml"
LAKESIDE_RSS = FORMATS / "feeds" / "lakeside-courier.rss.xml"
WIRE_TEXT = "NAIROBI, March 3 (Reuters) - Kenya's central bank held its benchmark rate at 9 percent.\n"


def ingest(*args) -> tuple[int, dict]:
    """Run the command with ``--json``; its exit status and report."""
    out = StringIO()
    try:
        call_command("ingest", *map(str, args), "--json", stdout=out, stderr=StringIO())
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, json.loads(out.getvalue())


def by_name(report: dict) -> dict[str, dict]:
    return {Path(file["path"]).name: file for file in report["files"]}


def test_a_mixed_folder_ingests_every_format_and_reports_the_malformed_file(search_backend, tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(MIXED, folder)
    (folder / "nairobi.txt").write_text(WIRE_TEXT)
    (folder / "corpus.jsonl").write_text(
        json.dumps({"id": "r1", "title": "Rates held", "body": "Text."}) + "\n"
    )
    shutil.copy(SEED_FIXTURE, folder / "seed_archive.json")  # a Django fixture: left out
    status, report = ingest(folder)
    files = by_name(report)
    assert status == 1
    assert {name: file["format"] for name, file in files.items()} == {
        "afp-lagos-floods.ninjs.json": "ninjs",
        "ap-kyiv-grain.ninjs.json": "ninjs",
        "broken-storm.xml": None,  # not read as any format
        "corpus.jsonl": "jsonl",
        "dpa-bern-wahlen.newsml.xml": "newsml-g2",
        "harbour-times.rss": "rss",
        "nairobi.txt": "text",
        "northfield-post-library.html": "html",
        "reuters-zurich-trams.nitf.xml": "nitf",
    }
    broken = files["broken-storm.xml"]
    assert not broken["ok"] and broken["articles"] == []
    assert broken["error"].startswith("not well-formed XML: mismatched tag: line 7, column 4")
    assert all(file["ok"] for name, file in files.items() if name != "broken-storm.xml")
    assert report["summary"] | {"files": None} == {
        "files": None,
        "articles": 10,
        "created": 10,
        "updated": 0,
        "unchanged": 0,
        "errors": 1,
    }
    assert Article.objects.count() == 10
    library = Article.objects.get(headline="Library reopens after flood repairs")
    assert (library.wire_format, library.outlet.name, library.byline) == (
        "html",
        "Northfield Post",
        "Dana Whitfield",
    )
    assert (library.published, library.published_offset) == (datetime.date(2026, 10, 8), -300)
    assert library.source_url == "https://northfieldpost.example/2026/10/08/library-reopens"
    assert library.body.startswith("Northfield's public library reopened") and "Privacy" not in library.body
    assert not Article.objects.filter(headline__icontains="Storm warning").exists()  # nothing half-written
    assert ingest(folder)[1]["summary"]["unchanged"] == 10  # the same files again change nothing


def test_nitf_maps_to_an_article(search_backend):
    status, report = ingest(NITF)
    assert status == 0 and by_name(report)[NITF.name]["format"] == "nitf"
    described = report["files"][0]["articles"][0]
    assert (described["identity"], described["version"], described["du_key"]) == (
        "tag:reuters.com,2026:newsml_L8N3ZH0QX",
        2,
        "SWISS-STRIKE/TRAMS",
    )
    article = Article.objects.get()
    assert article.headline == "Zürich tram drivers strike over night shifts"  # read as ISO-8859-1
    assert article.dek == "Unions say the city's new rota breaks the collective agreement"
    assert article.byline == "Cécile Mantovani"
    assert (article.outlet.name, article.place.city, article.place.country) == (
        "Reuters",
        "Zurich",
        "Switzerland",
    )
    # 00:30 in Zurich is the 13th in UTC: the day stays the source's own
    assert article.published == datetime.date(2026, 10, 14)
    assert article.published_local.isoformat() == "2026-10-14T00:30:00+02:00"
    assert article.published_offset == 120
    assert article.released_at == datetime.datetime(2026, 10, 14, 4, 0, tzinfo=datetime.UTC)
    assert (article.wire_format, article.wire_id, article.wire_version, article.wire_status) == (
        "nitf",
        "tag:reuters.com,2026:newsml_L8N3ZH0QX",
        2,
        "usable",
    )
    assert article.rights == (
        "© 2026 Thomson Reuters; rights: Thomson Reuters, agent: Reuters News Agency; subscription; worldwide"
    )
    assert article.trailer.startswith("(Reporting by Cécile Mantovani; Editing by Mark Heinrich)")
    assert article.body.startswith("Tram drivers in Zürich walked off the job")  # the dateline is not text
    assert "Night rota" in article.body and "Reporting by" not in article.body
    assert "Commuters wait" not in article.body
    assert [(c.text, c.credit) for c in article.captions.all()] == [
        (
            "Commuters wait at an empty tram stop at Zurich's Central square on October 14, 2026.",
            "REUTERS/Arnd Wiegmann",
        )
    ]
    assert sorted(t.name for t in article.topics.all()) == ["Labour", "Public transport", "Strike", "Zürich"]
    assert article.summary == "Trams stood still in Zürich after drivers walked out at midnight."
    assert article.status == Article.Status.PUBLISHED


def test_a_newsml_message_gives_its_translations_linked(search_backend):
    status, report = ingest(G2_MESSAGE)
    assert status == 0 and report["files"][0]["format"] == "newsml-g2"
    german = Article.objects.get(language="de")
    french = Article.objects.get(language="fr")
    assert Article.objects.count() == 2  # the picture item is not an article
    assert french.translation_of == german and list(german.translations.all()) == [french]
    assert (french.translated_from, german.translated_from) == ("de", "")
    assert german.headline == "Grüne gewinnen zweiten Ständeratssitz in Bern"
    assert german.dek == "Stichwahl mit knappem Ausgang – Beteiligung bei 41 Prozent"
    assert german.slugline == "Schweiz/Wahlen/Ständerat"
    assert (german.byline, german.editor, german.outlet.name) == ("Anna Brunner", "Jonas Keller", "DPA")
    assert (german.place.city, german.place.country) == ("Bern", "Schweiz")
    assert (french.place.city, french.place.country) == ("Berne", "Suisse")
    assert german.published_local.isoformat() == "2026-10-18T18:02:00+02:00"
    assert (german.wire_id, german.wire_version) == ("urn:newsml:dpa.com:20261018:261018-99-412345", 2)
    assert german.rights.startswith(
        "Copyright 2026 dpa Deutsche Presse-Agentur GmbH. Alle Rechte vorbehalten."
    )
    assert german.summary.startswith("Die Grünen holen in der Stichwahl")
    assert german.body.startswith("Die Grünen haben in der Stichwahl") and "Wahlplakate" not in german.body
    assert [(c.text, c.credit) for c in german.captions.all()] == [
        ("Wahlplakate vor dem Bundeshaus in Bern.", "Peter Klaunzer/dpa")
    ]
    assert sorted(t.name for t in german.topics.all()) == ["Politik", "Ständerat", "Wahlen"]
    assert sorted(t.name for t in french.topics.all()) == ["Conseil des Etats", "élections"]
    assert french.trailer == "(Rédaction: Jonas Keller)" and "Rédaction" not in french.body


def test_a_canceled_item_withdraws_the_earlier_version(search_backend):
    assert ingest(KEYSTONE_V1)[0] == 0
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED and article.wire_version == 1
    status, report = ingest(KEYSTONE_CANCELED)
    assert status == 0 and report["files"][0]["articles"][0]["status"] == "withdrawn"
    article.refresh_from_db()
    assert (article.status, article.wire_status, article.wire_version) == ("draft", "canceled", 2)
    assert article.headline == "Nestlé-Zulieferer streicht 300 Stellen in der Waadt"  # its text stays
    assert ArticleChange.objects.filter(article=article, action="withdrawn by the source").exists()
    assert Article.objects.count() == 1
    assert ingest(KEYSTONE_CANCELED)[1]["summary"]["unchanged"] == 1  # the same withdrawal again
    assert ingest(KEYSTONE_V1)[1]["summary"]["unchanged"] == 1  # version 1 again: still withdrawn
    article.refresh_from_db()
    assert article.status == "draft"


def test_a_canceled_item_arriving_first_is_never_published(search_backend, tmp_path):
    status, report = ingest(KEYSTONE_CANCELED)
    assert status == 0
    article = Article.objects.get()
    assert (article.status, article.wire_status, article.wire_version) == ("draft", "canceled", 2)
    late = tmp_path / "late.xml"
    shutil.copy(KEYSTONE_V1, late)
    status, report = ingest(late)  # the older, usable version arriving late
    assert report["files"][0]["articles"][0]["status"] == "older version"
    article.refresh_from_db()
    assert (article.status, article.wire_version) == ("draft", 2)


def test_ninjs_versions_decide_which_copy_is_newer(search_backend, tmp_path):
    assert ingest(NINJS_2)[0] == 0
    article = Article.objects.get()
    assert article.wire_version == 3
    status, report = ingest(VERSIONS / "ap-kyiv-grain-v2.json")  # an older version arriving late
    assert status == 0 and report["files"][0]["articles"][0]["status"] == "older version"
    assert report["summary"]["unchanged"] == 1
    article.refresh_from_db()
    assert article.headline == "Ukraine resumes grain shipments from Odesa after 3-day halt"
    assert not article.versions.exists()

    status, report = ingest(VERSIONS / "ap-kyiv-grain-v4.json")  # a newer one corrects it
    assert report["files"][0]["articles"][0]["status"] == "updated"
    article.refresh_from_db()
    assert article.wire_version == 4 and "after a four-day halt" in article.body
    assert article.versions.get().body.startswith("Ukraine resumed grain shipments")
    assert Article.objects.count() == 1

    resent = json.loads((VERSIONS / "ap-kyiv-grain-v4.json").read_text())
    resent["version"] = "5"  # the same story, resent under a new version: no new earlier version
    (tmp_path / "resent.json").write_text(json.dumps(resent))
    assert ingest(tmp_path / "resent.json")[1]["summary"]["updated"] == 1
    article.refresh_from_db()
    assert article.wire_version == 5 and ArticleVersion.objects.filter(article=article).count() == 1


def test_ninjs_2_maps_to_an_article(search_backend):
    ingest(NINJS_2)
    article = Article.objects.get()
    assert article.headline == "Ukraine resumes grain shipments from Odesa after 3-day halt"
    assert article.dek == "Insurers agree to cover ships again"
    assert (article.byline, article.outlet.name, article.language) == (
        "Olena Kovalenko and Sam Whitaker",
        "AP",
        "en",
    )
    assert (article.place.city, article.place.country) == ("Kyiv", "Ukraine")
    # 21:50 in New York is the 16th in UTC: the day stays the 15th
    assert article.published == datetime.date(2026, 10, 15)
    assert article.published_local.isoformat() == "2026-10-15T21:50:00-04:00"
    assert article.body.startswith("Ukraine resumed grain shipments from Odesa on Wednesday")
    assert article.summary == "Grain ships left Odesa again on Wednesday."
    assert (
        article.rights
        == "Copyright 2026 The Associated Press. All rights reserved.; https://www.ap.org/terms"
    )
    assert [(c.text, c.credit) for c in article.captions.all()] == [
        (
            "A bulk carrier leaves the port of Odesa, Ukraine, on Wednesday, Oct. 15, 2026.",
            "AP Photo/Mykola Tymchenko",
        )
    ]
    assert sorted(t.name for t in article.topics.all()) == ["Agriculture", "Odesa", "Shipping", "grain"]
    assert (article.wire_format, article.wire_status) == ("ninjs", "usable")


def test_ninjs_1_maps_to_an_article(search_backend):
    ingest(NINJS_1)
    article = Article.objects.get()
    assert article.headline == "Floods cut Lagos off from mainland as lagoon bursts its banks"
    assert (article.dek, article.byline) == ("Thousands sleep on rooftops in Makoko", "Chinedu Okafor")
    assert (article.outlet.name, article.place.city, article.place.country) == ("AFP", "Lagos", "Nigeria")
    assert article.published_local.isoformat() == "2026-10-16T00:20:00+01:00"
    assert article.published == datetime.date(2026, 10, 16)
    assert article.trailer == "(Reporting by Chinedu Okafor; editing by Jane Mbah)"
    assert article.body.endswith("in the Makoko waterfront district.")
    assert [c.credit for c in article.captions.all()] == ["Pius Utomi Ekpei/AFP", "Benson Ibeabuchi/AFP"]
    assert article.rights.startswith(
        "Copyright 2026 Agence France-Presse. All rights reserved.; For subscribers"
    )
    assert sorted(t.name for t in article.topics.all()) == ["Lagos lagoon", "Makoko", "flood", "weather"]
    assert (article.wire_id, article.wire_version) == (
        "http://afp.com/news/2026/10/16/urn:newsml:afp.com:20261016:a1b2c3d4",
        1,
    )


def test_a_json_file_that_is_not_ninjs_is_refused_when_named(search_backend):
    status, report = ingest(SEED_FIXTURE)
    assert status == 1
    assert report["files"][0]["error"].startswith("JSON that is not ninjs (a Django fixture?")
    assert not Article.objects.exists()


def test_xml_declaring_entities_is_refused(search_backend, tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE nitf [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n'
        "<nitf><body><body.head><hedline><hl1>&b;</hl1></hedline></body.head></body></nitf>\n"
    )
    status, report = ingest(bomb)
    assert status == 1 and report["files"][0]["error"].startswith("refused XML: ")
    assert not Article.objects.exists()


def test_a_dry_run_writes_nothing(search_backend):
    status, report = ingest(G2_MESSAGE, "--dry-run")
    assert status == 0 and report["summary"]["created"] == 2
    assert not Article.objects.exists()


def test_an_upload_reads_the_wire_formats(search_backend):
    report = ingest_upload(NITF.name, NITF.read_bytes())
    assert report.ok and report.format == "nitf" and report.created == 1
    again = ingest_upload("renamed.xml", NITF.read_bytes())  # the same item under another name
    assert (again.format, again.unchanged, again.created) == ("nitf", 1, 0)
    assert Article.objects.get().wire_id == "tag:reuters.com,2026:newsml_L8N3ZH0QX"


def test_an_upload_reads_feeds_and_saved_pages(search_backend):
    atom = ingest_upload("alpine-wire.atom", (FORMATS / "feeds" / "alpine-wire.atom").read_bytes())
    assert (atom.ok, atom.format, atom.created) == (True, "atom", 2)
    page = ingest_upload("lifeboat.htm", (FORMATS / "html" / "coastal-radio-lifeboat.htm").read_bytes())
    assert (page.ok, page.format, page.created) == (True, "html", 1)
    assert (
        page.articles[0]["source_url"]
        == "https://coastalradio.example/news/2026/10/lifeboat-rescues-three-kayakers"
    )
    broken = ingest_upload("broken.rss", b'<rss version="2.0"><channel><item><title>Half</channel></rss>')
    assert (broken.ok, broken.error.split(":")[0]) == (False, "not well-formed XML")
    assert Article.objects.filter(wire_format__in=["atom", "html"]).count() == 3


def test_a_withheld_item_is_published_when_a_newer_version_releases_it(search_backend, tmp_path):
    withheld = KEYSTONE_V1.read_text().replace("stat:usable", "stat:withheld")
    released = (
        KEYSTONE_V1.read_text().replace('version="1"', 'version="2"').replace("300 Stellen", "320 Stellen")
    )
    (tmp_path / "withheld.xml").write_text(withheld)
    (tmp_path / "released.xml").write_text(released)
    ingest(tmp_path / "withheld.xml")
    article = Article.objects.get()
    assert (article.status, article.wire_status) == ("draft", "withheld")
    assert ingest(tmp_path / "released.xml")[1]["summary"]["updated"] == 1
    article.refresh_from_db()
    assert (article.status, article.wire_status, article.wire_version) == ("published", "usable", 2)
    assert "320 Stellen" in article.body


def test_the_page_and_the_admin_show_what_the_formats_add(search_backend, admin_client):
    ingest(G2_MESSAGE)
    german, french = Article.objects.get(language="de"), Article.objects.get(language="fr")
    page = admin_client.get(german.get_absolute_url()).content.decode()
    assert "Stichwahl mit knappem Ausgang – Beteiligung bei 41 Prozent" in page  # the dek
    assert "Copyright 2026 dpa Deutsche Presse-Agentur GmbH. Alle Rechte vorbehalten." in page
    change = admin_client.get(f"/admin/articles/article/{german.pk}/change/").content.decode()
    assert f"/admin/articles/article/{french.pk}/change/" in change  # its translation, linked
    for value in ("urn:newsml:dpa.com:20261018:261018-99-412345", "NewsML-G2", "Nur für Abonnenten"):
        assert value in change


def test_an_editors_dek_and_rights_stay_through_a_newer_version(search_backend, admin_user):
    ingest(NINJS_2)
    article = Article.objects.get()
    before = editorial.start_edit(article.pk)
    article.dek, article.rights = "Edited dek", "Edited rights"
    article.save()
    editorial.finish_edit(article, admin_user, before)
    ingest(VERSIONS / "ap-kyiv-grain-v4.json")
    article.refresh_from_db()
    assert (article.dek, article.rights, article.wire_version) == ("Edited dek", "Edited rights", 4)


def test_a_feed_fetched_again_updates_its_changed_item_and_duplicates_nothing(search_backend, tmp_path):
    status, report = ingest(LAKESIDE_RSS)
    assert status == 0 and report["files"][0]["format"] == "rss"
    assert report["summary"]["created"] == 2
    ferry = Article.objects.get(wire_id="https://www.lakesidecourier.example/?p=48213")
    assert (ferry.wire_format, ferry.outlet.name, ferry.byline) == (
        "rss",
        "The Lakeside Courier",
        "Marta Kellner",
    )
    assert ferry.published == datetime.date(2026, 10, 14)
    assert (ferry.published_at.isoformat(), ferry.published_offset) == ("2026-10-14T21:40:00+00:00", 120)
    assert (
        ferry.source_url == "https://www.lakesidecourier.example/2026/10/14/ferry-strike-strands-commuters/"
    )
    assert ferry.rights == "Copyright 2026 Lakeside Courier Ltd. All rights reserved."
    assert sorted(ferry.topics.values_list("name", flat=True)) == ["Labour", "Transport"]
    assert "appeared first on" not in ferry.body and "Tracking pixel" not in ferry.body

    refetched = LAKESIDE_RSS.read_text().replace("would last 48 hours", "would last 72 hours")
    (tmp_path / "feed.xml").write_text(refetched)
    status, report = ingest(tmp_path / "feed.xml")
    assert status == 0
    assert [a["status"] for a in report["files"][0]["articles"]] == ["updated", "unchanged"]
    assert Article.objects.count() == 2
    ferry.refresh_from_db()
    assert "would last 72 hours" in ferry.body
    assert "would last 48 hours" in ferry.versions.get().body  # the earlier text kept as a version
    cycle = Article.objects.exclude(pk=ferry.pk).get()
    assert not cycle.versions.exists()
