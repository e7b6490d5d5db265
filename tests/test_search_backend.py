"""The Whoosh backend against a real on-disk index: each haystack 3.4.0 defect we fix, reproduced.

Run against stock ``haystack.backends.whoosh_backend`` + ``RealtimeSignalProcessor``, all but the
stemming, straight-apostrophe, bulk-sync and settings checks fail. The last checks, another
process committing while a search opens the index or runs, are about this backend's own searchers.
"""

import threading
from datetime import date, timedelta

import pytest
from django.db import transaction
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh.index import TOC

from articles.models import Article, Outlet, Place, Topic
from articles.search.indexing import schedule_sync
from articles.search.whoosh.searcher import _SearcherData

pytestmark = pytest.mark.django_db(transaction=True)


def ids(sqs) -> list[int]:
    return [int(r.pk) for r in sqs]


def make(headline="Story", body="Common words here.", **fields) -> Article:
    return Article.objects.create(headline=headline, body=body, **fields)


def test_facets_count_whole_values_not_stemmed_tokens(search_backend):
    nyt = Outlet.objects.create(name="New York Times", kind="newspaper")
    herald = Outlet.objects.create(name="Daily Herald", kind="newspaper")
    rights = Topic.objects.create(name="Human rights")
    for outlet in (nyt, nyt, herald):
        make(outlet=outlet).topics.add(rights)
    make(outlet=None)
    counts = SearchQuerySet().all().facet("outlet").facet("topics").facet_counts()["fields"]
    assert counts["outlet"] == [("New York Times", 2), ("Daily Herald", 1)]
    assert counts["topics"] == [("Human rights", 3)]


def test_every_result_window_is_right_even_at_unaligned_offsets(search_backend):
    start = date(2020, 1, 1)
    for day in range(23):
        make(headline=f"Story {day}", published=start + timedelta(days=day))
    everything = ids(SearchQuerySet().all().order_by("-published"))
    assert len(everything) == 23
    for begin, end in [(0, 7), (3, 10), (5, 9), (7, 14), (13, 23), (20, 40)]:
        assert ids(SearchQuerySet().all().order_by("-published")[begin:end]) == everything[begin:end]
    paged = []
    for begin in range(0, 23, 7):
        paged += ids(SearchQuerySet().auto_query("common").order_by("-published")[begin : begin + 7])
    assert sorted(paged) == sorted(everything) and len(paged) == len(set(paged))


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Talks in Zürich ended.", "Zurich"),
        ("Talks in Zurich ended.", "Zürich"),
        ("António Guterres spoke.", "Antonio"),
        ("The U.N. mission closed.", "UN"),
        ("The UN mission closed.", "U.N."),
        ("Survivors of Da’esh spoke.", "Da'esh"),
        ("Survivors of Da'esh spoke.", "Daesh"),
        ("The Yazidis remain in camps.", "Yazidi"),
    ],
)
def test_matching_folds_accents_abbreviations_apostrophes_and_stems(search_backend, text, query):
    article = make(body=text)
    make(body="Unrelated copy about potash.")
    assert ids(SearchQuerySet().auto_query(query)) == [article.pk]


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Talks with the U.S. resumed.", "U.S."),
        ("Talks with the U.S. resumed.", "US"),
        ("Talks resumed on 15 May.", "May"),
        ("The IT budget grew.", "IT"),
        ("AT&T cut prices.", "AT&T"),
        ("Class B shares rose.", "B"),
        ("Route 1 was closed.", "1"),
    ],
)
def test_names_and_abbreviations_that_look_like_common_words_are_searchable(search_backend, text, query):
    article = make(body=text)
    make(body="Unrelated copy about potash at the port.")
    assert ids(SearchQuerySet().auto_query(query)) == [article.pk]


def test_a_phrase_with_an_abbreviation_matches_only_the_phrase(search_backend):
    phrase = make(body="New U.S. trade figures came out.")
    make(body="Trade figures for the region, said a U.S. official.")
    assert ids(SearchQuerySet().auto_query('"U.S. trade"')) == [phrase.pk]


def test_index_changes_only_when_the_transaction_commits(search_backend):
    with transaction.atomic():
        article = make(body="Quarantined walrus")
        assert SearchQuerySet().auto_query("walrus").count() == 0
    assert ids(SearchQuerySet().auto_query("walrus")) == [article.pk]
    with pytest.raises(RuntimeError), transaction.atomic():
        make(body="Phantom narwhal")
        raise RuntimeError("rolled back")
    make(body="Something else entirely")  # a later commit flushes whatever was left pending
    assert SearchQuerySet().auto_query("narwhal").count() == 0


def test_related_edits_reach_the_index(search_backend):
    place = Place.objects.create(city="Kiev", country="Ukraine")
    article = make(place=place)
    place.city = "Kyiv"
    place.save()
    assert SearchQuerySet().filter(place_exact="Kyiv").count() == 1
    topic = Topic.objects.create(name="Energy")
    article.topics.add(topic)
    assert ids(SearchQuerySet().filter(topics_exact="Energy")) == [article.pk]
    article.delete()
    assert SearchQuerySet().all().count() == 0


def test_bulk_updates_are_synced_when_scheduled(search_backend):
    articles = [make(headline=f"Bulk {i}") for i in range(3)]
    Article.objects.filter(pk__in=[a.pk for a in articles[:2]]).update(status=Article.Status.RETRACTED)
    assert SearchQuerySet().all().count() == 3  # QuerySet.update sends no signal...
    schedule_sync(a.pk for a in articles[:2])
    assert ids(SearchQuerySet().all()) == [articles[2].pk]  # ...so bulk code schedules a sync


def test_rebuild_keeps_answering_from_the_live_index_until_the_swap(search_backend):
    for i in range(5):
        make(headline=f"Before {i}", body="steady lighthouse")
    index = connections["default"].get_unified_index().get_index(Article)
    halfway, release = threading.Event(), threading.Event()

    def slow_articles():
        for n, article in enumerate(index.index_queryset()):
            if n == 2:
                halfway.set()
                release.wait(timeout=30)
            yield article

    rebuild = threading.Thread(target=lambda: search_backend.rebuild(index, list(slow_articles())))
    Article.objects.filter(headline="Before 0").update(body="moved lighthouse keeper")
    rebuild.start()
    halfway.wait(timeout=30)
    assert SearchQuerySet().auto_query("steady").count() == 5  # still the live index
    release.set()
    rebuild.join(timeout=60)
    assert SearchQuerySet().auto_query("steady").count() == 4
    assert SearchQuerySet().auto_query("keeper").count() == 1


def test_slow_options_are_off(search_backend):
    assert search_backend.include_spelling is False
    from django.conf import settings

    assert settings.HAYSTACK_LIMIT_TO_REGISTERED_MODELS is False


def test_undated_articles_sort_last_both_ways(search_backend):
    undated = make(headline="Undated")
    old = make(headline="Old", published=date(2001, 1, 1))
    new = make(headline="New", published=date(2025, 1, 1))
    assert ids(SearchQuerySet().all().order_by("-published")) == [new.pk, old.pk, undated.pk]
    assert ids(SearchQuerySet().all().order_by("published")) == [old.pk, new.pk, undated.pk]


def _commit_during_the_search(monkeypatch, commit) -> None:
    """Run ``commit`` (another process's index commit) once, in the middle of the next search:
    after it took its searcher, before it matches anything."""
    docset = _SearcherData.docset

    def docset_after_commit(shared, *queries):
        monkeypatch.setattr(_SearcherData, "docset", docset)
        commit()
        return docset(shared, *queries)

    monkeypatch.setattr(_SearcherData, "docset", docset_after_commit)


def test_sorting_by_date_before_any_article_has_one(search_backend):
    undated = {make(headline="Undated one").pk, make(headline="Undated two").pk}
    assert set(ids(SearchQuerySet().order_by("-published"))) == undated


def test_a_search_keeps_its_files_when_a_concurrent_commit_merges_its_segments(search_backend, monkeypatch):
    dated = [make(headline=f"Dated {n}", published=date(2020, 1, n + 1)) for n in range(3)]
    # A merge of every segment deletes their files (stored fields, sort values) under the search.
    _commit_during_the_search(monkeypatch, lambda: search_backend._writer().commit(optimize=True))
    assert ids(SearchQuerySet().all().order_by("-published")) == [a.pk for a in reversed(dated)]


def test_a_search_answers_from_one_searcher_when_the_index_changes_meanwhile(search_backend, monkeypatch):
    articles = [make(headline=f"Keeper {n}", body="lighthouse " * (n + 1)) for n in range(4)]
    articles.pop(0).delete()
    # Merging drops the deleted document: the new index numbers the others differently.
    _commit_during_the_search(monkeypatch, lambda: search_backend._writer().commit(optimize=True))
    assert sorted(ids(SearchQuerySet().auto_query("lighthouse"))) == sorted(a.pk for a in articles)


def test_opening_the_index_survives_a_concurrent_commit(search_backend, monkeypatch):
    article = make(body="Opened sandpiper")
    latest = TOC._latest_generation

    def latest_then_commit(storage, indexname):
        generation = latest(storage, indexname)
        monkeypatch.setattr(TOC, "_latest_generation", latest)
        search_backend._writer().commit()  # its new table of contents replaces (deletes) that one
        return generation

    monkeypatch.setattr(TOC, "_latest_generation", latest_then_commit)
    fresh = type(search_backend)("default", **connections.connections_info["default"])  # as a new process
    assert [int(r.pk) for r in fresh.search("sandpiper")["results"]] == [article.pk]


def test_stored_text_comes_back_as_text_and_dates_as_dates(search_backend):
    make(headline="1987", body="true", published=date(2020, 5, 4), outlet=Outlet.objects.create(name="null"))
    [result] = SearchQuerySet().all()
    assert (result.headline, result.body, result.outlet) == ("1987", "true", "null")
    assert result.published == date(2020, 5, 4) or result.published.date() == date(2020, 5, 4)


def test_facet_counts_stay_right_as_commits_add_segments_and_delete(search_backend):
    from articles.search.whoosh import searcher as searchers

    reuters, afp = (Outlet.objects.create(name=name, kind="wire") for name in ("Reuters", "AFP"))
    first = [make(outlet=reuters), make(outlet=afp)]

    def outlets():
        return SearchQuerySet().all().facet("outlet").facet_counts()["fields"]["outlet"]

    assert outlets() == [("AFP", 1), ("Reuters", 1)]
    kept = dict(searchers._SEGMENT_VALUES)
    make(outlet=reuters)  # another commit: a segment of its own
    assert outlets() == [("Reuters", 2), ("AFP", 1)]
    reused = [
        key for key in kept if key[1] == "outlet_exact" and searchers._SEGMENT_VALUES.get(key) is kept[key]
    ]
    assert reused, "the first segment's values are not read again"
    first[1].delete()
    assert outlets() == [("Reuters", 2)]
