"""When the search index cannot be written (a full disk, a folder the server may not write), an
editor's change is saved, stays queued, and the editor is told so; ``check_index`` reports it."""

import errno
import io

import pytest
from django.core.management import CommandError, call_command
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh.filedb.filestore import FileStorage

from articles.models import Article, IndexTask, Job
from tests.conftest import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def full_disk(monkeypatch):
    """Every new index file fails as on a full disk."""

    def no_space(storage, name, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", name)

    monkeypatch.setattr(FileStorage, "create_file", no_space)
    return monkeypatch


def _change_form_data(client, article: Article, **changes) -> dict:
    page = client.get(f"/admin/articles/article/{article.pk}/change/")
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data["topics"] = [t.pk for t in article.topics.all()]
    for inline in ("captions", "versions"):
        data |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
    return data | changes


def test_an_edit_the_index_cannot_take_is_saved_queued_and_the_editor_warned(admin_client, seeded, full_disk):
    article = Article.objects.get(place__city="Vilnius")
    data = _change_form_data(admin_client, article, headline="Bialiatski freed after talks")

    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data, follow=True)

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.headline == "Bialiatski freed after talks"
    assert IndexTask.objects.filter(article_id=article.pk).exists()
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    [warning] = [text for level, text in shown if level == "warning"]
    assert "saved but not yet searchable" in warning and "No space left on device" in warning
    assert "1 article(s) wait for search" in warning
    page = response.content.decode()
    assert "1 article with changes not yet searchable" in page  # on every admin page while queued
    assert not SearchQuerySet().filter(content="talks").count()

    [job] = Job.objects.all()  # queued by the request, retried by the worker until it can write
    assert job.kind == "apply_index" and job.state == Job.State.QUEUED
    full_disk.undo()  # space again
    run_jobs()
    assert not IndexTask.objects.exists()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.outcome.startswith("Applied 1 queued change(s)")
    response = admin_client.get("/admin/articles/article/")
    assert "not yet searchable" not in response.content.decode()
    assert [r.pk for r in SearchQuerySet().filter(content="talks")] == [str(article.pk)]


def test_check_index_reports_an_index_it_cannot_write_and_exits_non_zero(seeded, monkeypatch):
    backend = connections["default"].get_backend()
    with monkeypatch.context() as patch, pytest.raises(CommandError) as raised:
        # As haystack finds an index folder the server's user may not write (tests run as root,
        # who may write anywhere: the check is made to answer as for another user).
        patch.setattr("haystack.backends.whoosh_backend.os.access", lambda path, mode: False)
        patch.setattr(backend, "setup_complete", False)
        call_command("check_index", stdout=io.StringIO())

    assert "not writable" in str(raised.value) and backend.path in str(raised.value)
    assert raised.value.returncode != 0


@pytest.mark.parametrize("make", ["bulk_writer", "_writer"])
def test_a_writer_that_cannot_create_its_files_lets_go_of_the_index_lock(search_backend, monkeypatch, make):
    """Whoosh takes the lock, then creates the writer's files: a full disk there kept the lock,
    and every later writer in the process waited a minute and failed."""
    with monkeypatch.context() as patch, pytest.raises(OSError) as raised:

        def no_space(storage, name, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device", name)

        patch.setattr(FileStorage, "create_file", no_space)
        getattr(search_backend, make)()
    assert raised.value.errno == errno.ENOSPC

    writer = search_backend._writer(wait=False)  # at once, or LockError
    writer.cancel()
