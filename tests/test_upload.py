"""The admin's upload page: raw copy files through the same ingest as ``manage.py ingest``, a per-file
report, and size/type limits with a clear message."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from haystack.query import SearchQuerySet

from articles.ingest import MAX_COPY_BYTES
from articles.models import Article, IndexTask
from tests.conftest import SEEDS
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/admin/articles/article/upload/"
BAGHDAD = (SEEDS / "000_2681dba375f55c22.txt").read_bytes()


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


def test_dry_run_writes_nothing(editor):
    response = upload(editor, txt("baghdad.txt", BAGHDAD), dry_run="on")
    [report] = response.context["reports"]
    assert report.ok and report.articles[0]["headline"]
    assert not Article.objects.exists() and SearchQuerySet().all().count() == 0


def test_a_file_of_the_wrong_type_is_refused_with_a_clear_message(editor):
    response = upload(editor, txt("baghdad.txt", BAGHDAD), txt("scan.pdf", b"%PDF-1.7"))
    assert response.status_code == 200 and not response.context["reports"]
    assert "“scan.pdf” is not a plain-text raw copy file: upload .txt files." in response.content.decode()
    assert not Article.objects.exists()


def test_a_file_too_large_is_refused_with_a_clear_message(editor):
    response = upload(editor, txt("huge.txt", b"a" * (MAX_COPY_BYTES + 1)))
    assert "“huge.txt” is 5.0\xa0MB: the limit is 5.0\xa0MB a file." in response.content.decode()
    assert not Article.objects.exists()


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
