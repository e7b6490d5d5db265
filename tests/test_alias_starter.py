"""The starter list of name variants: shipped with the demo, loadable on its own, safe with
ordinary words, and told on the search page and in the API."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import AliasGroup, Article
from articles.search import aliases
from articles.search.alias_list import AliasListError, add_groups, read_file, read_list

pytestmark = pytest.mark.django_db(transaction=True)

ISLAMIC_STATE = ["ISIS", "ISIL", "Da'esh", "Daesh", '"Islamic State"']
UNITED_NATIONS = ["U.N.", "UN", '"United Nations"']


@pytest.fixture(autouse=True)
def fresh_aliases():
    aliases.invalidate()
    yield
    aliases.invalidate()


@pytest.fixture
def demo_loaded(search_backend):
    """The demo as ``make run`` loads it."""
    call_command("load_demo", stdout=io.StringIO())
    return search_backend


def search(client, q: str) -> dict:
    return client.get("/api/search", {"q": q, "page_size": 100}).json()


def ids(client, q: str) -> set[int]:
    data = search(client, q)
    assert data["total"] <= 100
    return {r["id"] for r in data["results"]}


@pytest.mark.parametrize("names", [ISLAMIC_STATE, UNITED_NATIONS], ids=["islamic-state", "united-nations"])
def test_on_the_demo_each_name_finds_what_any_of_them_finds(client, demo_loaded, names):
    # "+name": that name only, as before the list.
    alone = {name: ids(client, f"+{name}") for name in names}
    every = set().union(*alone.values())
    assert any(found != every for found in alone.values())  # some name alone misses some
    for name in names:
        assert ids(client, name) == every


def test_the_search_page_and_the_api_say_what_else_was_searched(client, demo_loaded):
    html = client.get("/", {"q": "ISIL"}).content.decode()
    assert "Also searched for: ISIS, Islamic State, Da&#x27;esh (other names of ISIL)." in html
    assert '<a href="?q=%2BISIL">Search for ISIL only</a>' in html
    (also,) = search(client, "ISIL")["also_searched"]
    assert also["name"] == "ISIL" and also["variants"] == ["ISIS", "Islamic State", "Da'esh"]
    assert also["exact_query"] == "+ISIL"
    assert also["exact_url"].startswith("http://testserver/api/search?") and "q=%2BISIL" in also["exact_url"]
    assert search(client, "+ISIL")["also_searched"] == []


def test_a_multi_word_name_typed_without_quotes_links_its_exact_phrase(client, demo_loaded):
    (also,) = search(client, "Islamic State fighters")["also_searched"]
    assert also["name"] == "Islamic State" and also["exact_query"] == '+"Islamic State" fighters'


def test_acronyms_that_are_ordinary_words_expand_only_in_capitals(client, demo_loaded):
    assert search(client, "who")["also_searched"] == []
    assert search(client, "us")["also_searched"] == []
    assert search(client, "WHO")["variants"] == {
        "WHO": ["World Health Organization", "World Health Organisation"]
    }
    assert "United States" in search(client, "U.S.")["variants"]["U.S"]
    # The long forms never search for "who" or "us": the index cannot tell them apart.
    assert search(client, '"World Health Organization"')["variants"] == {
        "World Health Organization": ["World Health Organisation"]
    }
    assert ids(client, '"World Health Organization"') == ids(
        client, '"World Health Organization" OR "World Health Organisation"'
    )
    assert "US" not in search(client, '"United States"')["variants"]["United States"]
    assert search(client, "who")["total"] == search(client, "+who")["total"]


def test_the_list_is_sourced_and_each_name_in_one_group():
    groups = read_file()
    assert 60 <= len(groups) <= 120
    assert all(group.source and len(group.names) >= 2 for group in groups)
    assert not any(aliases.normalize(name) == "america" for group in groups for name in group.names)


def test_the_command_adds_the_list_once_and_an_editors_group_wins(search_backend):
    mine = AliasGroup.objects.create(names="ISIS\nIS", note="ours")
    out = io.StringIO()
    call_command("load_name_variants", stdout=out)
    total = len(read_file())
    assert f"{total - 1} group(s) added, 1 skipped (a name already in the table: ISIS)" in out.getvalue()
    assert AliasGroup.objects.count() == total
    mine.refresh_from_db()
    assert mine.names == "ISIS\nIS"
    un = AliasGroup.objects.get(names__startswith="UN\n")
    assert (
        un.note
        == "Starter list (international body). Source: un.org; co-occurs in seeds 000, 001, 003 and 004"
    )
    call_command("load_name_variants", stdout=out)
    assert AliasGroup.objects.count() == total
    assert aliases.variants("UNAMI")  # the cache was dropped when the list was added


def test_a_bad_list_adds_nothing(search_backend, tmp_path):
    bad = tmp_path / "list.json"
    bad.write_text(
        json.dumps({"groups": [{"names": ["UN", "United Nations"], "source": "un.org"}, {"names": ["EU"]}]})
    )
    with pytest.raises(CommandError, match=r"group 2: \"names\" must be|group 2 .*needs two names|group 2"):
        call_command("load_name_variants", str(bad), stdout=io.StringIO())
    assert not AliasGroup.objects.exists()
    with pytest.raises(CommandError, match="cannot read"):
        call_command("load_name_variants", str(tmp_path / "missing.json"), stdout=io.StringIO())


@pytest.mark.parametrize(
    ("groups", "error"),
    [
        ([{"names": ["UN", "U.N."], "source": "x"}], "differ by more than case"),
        ([{"names": ["UN", "United Nations"]}], '"source" is missing'),
        (
            [{"names": ["UN", "United Nations"], "source": "x"}, {"names": ["U.N.", "UNO"], "source": "y"}],
            "is in group 1 too",
        ),
        ([{"names": "UN", "source": "x"}], "must be a list"),
    ],
)
def test_read_list_says_what_is_wrong(groups, error):
    with pytest.raises(AliasListError, match=error):
        read_list(json.dumps({"groups": groups}))


def test_the_seed_storys_panel_lists_real_name_differences_only(client, demo_loaded):
    story = Article.objects.get(pk=1).story
    html = client.get(story.get_absolute_url()).content.decode()
    names = html[html.index("Names spelled differently") : html.index("Figures that differ")]
    assert "Al-Hassan / Al-Hussein" in names
    for noise in ("António", "Programme", "Da&#x27;esh"):
        assert f"<caption>{noise}" not in names and f"/ {noise}" not in names


def test_a_name_an_editor_confirmed_is_no_difference(client, search_backend):
    add_groups(
        read_list(json.dumps({"groups": [{"names": ["Al-Hassan", "Al-Hussein"], "source": "editor"}]}))
    )
    call_command("loaddata", "fixtures/seed_archive.json", verbosity=0)
    story = Article.objects.get(pk=1).story
    html = client.get(story.get_absolute_url()).content.decode()
    names = html[html.index("Names spelled differently") : html.index("Figures that differ")]
    assert "Al-Hussein" not in names and "None found." in names
