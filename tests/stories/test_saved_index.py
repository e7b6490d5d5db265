"""The saved story index: a new process loads it instead of reading the archive, only while it
fits the archive and the code; anything else and the index is built as before."""

import pickle

import pytest
from django.core.management import call_command

from articles import ingest
from articles.models import Article
from articles.stories import assign, saved
from articles.stories.similarity import StoryIndex

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """The ids of the articles the story index reads from the database."""
    seen: list[int] = []
    docs = assign._docs

    def counting(queryset):
        for doc in docs(queryset):
            seen.append(doc.key)
            yield doc

    monkeypatch.setattr(assign, "_docs", counting)
    return seen


def new_process() -> None:
    """Forget this process's index, as a process that starts now has none."""
    assign._Live.index, assign._Live.max_pk = None, 0


def test_a_new_process_loads_the_saved_index_and_reads_only_newer_articles(
    seeded, deal, story_index_file, reads
):
    call_command("assign_stories", verbosity=0)  # a rebuild saves the index once it commits
    assert story_index_file.exists()
    stories = dict(Article.objects.values_list("pk", "story_id"))
    new_process()
    late = Article.objects.create(headline="Late brief", body="A short late brief.")
    reads.clear()
    assign.assign_stories([late.pk])
    assert reads == [late.pk], "only the new article: the rest comes from the saved index"
    assert len(assign._Live.index) == Article.objects.count()

    new_process()
    call_command("assign_stories", verbosity=0)
    assert dict(Article.objects.exclude(pk=late.pk).values_list("pk", "story_id")) == stories


def test_a_large_ingest_saves_the_index_once_when_it_commits(search_backend, monkeypatch, request):
    monkeypatch.setattr(assign, "SAVE_AFTER", 1)  # "large": each article of the deal...
    monkeypatch.setattr(ingest, "BATCH", 1)  # ... placed in a batch of its own
    saves = []
    monkeypatch.setattr(saved, "save", lambda index, max_pk, candidates: saves.append((len(index), max_pk)))
    new_process()
    articles = request.getfixturevalue("deal")  # ingested in one transaction
    assert saves == [(3, max(a.pk for a in articles))]


@pytest.mark.parametrize(
    "change",
    ["delete an article", "another archive", "other code", "a broken file"],
)
def test_a_saved_index_that_does_not_fit_is_not_used(seeded, story_index_file, reads, change):
    call_command("assign_stories", verbosity=0)
    if change == "delete an article":
        Article.objects.order_by("pk").first().delete()
    elif change == "another archive":
        Article.objects.order_by("-pk").first().delete()
        Article.objects.create(headline="Another", body="Another archive's newest article.")
    elif change == "other code":
        saved_file = pickle.loads(story_index_file.read_bytes())  # noqa: S301 - the test's own file
        story_index_file.write_bytes(pickle.dumps({**saved_file, "code": "an older rule"}))
    else:
        story_index_file.write_bytes(b"not a pickle")
    new_process()
    assert saved.load(assign._candidates()) is None
    reads.clear()
    newest = Article.objects.create(headline="Newest", body="The newest article of all.")
    assign.assign_stories([newest.pk])
    assert len(reads) == Article.objects.count(), "the whole archive read again, as before"


def test_no_file_when_the_setting_is_empty(seeded, settings, tmp_path):
    settings.STORY_INDEX_FILE = ""
    saved.save(StoryIndex(), 0, assign._candidates())
    assert saved.load(assign._candidates()) is None
    assert list(tmp_path.iterdir()) == []
