"""Name variants from the editors' AliasGroup table: any variant finds the others, edits apply at once."""

import pytest

from articles.models import AliasGroup, Article
from articles.search import aliases

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_aliases():
    aliases.invalidate()
    yield
    aliases.invalidate()


def found(client, q) -> set[str]:
    return {r["headline"] for r in client.get("/api/search", {"q": q}).json()["results"]}


@pytest.fixture
def variants(search_backend):
    for name in ("ISIS", "ISIL", "Da’esh", "Islamic State"):
        Article.objects.create(headline=f"Report {name}", body=f"Fighters of {name} were seen.")
    Article.objects.create(headline="Report islands", body="Islands and states.")
    return AliasGroup.objects.create(names="ISIS\nISIL\nDa'esh\nIslamic State")


@pytest.mark.parametrize("query", ["ISIS", "isil", "Daesh", "Da'esh", '"Islamic State"', "Islamic State"])
def test_any_variant_finds_every_other(client, variants, query):
    assert found(client, query) == {"Report ISIS", "Report ISIL", "Report Da’esh", "Report Islamic State"}


def test_the_page_says_which_variants_it_searched_and_links_the_name_only(client, variants):
    html = client.get("/", {"q": "ISIL"}).content.decode()
    assert "Also searched for: ISIS, Da&#x27;esh, Islamic State (other names of ISIL)." in html
    assert '<a href="?q=%2BISIL">Search for ISIL only</a>' in html
    assert found(client, "+ISIL") == {"Report ISIL"}


def test_editing_or_deleting_a_group_takes_effect_at_once(client, variants):
    assert "Report ISIL" in found(client, "ISIS")
    variants.names = "ISIS\nIslamic State"
    variants.save()
    assert found(client, "ISIS") == {"Report ISIS", "Report Islamic State"}
    variants.delete()
    assert found(client, "ISIS") == {"Report ISIS"}


def test_case_and_hyphen_variants(client, search_backend):
    Article.objects.create(headline="PM al-Sudani visits", body="The prime minister travelled.")
    Article.objects.create(headline="UNAMI ends", body="The mission closed.")
    Article.objects.create(headline="Mission ends", body="United Nations Assistance Mission for Iraq closed.")
    AliasGroup.objects.create(names="UNAMI\nUnited Nations Assistance Mission for Iraq")
    assert found(client, "Al-Sudani") == {"PM al-Sudani visits"}
    assert found(client, "UNAMI") == {"UNAMI ends", "Mission ends"}
    assert found(client, '"United Nations Assistance Mission for Iraq"') == {"UNAMI ends", "Mission ends"}


def test_normalize_folds_case_accents_dots_and_apostrophes():
    assert aliases.normalize("Da’esh") == aliases.normalize("DAESH") == "daesh"
    assert aliases.normalize("U.N.") == "un" and aliases.normalize("Zürich ") == "zurich"
