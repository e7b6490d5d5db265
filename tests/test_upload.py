"""The admin's upload page: the request stores the files and queues an ``ingest_upload`` job; the
worker ingests them through the same ingest as ``manage.py ingest`` and the jobs page shows the
report per file. Real parts: the test client, the job runner (``run_jobs``), a real Whoosh index."""

import errno
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from haystack.query import SearchQuerySet
from whoosh.filedb.filestore import FileStorage

from articles import editorial
from articles.jobs import upload as upload_job
from articles.models import Article, IndexTask, Job
from tests.conftest import SEEDS, run_jobs
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/admin/articles/article/upload/"
BAGHDAD = (SEEDS / "000_2681dba375f55c22.txt").read_bytes()  # two AP stories glued into one file
UNAMI = SEEDS / "003_9e6cbde4daf85c56.txt"
CITIES = ["Lisbon", "Madrid", "Oslo", "Nairobi", "Lima", "Quito", "Accra", "Dakar", "Hanoi", "Manila"]


@pytest.fixture(autouse=True)
def spool(settings, tmp_path):
    """This test's folder of stored uploads."""
    settings.UPLOAD_SPOOL_DIR = tmp_path / "uploads"
    return settings.UPLOAD_SPOOL_DIR


@pytest.fixture
def editor(client, search_backend):
    make_editor()
    client.login(username="editor", password=PASSWORD)
    return client


def upload(client, *files, **data):
    return client.post(URL, {"files": list(files), **data})


def txt(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def story(city: str, number: int) -> str:
    return (
        f"{city} opens tram line {number}\n\n"
        f"{city.upper()}, March 3 (Reuters) - Officials in {city} opened tram line {number} on Tuesday, "
        f"the transport minister said.\n\nLine {number} cost {number + 1} million dollars.\n"
    )


def uploaded(client, *files, **data) -> Job:
    """Upload the files, check that only a job was queued, run it; the job as it ended."""
    articles = Article.objects.count()
    response = upload(client, *files, **data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.filter(kind="ingest_upload").latest("pk")
    assert job.state == Job.State.QUEUED and Article.objects.count() == articles, "nothing ingested yet"
    run_jobs()
    job.refresh_from_db()
    return job


def reports(job: Job) -> dict[str, dict]:
    return {report["name"]: report for report in job.result["files"]}


def test_the_page_works_without_javascript_and_says_its_limits(editor):
    html = editor.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html and "multiple" in html
    assert "up to 50.0\xa0MB in all, 5.0\xa0MB a copy file, 1,000 files" in html
    assert "ingested in the background" in html and 'href="/admin/articles/job/"' in html


def test_an_upload_is_queued_then_ingested_by_the_job_and_reported_on_its_page(editor, spool):
    came_from = "/admin/articles/article/?o=-1"
    form = editor.get(URL, HTTP_REFERER=f"http://testserver{came_from}")
    assert form.context["form"]["next"].value() == came_from

    response = upload(editor, txt("baghdad.txt", BAGHDAD), next=came_from)

    assert response.status_code == 302 and response["Location"] == came_from
    [job] = Job.objects.filter(kind="ingest_upload")
    assert (job.state, job.label, job.return_url) == (
        Job.State.QUEUED,
        "Upload of 1 file (baghdad.txt)",
        came_from,
    )
    assert job.created_by == User.objects.get(username="editor")
    assert not Article.objects.exists() and not SearchQuerySet().all().count()
    assert [p.name for p in (spool / str(job.pk)).iterdir()] == ["0001.txt"]
    page = editor.get(came_from).content.decode()
    link = f'<a href="/admin/articles/job/{job.pk}/change/">Jobs page</a>'
    assert f"Upload of 1 file queued: follow it on the {link}." in page
    assert "Upload of 1 file (baghdad.txt)</a>: waiting" in page  # the editor's job, on every admin page

    run_jobs()

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.attempts == 1
    assert job.outcome == "1 file: 2 created, 0 updated, 0 unchanged."
    assert (job.done, job.total, job.unit) == (1, 1, "files")
    articles = Article.objects.all()
    assert {(a.outlet.name, a.place.city, a.source_file) for a in articles} == {
        ("AP", "Baghdad", "baghdad.txt"),
        ("AP", "Vilnius", "baghdad.txt"),
    }
    baghdad = articles.get(place__city="Baghdad")
    assert [int(r.pk) for r in SearchQuerySet().auto_query("UNAMI Guterres")] == [baghdad.pk]
    assert not IndexTask.objects.exists()
    assert not (spool / str(job.pk)).exists(), "the stored files go once the job succeeded"

    detail = editor.get(f"/admin/articles/job/{job.pk}/change/").content.decode()
    assert "<strong>baghdad.txt</strong>:" in detail and "2 created, 0 updated, 0 unchanged" in detail
    assert f'<a href="/admin/articles/article/{baghdad.pk}/change/">{baghdad.headline}</a>' in detail
    assert "(AP, Baghdad, " in detail

    again = uploaded(editor, txt("baghdad.txt", BAGHDAD))  # the same file: changes nothing
    assert reports(again)["baghdad.txt"] | {"articles": []} == {
        "name": "baghdad.txt",
        "ok": True,
        "error": None,
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "articles": [],
    }
    assert Article.objects.count() == 2


def test_bad_files_are_reported_and_the_others_ingested(editor, monkeypatch):
    monkeypatch.setattr(upload_job, "MAX_COPY_BYTES", 9000)
    job = uploaded(
        editor,
        txt("empty.txt", b""),
        txt("baghdad.txt", BAGHDAD),
        txt("binary.txt", b"\x00\x01\x02PK\x03\x04" * 200),
        txt("scan.pdf", b"%PDF-1.7"),
        txt("big.txt", b"word " * 2000),
    )
    assert job.state == Job.State.SUCCEEDED
    assert job.outcome == "5 files: 2 created, 0 updated, 0 unchanged; 4 files failed (see the report)."
    found = reports(job)
    assert found["baghdad.txt"]["ok"] and found["baghdad.txt"]["created"] == 2
    assert found["empty.txt"]["error"] == "empty file: no text in it"
    assert not found["binary.txt"]["ok"] and found["binary.txt"]["error"]
    assert found["scan.pdf"]["error"] == upload_job.NOT_INGESTIBLE
    assert found["big.txt"]["error"] == (
        "9.8\xa0KB: a raw copy file takes at most 8.8\xa0KB (split it into smaller files)"
    )
    assert [e.get("stored") for e in job.params["files"]] == ["0001.txt", "0002.txt", "0003.txt", None, None]
    assert Article.objects.count() == 2
    detail = editor.get(f"/admin/articles/job/{job.pk}/change/").content.decode()
    assert f"error: {upload_job.NOT_INGESTIBLE}" in detail
    assert "error: empty file: no text in it" in detail


def test_an_upload_of_only_bad_files_fails_with_the_reason(editor, spool):
    job = uploaded(editor, txt("empty.txt", b""), txt("scan.pdf", b"%PDF-1.7"))
    assert (job.state, job.attempts) == (Job.State.FAILED, 1), "bad input: no retry"
    assert (
        job.error
        == "No file could be ingested (2 files; empty.txt: empty file: no text in it): see the report."
    )
    assert [r["ok"] for r in job.result["files"]] == [False, False]
    assert not (spool / str(job.pk)).exists()
    detail = editor.get(f"/admin/articles/job/{job.pk}/change/").content.decode()
    assert "error: empty file: no text in it" in detail


def test_a_file_of_more_stories_than_the_old_cap_of_ten_is_ingested(editor):
    copy = "\n".join(story(city, n) for n, city in enumerate([*CITIES, "Cairo", "Tunis"]))
    job = uploaded(editor, txt("wire.txt", copy.encode()))
    assert job.state == Job.State.SUCCEEDED and reports(job)["wire.txt"]["created"] == 12
    assert Article.objects.count() == 12 and SearchQuerySet().auto_query("tram").count() == 12


def test_more_files_than_the_old_cap_of_twenty_are_ingested_and_indexed_in_one_go(editor, syncs):
    files = [txt(f"f{n:02d}.txt", story(CITIES[n % 10], n).encode()) for n in range(22)]
    job = uploaded(editor, *files)
    assert job.state == Job.State.SUCCEEDED and job.outcome == "22 files: 22 created, 0 updated, 0 unchanged."
    assert job.label == "Upload of 22 files (f00.txt, f01.txt, f02.txt, …)"
    assert syncs == [set(Article.objects.values_list("pk", flat=True))], "one index commit for the upload"
    assert SearchQuerySet().all().count() == 22 and not IndexTask.objects.exists()


def test_dry_run_writes_nothing(editor):
    job = uploaded(editor, txt("baghdad.txt", BAGHDAD), dry_run="on")
    assert job.label == "Dry run: upload of 1 file (baghdad.txt)"
    assert job.outcome == "Dry run, nothing written: 1 file: 2 created, 0 updated, 0 unchanged."
    [article, _] = reports(job)["baghdad.txt"]["articles"]
    assert article["headline"] and article["id"] is None
    assert not Article.objects.exists() and SearchQuerySet().all().count() == 0
    detail = editor.get(f"/admin/articles/job/{job.pk}/change/").content.decode()
    assert "A dry run: nothing was written." in detail and article["headline"] in detail


def test_a_job_retried_after_the_index_could_not_be_written_ingests_everything_once(
    editor, monkeypatch, spool
):
    monkeypatch.setattr(settings, "JOB_RETRY_DELAYS", [60])

    def no_space(storage, name, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", name)

    with monkeypatch.context() as full_disk:
        full_disk.setattr(FileStorage, "create_file", no_space)
        job = uploaded(editor, txt("baghdad.txt", BAGHDAD), txt("unami.txt", UNAMI.read_bytes()))

    assert (job.state, job.attempts) == (Job.State.RETRYING, 1)
    assert "No space left on device" in job.error
    assert Article.objects.count() == 3
    assert IndexTask.objects.values("article_id").distinct().count() == 3, "queued for search"
    assert sorted(p.name for p in (spool / str(job.pk)).iterdir()) == ["0001.txt", "0002.txt"]

    DBTaskResult.objects.update(run_after=timezone.now())  # its time has come
    run_jobs()

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.SUCCEEDED, 2)
    assert job.outcome == "2 files: 3 created, 0 updated, 0 unchanged.", "the first attempt's report stays"
    assert Article.objects.count() == 3 and not IndexTask.objects.exists()
    assert SearchQuerySet().all().count() == 3
    assert not (spool / str(job.pk)).exists()


def test_the_clients_path_never_reaches_the_file_system(editor, spool):
    assert upload_job.client_name("C:\\Users\\ed\\copy.txt") == "copy.txt"
    assert upload_job.client_name("../../etc/cron.d/x.txt") == "x.txt"
    assert upload_job.client_name("\x00..") == ".."
    assert upload_job.client_name("") == "unnamed"
    job = uploaded(editor, txt("..\\..\\baghdad.txt", BAGHDAD))
    assert job.params["files"][0] == {"name": "baghdad.txt", "stored": "0001.txt", "size": len(BAGHDAD)}
    assert Article.objects.filter(source_file="baghdad.txt").count() == 2
    assert list(spool.iterdir()) == []


def test_a_utf16_file_is_read(editor):
    text = BAGHDAD.decode("utf-8")
    job = uploaded(editor, txt("baghdad.txt", f"\ufeff{text}".encode("utf-16-le")))
    assert reports(job)["baghdad.txt"]["created"] == 2
    assert SearchQuerySet().auto_query("UNAMI Guterres").count() == 1


def test_control_characters_in_copy_are_dropped_on_every_database(editor):
    copy = (
        "NAIROBI, March 3 (Reuters) - Kenya's central bank\x00 held its benchmark rate\x07 at 9 percent "
        "on Tuesday.\n\nThe bank said it would watch fuel prices closely.\n"
    )
    job = uploaded(editor, txt("kenya.txt", f"\ufeff{copy}".encode("utf-16-le")))
    assert reports(job)["kenya.txt"]["created"] == 1, job.result
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

    job = uploaded(editor, txt(UNAMI.name, corrected))

    found = reports(job)[UNAMI.name]
    assert (found["ok"], found["created"], found["updated"]) == (True, 0, 1)
    article = Article.objects.get()
    assert "December 30th" in article.body and article.status == "retracted"
    html = editor.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "<td>corrected copy</td>" in html and "<td>editor</td>" in html, "by the uploading editor"


def test_an_upload_over_the_limit_is_refused_and_nothing_stored(editor, settings, spool):
    settings.UPLOAD_MAX_BYTES = 1000
    response = upload(editor, txt("baghdad.txt", BAGHDAD))
    assert response.status_code == 413
    assert "an upload takes at most 1000\xa0bytes. Upload them in parts." in response.content.decode()
    assert not Job.objects.exists() and not spool.exists()


def test_no_file_chosen(editor):
    response = editor.post(URL, {})
    assert response.context["form"].errors["files"] and not Job.objects.exists()


def test_it_goes_back_only_to_a_page_of_this_sites_admin(editor):
    response = upload(editor, txt("a.txt", BAGHDAD), next="https://evil.example/admin/")
    assert response["Location"] == URL
    form = editor.get(URL, HTTP_REFERER="https://evil.example/admin/articles/").context["form"]
    assert form["next"].value() == URL


def test_uploading_needs_the_add_permission_and_jobs_the_view_permission(client, editor, search_backend):
    job = uploaded(editor, txt("baghdad.txt", BAGHDAD))
    job_url = f"/admin/articles/job/{job.pk}/change/"
    editor.logout()

    for anonymous in (
        client.get(URL),
        client.post(URL, {"files": [txt("a.txt", BAGHDAD)]}),
        client.get(job_url),
    ):
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")

    viewer = make_editor("viewer")
    viewer.groups.clear()
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.login(username="viewer", password=PASSWORD)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"files": [txt("other.txt", BAGHDAD)]}).status_code == 403
    assert client.get(job_url).status_code == 403
    assert Job.objects.count() == 1 and Article.objects.count() == 2
