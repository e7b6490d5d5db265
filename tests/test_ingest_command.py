"""``manage.py ingest``: the JSON contract, exit codes, idempotency, corrections and bad input."""

import errno
import gzip
import json
import os
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from haystack.query import SearchQuerySet
from whoosh.filedb.filestore import FileStorage

from articles import editorial
from articles.ingest import ingest_paths
from articles.ingest import writing as ingest_writing
from articles.models import Article, ArticleVersion, Caption, Outlet, Place, Topic
from articles.search.indexing import BulkIndexer
from tests.conftest import SEED_FIXTURE, SEEDS
from tests.editors import make_editor

pytestmark = pytest.mark.django_db(transaction=True)

WIRE = (
    "NAIROBI, March 3 (Reuters) - Kenya's central bank held its benchmark rate at 9 percent "
    "on Tuesday, citing easing inflation.\n\nThe bank said it would watch fuel prices closely.\n"
)


def ingest(*args: str) -> tuple[int, dict | str]:
    """Run the command; its exit status and its JSON report (or text output)."""
    out = StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=StringIO())
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    text = out.getvalue()
    return status, json.loads(text) if "--json" in args else text


def test_seeds_give_the_curated_stories(search_backend, tmp_path):
    status, report = ingest(str(SEEDS), "--json")
    assert status == 0
    assert report["summary"] == {
        "files": 5,
        "articles": 6,
        "created": 6,
        "updated": 0,
        "unchanged": 0,
        "errors": 0,
    }
    parsed = [a for f in report["files"] for a in f["articles"]]
    gold = [r["fields"] for r in json.loads(SEED_FIXTURE.read_text()) if r["model"] == "articles.article"]
    places = {
        r["pk"]: r["fields"]["city"]
        for r in json.loads(SEED_FIXTURE.read_text())
        if r["model"] == "articles.place"
    }
    outlets = {
        r["pk"]: r["fields"]["name"]
        for r in json.loads(SEED_FIXTURE.read_text())
        if r["model"] == "articles.outlet"
    }
    expected = sorted(
        (g["headline"], outlets.get(g["outlet"]), places.get(g["place"]), g["published"]) for g in gold
    )
    assert sorted((a["headline"], a["outlet"], a["place"], a["published"]) for a in parsed) == expected
    for article in parsed:
        assert set(article) >= {
            "headline",
            "outlet",
            "place",
            "country",
            "published",
            "byline",
            "language",
            "translated",
            "topics",
            "captions",
            "body",
            "earlier_versions",
        }
        assert "\n\n" in article["body"] or len(article["body"]) < 400
    assert Article.objects.count() == 6
    assert SearchQuerySet().auto_query("Lukashenko").count() == 1


def test_ingesting_again_changes_nothing(search_backend):
    ingest(str(SEEDS))
    before = list(Article.objects.values_list("pk", "updated"))
    status, report = ingest(str(SEEDS), "--json")
    assert status == 0 and report["summary"]["unchanged"] == 6 and report["summary"]["created"] == 0
    assert list(Article.objects.values_list("pk", "updated")) == before
    assert ArticleVersion.objects.count() == 1  # only the Belarus update's earlier story


def test_a_corrected_copy_updates_and_keeps_the_earlier_text(search_backend, tmp_path):
    copy = tmp_path / "kenya.txt"
    copy.write_text(WIRE)
    ingest(str(copy))
    [article] = Article.objects.all()
    copy.write_text(WIRE.replace("fuel prices closely", "fuel and food prices closely"))
    status, report = ingest(str(copy), "--json")
    assert status == 0 and report["summary"]["updated"] == 1
    article.refresh_from_db()
    assert "fuel and food prices" in article.body
    [earlier] = article.versions.all()
    assert "watch fuel prices closely" in earlier.body
    assert SearchQuerySet().auto_query("food").count() == 1


def test_a_corrected_copy_keeps_what_editors_decided(search_backend, tmp_path):
    copy = tmp_path / "kenya.txt"
    copy.write_text(WIRE)
    ingest(str(copy))
    [article] = Article.objects.all()
    user = make_editor()
    editorial.set_status(Article.objects.all(), Article.Status.RETRACTED, user, "The rate was misreported.")
    editorial.add_topic(Article.objects.all(), Topic.objects.create(name="Interest rates"), user)
    with editorial.tracked([article.pk], user, "edit"):
        Article.objects.filter(pk=article.pk).update(slug="kenya-rate", byline="By A. Reporter")

    copy.write_text(WIRE.replace("fuel prices closely", "fuel and food prices closely"))
    status, report = ingest(str(copy), "--json")

    assert status == 0 and report["summary"]["updated"] == 1
    article.refresh_from_db()
    assert "fuel and food prices" in article.body
    assert "watch fuel prices closely" in article.versions.get().body
    assert (article.status, article.retraction_note, article.slug, article.byline) == (
        "retracted",
        "The rate was misreported.",
        "kenya-rate",
        "By A. Reporter",
    )
    assert [t.name for t in article.topics.all()] == ["Interest rates"]
    assert SearchQuerySet().auto_query("food").count() == 0, "a retracted article stays out of search"
    update = article.changes.first()
    assert (update.action, update.user, list(update.changes)) == ("corrected copy", None, ["body"])


def test_a_corrected_copy_corrects_what_no_editor_changed(search_backend, tmp_path):
    copy = tmp_path / "kenya.txt"
    copy.write_text(WIRE)
    ingest(str(copy))
    [article] = Article.objects.all()
    with editorial.tracked([article.pk], make_editor(), "edit"):
        Article.objects.filter(pk=article.pk).update(headline="Kenya's central bank holds its rate")

    copy.write_text(WIRE.replace("NAIROBI, March 3", "MOMBASA, March 4"))
    status, report = ingest(str(copy), "--json")

    assert status == 0 and report["summary"]["updated"] == 1, "found under the headline it came with"
    [article] = Article.objects.all()
    assert article.headline == "Kenya's central bank holds its rate"
    assert (article.place.city, article.published.day) == ("Mombasa", 4)
    assert article.status == "published"


def test_a_corrected_copy_from_another_folder_updates(search_backend, tmp_path):
    for folder, text in (("monday", WIRE), ("tuesday", WIRE.replace("fuel", "fuel and food"))):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "kenya.txt").write_text(text)
    ingest(str(tmp_path / "monday" / "kenya.txt"))
    status, report = ingest(str(tmp_path / "tuesday" / "kenya.txt"), "--json")
    assert status == 0 and report["summary"]["updated"] == 1
    assert "fuel and food" in Article.objects.get().body


def test_a_file_of_more_stories_than_a_batch_writes_them_all(search_backend, monkeypatch):
    monkeypatch.setattr(ingest_writing, "BATCH", 1)
    status, report = ingest(str(SEEDS / "000_2681dba375f55c22.txt"), "--json")  # two stories
    assert status == 0 and report["summary"]["created"] == 2 and Article.objects.count() == 2


def test_copy_of_a_renamed_outlet_or_topic_finds_it(search_backend, tmp_path):
    path = tmp_path / "monday.jsonl"
    path.write_text(records(RECORD))
    ingest(str(path))
    reuters, interest = Outlet.objects.get(name="Reuters"), Topic.objects.get(name="interest")
    reuters.name, interest.name = "Reuters Wire", "Interest rates"  # as an editor renames them
    reuters.save()
    interest.save()

    path = tmp_path / "tuesday.jsonl"
    path.write_text(records({**RECORD, "id": "r-2", "title": "ZAMBIA CUTS RATES"}))
    (tmp_path / "zambia.txt").write_text(WIRE.replace("NAIROBI", "LUSAKA").replace("Kenya", "Zambia"))
    status, report = ingest(str(path), str(tmp_path / "zambia.txt"), "--json")

    assert status == 0, report
    assert set(Article.objects.values_list("outlet__name", flat=True)) == {"Reuters Wire"}
    assert [t.name for t in Article.objects.get(headline="ZAMBIA CUTS RATES").topics.all()] == [
        "Interest rates"
    ]
    assert (Outlet.objects.count(), Topic.objects.count()) == (1, 1)


def test_a_merge_of_places_sticks(search_backend, tmp_path):
    snb = "ZÜRICH, March {} (Reuters) - The Swiss National Bank held its policy rate.\n\nMore text.\n"
    (tmp_path / "monday.txt").write_text(snb.format(3))
    ingest(str(tmp_path / "monday.txt"))
    zurich = Place.objects.create(city="Zurich", country="Switzerland")
    editorial.merge_places(zurich, Place.objects.filter(city="Zürich"), make_editor())

    (tmp_path / "tuesday.txt").write_text(snb.format(4).replace("held", "kept"))
    status, _ = ingest(str(tmp_path / "tuesday.txt"))

    assert status == 0 and list(Place.objects.values_list("city", flat=True)) == ["Zurich"]
    assert Article.objects.filter(place=zurich).count() == 2


def test_dry_run_writes_nothing(search_backend):
    status, report = ingest(str(SEEDS), "--dry-run", "--json")
    assert status == 0 and report["summary"]["created"] == 6
    assert Article.objects.count() == 0 and SearchQuerySet().all().count() == 0
    assert all(a["id"] is None for f in report["files"] for a in f["articles"])


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "not a text file"),
        (b"A" * 1_200_000, "huge line"),
        (bytes(range(256)) * 10, "not a text file"),
    ],
)
def test_bad_files_fail_clearly_and_good_ones_still_land(search_backend, tmp_path, content, error):
    (tmp_path / "bad.txt").write_bytes(content)
    (tmp_path / "good.txt").write_text(WIRE)
    status, report = ingest(str(tmp_path), "--json")
    assert status == 1
    bad, good = report["files"]
    assert bad["ok"] is False and error in bad["error"] and bad["articles"] == []
    assert good["ok"] is True and Article.objects.count() == 1
    assert report["summary"]["errors"] == 1


def test_missing_and_unreadable_paths_are_reported(search_backend, tmp_path):
    status, report = ingest(str(tmp_path / "nope.txt"), "--json")
    assert status == 1 and report["files"][0]["error"] == "no such file"


def test_html_in_copy_is_sanitized(search_backend, tmp_path):
    (tmp_path / "hostile.txt").write_text(
        "GENEVA (AFP) - Talks <script>alert('x')</script>resumed on "
        '<b onclick="steal()">Monday</b> between the parties.\n\nA second paragraph follows here.\n'
    )
    status, report = ingest(str(tmp_path), "--json")
    assert status == 0
    body = report["files"][0]["articles"][0]["body"]
    assert "<script" not in body and "alert" not in body and "onclick" not in body
    assert "resumed on Monday" in body


def records(*lines: dict) -> str:
    return "\n".join(json.dumps(line) for line in lines) + "\n"


RECORD = {
    "id": "r-1",
    "title": "KENYA HOLDS RATES",
    "body": "Kenya held rates.\n\nMore text.",
    "published": "1987-03-03T10:00:00",
    "outlet": "Reuters",
    "url": None,
    "categories": ["interest"],
    "dateline": "NAIROBI, March 3 -",
}


def test_jsonl_records_are_bulk_loaded(search_backend, tmp_path):
    path = tmp_path / "corpus.jsonl.gz"
    second = {**RECORD, "id": "r-2", "title": "ZAMBIA CUTS RATES", "dateline": "LUSAKA, March 4 -"}
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(records(RECORD, second))
    status, report = ingest(str(path), "--json")
    assert status == 0 and report["summary"]["created"] == 2
    kenya = Article.objects.get(headline="KENYA HOLDS RATES")
    assert (kenya.outlet.name, kenya.place.city, kenya.place.country) == ("Reuters", "Nairobi", "Kenya")
    assert list(kenya.topics.values_list("name", flat=True)) == ["interest"]
    assert SearchQuerySet().filter(topics_exact="interest").count() == 2
    assert ingest(str(path), "--json")[1]["summary"]["unchanged"] == 2


def test_a_load_without_json_counts_its_articles_and_keeps_none_of_them(search_backend, tmp_path):
    """Without ``--json`` nothing is written per article, so a load of millions holds nothing per
    article in memory: its report counts them."""
    path = tmp_path / "corpus.jsonl"
    path.write_text(records(RECORD, {**RECORD, "id": "r-2", "title": "ZAMBIA CUTS RATES"}))
    [file] = ingest_paths([path], describe=False).files
    assert (file.articles, file.article_count, file.created) == ([], 2, 2)
    [again] = ingest_paths([path], describe=False).files
    assert (again.articles, again.article_count, again.unchanged) == ([], 2, 2)
    assert ingest(str(path))[1].startswith(f"{path}: 2 article(s): 0 created, 0 updated, 2 unchanged")


def test_a_records_time_is_kept_with_its_offset_and_its_local_date(search_backend, tmp_path):
    path = tmp_path / "times.jsonl"
    times = ["1987-03-03T10:00:00", "2026-10-14T23:40:00-05:00", "2026-10-14", "2026-10-14 at dawn"]
    path.write_text(
        records(*({**RECORD, "id": f"t{i}", "title": f"T{i}", "published": t} for i, t in enumerate(times)))
    )
    assert ingest(str(path), "--json")[0] == 0
    found = {
        a.headline: (
            a.published.isoformat(),
            a.published_at and a.published_at.isoformat(),
            a.published_offset,
        )
        for a in Article.objects.all()
    }
    assert found == {
        "T0": ("1987-03-03", "1987-03-03T10:00:00+00:00", 0),  # no offset: read as UTC
        "T1": ("2026-10-14", "2026-10-15T04:40:00+00:00", -300),  # the day is the source's own
        "T2": ("2026-10-14", None, None),
        "T3": ("2026-10-14", None, None),  # a time it cannot read: the date stands
    }
    assert Article.objects.get(headline="T1").published_local.isoformat() == "2026-10-14T23:40:00-05:00"


def test_a_malformed_record_fails_its_whole_file(search_backend, tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text(records(RECORD, {**RECORD, "id": "r-2"}) + '{"title": "truncated\n')
    status, report = ingest(str(path), "--json")
    assert status == 1 and "line 3" in report["files"][0]["error"]
    assert Article.objects.count() == 0 and Caption.objects.count() == 0
    assert SearchQuerySet().all().count() == 0


def test_globs_and_folders_expand(search_backend, tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    for name in ("000_2681dba375f55c22.txt", "001_664add8a6e55531b.txt"):
        shutil.copy(SEEDS / name, nested / name)
    status, text = ingest(str(tmp_path / "**" / "000_*.txt"))
    assert status == 0 and "1 file(s), 2 article(s): 2 created" in text
    status, text = ingest(str(tmp_path))
    assert "2 file(s), 3 article(s): 1 created, 0 updated, 2 unchanged" in text


@pytest.mark.parametrize(
    "change, error",
    [
        ({"categories": 7}, '"categories" should be a list of names, not a number'),
        ({"categories": ["grain", {"name": "wheat"}]}, '"categories" should be a list of names'),
        ({"title": 1987}, '"title" should be text, not a number'),
        ({"url": ["http://example.org"]}, '"url" should be text, not a list'),
        ({"url": "javascript:alert(document.cookie)"}, '"url" should be an http:// or https:// address'),
        ({"id": {"n": 2}}, '"id" should be text or a whole number, not an object'),
        ({"outlet": "R" * 201}, '"outlet" is 201 characters long (at most 200)'),
        ({"categories": ["x" * 101]}, '"categories" has a name of 101 characters (at most 100)'),
        ({"categories": [f"topic {n}" for n in range(51)]}, '"categories" has 51 names (at most 50)'),
        ({"title": "T" * 301}, '"title" is 301 characters long (at most 300)'),
        ({"title": "Kenya \ud800 rates"}, '"title" is not valid text: a lone surrogate (U+D800)'),
        ({"categories": ["grain", "\udfff"]}, '"categories" is not valid text: a lone surrogate (U+DFFF)'),
        ({"published": "0001-01-01"}, "published '0001-01-01' is not a plausible date"),
        ({"published": "2999-12-31"}, "published '2999-12-31' is not a plausible date"),
    ],
)
def test_a_record_value_of_a_wrong_type_or_size_fails_with_its_line(
    search_backend, tmp_path, caplog, change, error
):
    path = tmp_path / "typed.jsonl"
    path.write_text(records(RECORD, {**RECORD, "id": "r-2", **change}))
    status, report = ingest(str(path), "--json")
    assert status == 1
    assert report["files"][0]["error"].startswith("line 2: ") and error in report["files"][0]["error"]
    assert Article.objects.count() == 0 and Outlet.objects.count() == 0 and Topic.objects.count() == 0
    assert not [record for record in caplog.records if record.exc_info], "no traceback"


def test_records_nested_too_deeply_fail_with_their_line(search_backend, tmp_path, caplog):
    path = tmp_path / "deep.jsonl"
    path.write_text(records(RECORD) + "[" * 100_000 + "\n")
    status, report = ingest(str(path), "--json")
    assert status == 1
    assert (
        report["files"][0]["error"] == "line 2: not JSON that can be read: lists or objects nested too deeply"
    )
    assert not Article.objects.exists()
    assert not [record for record in caplog.records if record.exc_info], "no traceback"


def test_a_full_disk_is_reported_as_such(search_backend, tmp_path, monkeypatch, caplog):
    create_file = FileStorage.create_file

    def disk_full_for_documents(self, name, **kwargs):
        if name.endswith(".doclist"):  # the documents a bulk load hands to the index writer processes
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)
        return create_file(self, name, **kwargs)

    monkeypatch.setattr(BulkIndexer, "THRESHOLD", 1)  # the bulk index writer, for a small file
    monkeypatch.setattr(FileStorage, "create_file", disk_full_for_documents)
    path = tmp_path / "full.jsonl"
    path.write_text(records(*({**RECORD, "id": f"r-{n}", "title": f"Rates {n}"} for n in range(150))))
    status, report = ingest(str(path), "--json")
    assert status == 1
    assert report["files"][0]["error"] == (
        "the disk is full (No space left on device): free some space and ingest the file again"
    )
    assert not Article.objects.exists()
    assert not [record for record in caplog.records if record.exc_info], "no traceback"


def test_control_characters_in_records_are_dropped_on_every_database(search_backend, tmp_path, client):
    controlled = {
        **RECORD,
        "id": "r\u0000-1",
        "title": "KENYA\u0000 HOLDS\u0007 RATES",
        "body": "Kenya\u0000 held\u0007 rates.\n\n\tMore\u001b text.\u007f",
        "outlet": "Reu\u0000ters",
        "categories": ["inter\u0007est"],
        "dateline": "NAI\u0000ROBI, March 3 -",
        "licence": "CC\u0000 BY",
    }
    path = tmp_path / "controls.jsonl"
    path.write_text(records(controlled, {**RECORD, "id": "r-2", "title": "ZAMBIA CUTS RATES"}))
    status, report = ingest(str(path), "--json")
    assert status == 0 and report["summary"]["created"] == 2, report
    article = Article.objects.get(source_file="controls.jsonl#r-1")
    assert (article.headline, article.outlet.name, article.place.city, article.licence) == (
        "KENYA HOLDS RATES",
        "Reuters",
        "Nairobi",
        "CC BY",
    )
    assert article.body == "Kenya held rates.\n\n\tMore text."
    assert list(article.topics.values_list("name", flat=True)) == ["interest"]
    page = client.get(article.get_absolute_url()).content.decode()
    assert "KENYA HOLDS RATES" in page and not set(page) & {"\x00", "\x07", "\x1b", "\x7f"}


def test_a_record_that_is_not_an_object_fails_with_its_line(search_backend, tmp_path):
    path = tmp_path / "list.jsonl"
    path.write_text(records(RECORD, ["KENYA HOLDS RATES", "Kenya held rates."]))
    status, report = ingest(str(path), "--json")
    assert status == 1 and report["files"][0]["error"] == "line 2: not a JSON object but a list"


def test_a_lone_category_is_one_topic_and_a_number_id_is_an_id(search_backend, tmp_path):
    path = tmp_path / "lone.jsonl"
    path.write_text(records({**RECORD, "id": 17, "categories": "grain"}))
    assert ingest(str(path))[0] == 0
    article = Article.objects.get()
    assert list(article.topics.values_list("name", flat=True)) == ["grain"]
    assert article.source_file == "lone.jsonl#17"


def test_records_with_a_byte_order_mark_and_an_upper_case_suffix(search_backend, tmp_path):
    path = tmp_path / "EXPORT.JSONL"
    path.write_text(records(RECORD), encoding="utf-8-sig")
    status, report = ingest(str(path), "--json")
    assert status == 0 and report["summary"]["created"] == 1
    assert Article.objects.get().source_file == "EXPORT.JSONL#r-1"


def test_a_folder_gives_only_its_copy_and_records(search_backend, tmp_path):
    (tmp_path / "README.md").write_text("# Monday's copy\n\nFiled by the night desk.\n")
    (tmp_path / "fixture.json").write_text('[{"model": "articles.outlet"}]\n')
    (tmp_path / ".notes.txt").write_text("A hidden editor's note, not copy.\n")
    (tmp_path / "KENYA.TXT").write_text(WIRE)
    (tmp_path / "corpus.JSONL").write_text(records({**RECORD, "title": "ZAMBIA CUTS RATES"}))
    out, err = StringIO(), StringIO()
    call_command("ingest", str(tmp_path), stdout=out, stderr=err)
    assert "2 file(s), 2 article(s): 2 created" in out.getvalue()
    assert set(Article.objects.values_list("source_file", flat=True)) == {
        str(tmp_path / "KENYA.TXT"),
        "corpus.JSONL#r-1",
    }
    left_out = err.getvalue()
    for name in ("README.md", "fixture.json", ".notes.txt"):
        assert f"{tmp_path / name}: left out: not raw copy" in left_out
    call_command("ingest", str(tmp_path / "README.md"), stdout=StringIO(), stderr=StringIO())
    assert Article.objects.filter(headline__startswith="# Monday").count() == 1  # named: read as given
