"""The admin's upload page: raw copy files through the same ingest as ``manage.py ingest``, a per-file
report, and size/type limits with a clear message."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from haystack.query import SearchQuerySet

from articles import admin_forms, editorial, ingest
from articles.models import Article, IndexTask
from tests.conftest import SEEDS
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/admin/articles/article/upload/"
BAGHDAD = (SEEDS / "000_2681dba375f55c22.txt").read_bytes()
UNAMI = SEEDS / "003_9e6cbde4daf85c56.txt"


@pytest.fixture
def editor(client, search_backend):
    make_editor()
    client.login(username="editor", password=PASSWORD)
    return client


def upload(client, *files, **data):
    return client.post(URL, {"files": list(files), **data})


def txt(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_the_page_works_without_javascript(editor):
    html = editor.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html and "multiple" in html
    assert "up to 20 files, 1.0\xa0MB in all, 10 stories a file" in html


def test_one_file_is_ingested_reported_and_searchable(editor):
    response = upload(editor, txt("baghdad.txt", BAGHDAD))  # two AP stories glued into one file
    assert response.status_code == 200
    [report] = response.context["reports"]
    assert (report.ok, report.created, report.updated, report.unchanged) == (True, 2, 0, 0)
    articles = Article.objects.all()
    assert {(a.outlet.name, a.place.city, a.source_file) for a in articles} == {
        ("AP", "Baghdad", "baghdad.txt"),
        ("AP", "Vilnius", "baghdad.txt"),
    }
    baghdad = articles.get(place__city="Baghdad")
    html = response.content.decode()
    assert "2 created, 0 updated, 0 unchanged" in html
    assert f"/admin/articles/article/{baghdad.pk}/change/" in html
    assert [int(r.pk) for r in SearchQuerySet().auto_query("UNAMI Guterres")] == [baghdad.pk]
    assert not IndexTask.objects.exists()

    again = upload(editor, txt("baghdad.txt", BAGHDAD)).context["reports"][0]
    assert (again.created, again.unchanged) == (0, 2)


def test_several_files_each_reported_bad_ones_leave_nothing(editor):
    response = upload(
        editor,
        txt("empty.txt", b""),
        txt("baghdad.txt", BAGHDAD),
        txt("binary.txt", b"\x00\x01\x02PK\x03\x04" * 200),
    )
    reports = {r.path: r for r in response.context["reports"]}
    assert reports["baghdad.txt"].ok and reports["baghdad.txt"].created == 2
    assert not reports["empty.txt"].ok and reports["empty.txt"].error
    assert not reports["binary.txt"].ok and reports["binary.txt"].error
    html = response.content.decode()
    assert f"error: {reports['empty.txt'].error}" in html
    assert Article.objects.count() == 2


def test_an_upload_is_indexed_in_one_go(editor, syncs):
    reports = upload(editor, txt("baghdad.txt", BAGHDAD), txt("unami.txt", UNAMI.read_bytes())).context[
        "reports"
    ]
    assert [r.created for r in reports] == [2, 1]
    assert syncs == [set(Article.objects.values_list("pk", flat=True))], "one index commit for the upload"
    assert SearchQuerySet().all().count() == 3 and not IndexTask.objects.exists()


def test_dry_run_writes_nothing(editor):
    response = upload(editor, txt("baghdad.txt", BAGHDAD), dry_run="on")
    [report] = response.context["reports"]
    assert report.ok and report.articles[0]["headline"]
    assert not Article.objects.exists() and SearchQuerySet().all().count() == 0


def test_a_file_of_the_wrong_type_is_reported_and_the_others_ingested(editor):
    response = upload(editor, txt("scan.pdf", b"%PDF-1.7"), txt("baghdad.txt", BAGHDAD))
    scan, baghdad = response.context["reports"]
    assert (scan.ok, scan.error) == (False, "not a plain-text raw copy file: upload .txt files")
    assert "error: not a plain-text raw copy file: upload .txt files" in response.content.decode()
    assert baghdad.ok and baghdad.created == 2 and Article.objects.count() == 2


def test_a_file_too_large_is_reported_and_the_others_ingested(editor):
    huge = b"word\n" * (admin_forms.MAX_UPLOAD_BYTES // 5 + 1)
    response = upload(editor, txt("huge.txt", huge), txt("baghdad.txt", BAGHDAD))
    huge, baghdad = response.context["reports"]
    assert huge.error == "1.0\xa0MB: an upload takes at most 1.0\xa0MB (load it with manage.py ingest)"
    assert baghdad.ok and baghdad.created == 2 and Article.objects.count() == 2


def test_files_past_the_uploads_size_are_reported_and_not_read(editor, monkeypatch):
    monkeypatch.setattr(admin_forms, "MAX_UPLOAD_BYTES", len(BAGHDAD) + 100)
    response = upload(editor, txt("baghdad.txt", BAGHDAD), txt("unami.txt", UNAMI.read_bytes()))
    baghdad, unami = response.context["reports"]
    assert baghdad.ok and baghdad.created == 2
    assert not unami.ok and unami.error.startswith("not ingested: the files before it took this upload's")
    assert Article.objects.count() == 2


def test_a_file_of_too_many_stories_is_reported(editor, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_UPLOAD_STORIES", 1)
    [report] = upload(editor, txt("baghdad.txt", BAGHDAD)).context["reports"]
    assert (
        report.error
        == "2 stories in one file: an upload takes at most 1 a file (load more with manage.py ingest)"
    )
    assert not Article.objects.exists()


def test_a_utf16_file_is_read(editor):
    text = BAGHDAD.decode("utf-8")
    [report] = upload(editor, txt("baghdad.txt", f"\ufeff{text}".encode("utf-16-le"))).context["reports"]
    assert report.ok and report.created == 2
    assert SearchQuerySet().auto_query("UNAMI Guterres").count() == 1


def test_control_characters_in_copy_are_dropped_on_every_database(editor):
    copy = (
        "NAIROBI, March 3 (Reuters) - Kenya's central bank\x00 held its benchmark rate\x07 at 9 percent "
        "on Tuesday.\n\nThe bank said it would watch fuel prices closely.\n"
    )
    [report] = upload(editor, txt("kenya.txt", f"\ufeff{copy}".encode("utf-16-le"))).context["reports"]
    assert (report.ok, report.created) == (True, 1), report.error
    article = Article.objects.get()
    for text in (article.headline, article.body, article.raw_text):
        assert "bank held its benchmark rate at 9 percent" in text and not set(text) & {"\x00", "\x07"}
    page = editor.get(article.get_absolute_url()).content.decode()
    assert "benchmark rate at 9" in page and not set(page) & {"\x00", "\x07"}


def test_a_corrected_copy_of_a_file_the_command_ingested_updates_it(editor):
    call_command("ingest", str(UNAMI), stdout=StringIO())  # stored under its path
    [article] = Article.objects.all()
    user = make_editor("chief")
    editorial.set_status(Article.objects.all(), Article.Status.RETRACTED, user, "Retracted: see correction.")
    corrected = UNAMI.read_bytes().replace(b"December 31st", b"December 30th")

    [report] = upload(editor, txt(UNAMI.name, corrected)).context["reports"]

    assert (report.ok, report.created, report.updated) == (True, 0, 1)
    article = Article.objects.get()
    assert "December 30th" in article.body and article.status == "retracted"
    html = editor.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "<td>corrected copy</td>" in html and "<td>editor</td>" in html


def test_too_many_files_at_once(editor):
    response = upload(editor, *(txt(f"f{i}.txt", BAGHDAD) for i in range(21)))
    assert "At most 20 files at a time (21 chosen)." in response.content.decode()
    assert not Article.objects.exists()


def test_no_file_chosen(editor):
    response = editor.post(URL, {})
    assert response.context["form"].errors["files"]


def test_uploading_needs_the_add_permission(client, search_backend):
    viewer = make_editor("viewer")
    viewer.groups.clear()
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.login(username="viewer", password=PASSWORD)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"files": [txt("baghdad.txt", BAGHDAD)]}).status_code == 403
    assert not Article.objects.exists()
