"""Corrected copy through the real ingest path (``manage.py ingest``, ``ingest_upload``, the admin's
upload job): a correction updates its article and keeps the earlier text as a version, even when
its headline or lede changed; an unchanged story gets no new version; another story of the same
outlet, place and day stays an article of its own; an older wire version arriving late changes
nothing."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from articles import editorial
from articles.ingest import ingest_upload
from articles.models import Article, ArticleChange, ArticleVersion, Job
from tests.conftest import SEEDS, run_jobs
from tests.editors import make_editor

pytestmark = pytest.mark.django_db(transaction=True)

SEED = SEEDS / "000_2681dba375f55c22.txt"  # AP: the Baghdad story, then the Belarus breaking update
NITF = Path(__file__).parent / "fixtures" / "formats" / "mixed" / "reuters-zurich-trams.nitf.xml"

# Invented events, in the style of wire copy.
FERRY = """Lake Victoria ferry service resumes after engine repairs

KISUMU, Kenya, May 6 (Reuters) - Kenya's state shipping line resumed its ferry service between \
Kisumu and Port Bell on Wednesday after a six-week halt for engine repairs, the transport \
ministry said.

The MV Nyangweso carried 180 passengers and 40 tonnes of maize on its first crossing, the \
ministry said in a statement, and will sail three times a week until a second vessel returns \
from dry dock in July.

Traders in Kisumu said the halt had doubled the cost of moving grain to Uganda by road, and \
fish exporters said chilled cargo had been stuck at the port for weeks.

"We lost two contracts while the ferry was out," said Grace Achieng, who runs a cold store \
near the pier. "The road takes three days and the fish does not wait."

The ministry said the repairs cost 42 million shillings and were paid from the port's \
maintenance fund.
"""
CLINIC = """Kisumu county opens maternity clinic on lake shore

KISUMU, Kenya, May 6 (Reuters) - Kisumu county opened a maternity clinic in the lakeside \
village of Dunga on Wednesday, the first in an area of 30,000 people, its health department said.

The clinic has 24 beds and two midwives on duty at night, and it will send ambulances by boat \
to the islands off the shore, the department said.

Women in Dunga have had to travel 15 km to the county hospital to give birth, often by \
motorcycle taxi, community health workers said.
"""


def ingest(*args) -> dict:
    """Run ``manage.py ingest --json``; its report."""
    out = StringIO()
    call_command("ingest", *map(str, args), "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def statuses(articles: list[dict]) -> dict[str, str]:
    """Each reported article's status, by the first words of its headline."""
    return {" ".join(a["headline"].split()[:3]): a["status"] for a in articles}


def corrected_seed() -> bytes:
    data = SEED.read_bytes()
    assert data.count(b"to mark the end") == 1
    return data.replace(b"to mark the end", b"to mark the formal end")


def check_the_correction(iraq: Article, belarus: Article, belarus_versions: list[str]) -> None:
    """The Baghdad story updated with its earlier text kept; the Belarus story left alone."""
    assert Article.objects.count() == 2, "no new article for the corrected copy"
    iraq.refresh_from_db()
    assert "to mark the formal end" in iraq.body and iraq.duplicate_of_id is None
    [earlier] = iraq.versions.all()
    assert "to mark the end of the political" in earlier.body and "formal" not in earlier.body
    assert "formal" not in earlier.headline and earlier.headline
    assert iraq.status == Article.Status.PUBLISHED
    assert [v.body for v in belarus.versions.all()] == belarus_versions, "no new version"
    assert not belarus.changes.exists()
    assert not ArticleVersion.objects.filter(article=belarus, body=belarus.body).exists()


def test_a_corrected_lede_updates_its_article_and_the_unchanged_story_gets_no_version(
    search_backend, tmp_path
):
    ingest(SEED)
    iraq, belarus = (
        Article.objects.get(body__contains="Baghdad"),
        Article.objects.get(body__contains="Bialiatski"),
    )
    belarus_versions = [v.body for v in belarus.versions.all()]  # the breaking update's earlier story

    result = ingest_upload(SEED.name, corrected_seed())

    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert statuses(result.articles) == {
        "United National Secretary-General": "updated",
        "Belarusian authorities have": "unchanged",
    }
    assert {a["status"]: a["id"] for a in result.articles} == {"updated": iraq.pk, "unchanged": belarus.pk}
    check_the_correction(iraq, belarus, belarus_versions)

    again = ingest_upload(SEED.name, corrected_seed())  # the same corrected file again: nothing
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert iraq.versions.count() == 1


def test_the_editors_upload_of_a_corrected_seed_updates_article_1(editor):
    """The editor's report, on the curated seed archive: the upload page and its job."""
    iraq, belarus = Article.objects.get(pk=1), Article.objects.get(pk=2)
    belarus_versions = [v.body for v in belarus.versions.all()]
    articles = Article.objects.count()
    upload = SimpleUploadedFile(SEED.name, corrected_seed(), content_type="text/plain")

    response = editor.post("/admin/articles/article/upload/", {"files": [upload]})
    assert response.status_code == 302
    run_jobs()

    job = Job.objects.filter(kind="ingest_upload").latest("pk")
    [report] = job.result["files"]
    assert (report["ok"], report["created"], report["updated"], report["unchanged"]) == (True, 0, 1, 1)
    assert Article.objects.count() == articles
    iraq.refresh_from_db()
    assert "to mark the formal end" in iraq.body and iraq.duplicate_of_id is None
    assert "to mark the end" in iraq.versions.get().body
    assert [v.body for v in belarus.versions.all()] == belarus_versions
    assert ArticleChange.objects.filter(article=iraq, action="corrected copy").exists()
    assert not ArticleChange.objects.filter(article=belarus).exists()


def test_a_changed_headline_only_updates_and_keeps_the_earlier_headline(search_backend, tmp_path):
    copy = tmp_path / "ferry.txt"
    copy.write_text(FERRY)
    ingest(copy)
    [article] = Article.objects.all()
    copy.write_text(FERRY.replace("ferry service resumes after engine repairs", "ferry sails again"))

    report = ingest(copy)

    assert report["summary"]["updated"] == 1 and report["summary"]["created"] == 0
    article.refresh_from_db()
    assert article.headline == "Lake Victoria ferry sails again"
    [earlier] = article.versions.all()
    assert (earlier.headline, earlier.body) == (
        "Lake Victoria ferry service resumes after engine repairs",
        article.body,
    )


def test_a_corrected_lede_in_another_file_updates_the_article_and_keeps_editors_decisions(
    search_backend, tmp_path
):
    (tmp_path / "ferry.txt").write_text(FERRY)
    ingest(tmp_path / "ferry.txt")
    [article] = Article.objects.all()
    user = make_editor()
    editorial.set_status(Article.objects.all(), Article.Status.DRAFT, user)
    lede = re.search(r"- (Kenya's state shipping line .*?said\.)", FERRY, re.S).group(1)
    corrected = FERRY.replace(
        lede,
        "Kenya Railways resumed the ferry service between Kisumu and Port Bell on Wednesday after a "
        "seven-week halt for repairs to both engines, the transport ministry said.",
    )
    (tmp_path / "ferry-corrected.txt").write_text(corrected)

    report = ingest(tmp_path / "ferry-corrected.txt")

    assert report["summary"]["updated"] == 1 and report["summary"]["created"] == 0
    article.refresh_from_db()
    assert "seven-week halt" in article.body and article.status == Article.Status.DRAFT
    assert "six-week halt" in article.versions.get().body


def test_another_story_of_the_same_outlet_place_and_day_is_a_new_article(search_backend, tmp_path):
    (tmp_path / "ferry.txt").write_text(FERRY)
    ingest(tmp_path / "ferry.txt")
    (tmp_path / "ferry.txt").write_text(CLINIC)  # the same file name, even
    (tmp_path / "clinic.txt").write_text(CLINIC.replace("24 beds", "26 beds"))

    report = ingest(tmp_path / "ferry.txt")
    assert report["summary"]["created"] == 1 and report["summary"]["updated"] == 0
    ferry, clinic = Article.objects.order_by("pk")
    assert (ferry.outlet, ferry.place, ferry.published) == (clinic.outlet, clinic.place, clinic.published)
    assert "MV Nyangweso" in ferry.body and not ferry.versions.exists()

    report = ingest(tmp_path / "clinic.txt")  # a correction of the clinic story, not of the ferry's
    assert report["summary"]["updated"] == 1
    clinic.refresh_from_db()
    assert "26 beds" in clinic.body and "MV Nyangweso" in Article.objects.get(pk=ferry.pk).body


def test_the_same_text_from_another_outlet_is_not_a_correction(search_backend, tmp_path):
    (tmp_path / "ferry.txt").write_text(FERRY)
    ingest(tmp_path / "ferry.txt")
    (tmp_path / "ferry-ap.txt").write_text(FERRY.replace("(Reuters) -", "(AP) —"))
    report = ingest(tmp_path / "ferry-ap.txt")
    assert report["summary"]["created"] == 1
    assert sorted(Article.objects.values_list("outlet__name", flat=True)) == ["AP", "Reuters"]


def test_an_older_nitf_version_arriving_late_is_kept_out(search_backend, tmp_path):
    text = NITF.read_text(encoding="iso-8859-1")
    assert text.count('version="2"') == 1  # the du-key's
    newer = tmp_path / "trams-v3.xml"
    newer.write_text(
        text.replace('version="2"', 'version="3"').replace("night shifts", "night rotas"),
        encoding="iso-8859-1",
    )
    ingest(newer)
    article = Article.objects.get()
    assert article.wire_version == 3

    report = ingest(NITF)  # version 2, arriving after version 3

    assert report["files"][0]["articles"][0]["status"] == "older version"
    article.refresh_from_db()
    assert article.wire_version == 3 and "night rotas" in article.headline
    assert not article.versions.exists() and Article.objects.count() == 1
