"""The saved story index: a new process loads it instead of reading the archive, only while it
fits the archive and the code; anything else and the index is built as before."""

import multiprocessing
import pickle
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from haystack import connections

from articles import ingest
from articles.models import Article, IndexTask
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


def test_the_index_is_saved_a_few_entries_a_pickle_and_loads_back_the_same(
    seeded, story_index_file, monkeypatch
):
    """A pickler keeps all it wrote until it is done: no pickle may hold more than PART entries of
    any kind (one day's postings too: they were pickled all the days together, +110 MB at 100k)."""
    monkeypatch.setattr(saved, "PART", 2)
    sizes = []

    def dump(piece, file, protocol):
        kind, part = piece if isinstance(piece, tuple) else ("header", None)
        sizes.append((kind, len(part[1] if kind == "postings" else part) if part is not None else 0))
        pickle.dump(piece, file, protocol)

    monkeypatch.setattr(saved, "pickle", SimpleNamespace(dump=dump, load=pickle.load, HIGHEST_PROTOCOL=5))
    call_command("assign_stories", verbosity=0)  # saves the index once it commits
    live, live_max = assign._Live.index, assign._Live.max_pk
    assert {kind for kind, _ in sizes} == {"header", "vocabulary", "copies", "postings", "docs"}
    assert max(size for _, size in sizes) == 2 and len(live.postings) > 1

    index, max_pk = saved.load(assign._candidates())
    assert (max_pk, index.counted, list(index.df)) == (live_max, live.counted, list(live.df))
    assert (index.vocabulary, index.copies, index.postings) == (live.vocabulary, live.copies, live.postings)
    pickled = [{key: pickle.dumps(doc) for key, doc in docs.items()} for docs in (index.docs, live.docs)]
    assert pickled[0] == pickled[1]


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


@pytest.fixture
def save_interrupted(monkeypatch, story_index_file):
    """Ctrl-C while the story index is written, after the transaction committed."""

    def dump(saved_file, file, protocol):
        file.write(b"half a pickle")
        raise KeyboardInterrupt

    monkeypatch.setattr(saved, "pickle", SimpleNamespace(dump=dump, load=pickle.load, HIGHEST_PROTOCOL=5))
    monkeypatch.setattr(assign, "SAVE_AFTER", 1)
    new_process()
    yield
    assert list(story_index_file.parent.glob("*.part")) == [], "no half-written file left"


def test_ctrl_c_while_the_story_index_is_saved_keeps_a_bulk_load_in_search(
    search_backend, tmp_path, save_interrupted
):
    path = tmp_path / "bulk.jsonl"
    path.write_text(
        "".join(f'{{"id": "r{n}", "title": "Bulk {n}", "body": "Okapi census {n}."}}\n' for n in range(600))
    )
    with pytest.raises(KeyboardInterrupt):
        ingest.ingest_paths([path], describe=False)
    assert Article.objects.count() == 600  # committed before the interruption
    assert search_backend.index.doc_count() == 600 and not IndexTask.objects.exists()
    assert not multiprocessing.active_children()


def test_ctrl_c_while_the_story_index_is_saved_comes_after_the_index(search_backend, save_interrupted):
    body = "Officials in Zembla said the grain harvest reached 4.2 mln tonnes, up from 3.9 mln last year."
    first = Article.objects.create(headline="Zembla grain harvest up", body=body, published=date(1987, 3, 2))
    copy = Article.objects.create(headline="Zembla harvest rises", body=body, published=date(1987, 3, 2))
    with pytest.raises(KeyboardInterrupt):
        assign.assign_stories([copy.pk])  # one story for both, saved on commit
    first.refresh_from_db()
    assert first.story_id is not None and not IndexTask.objects.exists()
    index = connections["default"].get_unified_index().get_index(Article)
    assert not search_backend.drift(index, index.index_queryset())
