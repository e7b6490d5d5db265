"""The learners of name variants, as plain functions: acronyms defined in text, one person's name
spelled two ways in similar contexts, names spelled differently across one story's versions."""

from articles.stories.differences import Version
from articles.variants.acronyms import Acronyms, definitions, letters
from articles.variants.candidates import pair_key
from articles.variants.story_spellings import story_spellings
from articles.variants.transliterations import Transliterations, same_person

UNAMI = (
    "UN Secretary-General Antonio Guterres on Saturday presided over the closure of the United Nations "
    "Assistance Mission for Iraq (UNAMI) in Baghdad. Fighters of the Islamic State of Iraq and the "
    "Levant (ISIL) once held a third of the country, the mission's head said."
)


def pairs(candidates) -> set[tuple[str, str]]:
    return {(c.first, c.second) for c in candidates}


def test_acronyms_defined_after_their_long_form():
    assert definitions(UNAMI.split(". ")[0]) == [("United Nations Assistance Mission for Iraq", "UNAMI")]
    learner = Acronyms()
    learner.read(7, UNAMI)
    learner.read(8, "The United Nations Assistance Mission for Iraq (UNAMI) ends its work on Wednesday.")
    found = {(c.first, c.second): c for c in learner.candidates()}
    assert set(found) == {
        ("United Nations Assistance Mission for Iraq", "UNAMI"),
        ("Islamic State of Iraq and the Levant", "ISIL"),
    }
    unami = found["United Nations Assistance Mission for Iraq", "UNAMI"]
    assert unami.articles == {7, 8}
    assert [s.article for s in unami.first_seen] == [7, 8]
    assert "(UNAMI) in Baghdad" in unami.first_seen[0].sentence


def test_acronyms_defined_before_their_long_form_and_with_small_words():
    assert definitions("UNHCR (United Nations High Commissioner for Refugees) said camps were full.") == [
        ("United Nations High Commissioner for Refugees", "UNHCR")
    ]
    assert definitions("the Department of Defense (DoD) and the Non-Governmental Organization (NGO)") == [
        ("Department of Defense", "DoD"),
        ("Non-Governmental Organization", "NGO"),
    ]
    assert definitions("a loan from General Motors Corp (GM) was repaid") == [("General Motors", "GM")]
    assert definitions("the European Community's (EC) farm ministers") == [("European Community", "EC")]


def test_what_is_not_an_acronym_definition():
    assert definitions("Texas Air Corp (TEX) said profits rose.") == []  # a ticker
    assert definitions("VALLEY RESOURCES (VR) SETS STOCK SPLIT") == []  # a ticker in a headline
    assert definitions("shares of Acme Widgets (AW) and the Harbour Board (XYZ) fell") == [
        ("Acme Widgets", "AW")
    ]
    assert definitions("the long-awaited report (PDF) was published by the Port Authority") == []
    assert letters("Mr") is None and letters("U.N.") == "UN" and letters("AT&T") == "ATT"


def _people(articles) -> set[tuple[str, str]]:
    learner = Transliterations()
    for n, (headline, body) in enumerate(articles, start=1):
        learner.read(n, headline, body)
    return {pair_key(c.first, c.second) for c in learner.candidates()}


MINSK = (
    "Ales {} said on Monday that the Viasna centre in Minsk would keep working despite the raids in Belarus."
)
VILNIUS = "Sviatlana {} said in Vilnius that the opposition in Belarus would not give up."


def test_a_transliterated_name_in_similar_contexts():
    found = _people(
        [
            ("Rights centre raided", MINSK.format("Bialiatski")),
            ("Campaigner speaks", MINSK.format("Byalyatski")),
            ("Opposition leader", VILNIUS.format("Tsikhanouskaya")),
            ("Opposition leader again", VILNIUS.format("Tikhanovskaya").replace("Sviatlana", "Svetlana")),
        ]
    )
    assert found == {
        ("ales bialiatski", "ales byalyatski"),
        ("svetlana tikhanovskaya", "sviatlana tsikhanouskaya"),
    }


def test_a_like_name_in_unrelated_contexts_is_not_offered():
    football = "Ales Byalyatski said the club in Lisbon would sign two players from Portugal and Brazil."
    assert (
        _people([("Rights centre raided", MINSK.format("Bialiatski")), ("Transfer news", football)]) == set()
    )


def test_which_names_may_be_one_person():
    assert same_person(("ales", "bialiatski"), ("ales", "byalyatski"))
    assert same_person(("paul", "volcker"), ("paul", "vocker"))
    assert not same_person(("donald", "regan"), ("ronald", "reagan"))  # two people
    assert not same_person(("ales", "bialiatski"), ("ales", "bialiatski"))
    assert not same_person(("john", "baker"), ("jane", "baker"))
    assert not same_person(("abdul", "rahman"), ("abdullah", "rahmani"))  # a short form
    assert not same_person(("economic", "organisations"), ("economic", "organizations"))  # regional
    assert not same_person(("latin", "america"), ("latin", "american"))  # an ending added
    assert same_person(("sviatlana", "tsikhanouskaya"), ("svetlana", "tikhanovskaya"))
    assert not same_person(("kiichi", "miyazawa"), ("koichi", "miyazaki"))  # both words, and its ending


def test_names_spelled_differently_across_one_story():
    versions = [
        Version(1, "UN News", "Mission Head Mohamed Al-Hassan spoke to UN News on Sunday about Iraq."),
        Version(2, "Gulf Wire", "Mission head Mohamed Al-Hussein spoke to UN News about Iraq on Sunday."),
        Version(3, "Baghdad Post", "Mohamed Al Hassan, the mission head, spoke to UN News about Iraq."),
    ]
    [candidate] = story_spellings(versions)
    assert (candidate.first, candidate.second) == ("Mohamed Al-Hassan", "Mohamed Al-Hussein")
    assert [s.article for s in candidate.first_seen] == [1] and [
        s.article for s in candidate.second_seen
    ] == [2]
    assert candidate.articles == {1, 2}
    confirmed = {"Al-Hassan": "g", "Al-Hussein": "g"}.get  # an editor's group already holds both
    assert story_spellings(versions, confirmed) == []
    assert story_spellings(versions[:1]) == []


def test_another_name_or_word_beside_a_spelling_is_not_offered():
    versions = [
        Version(1, "AP", "The mission was set up after the invasion that toppled Saddam Hussein."),
        Version(2, "UN News", "Mission head Mohamed Al-Hassan spoke about the mission in Baghdad."),
        Version(3, "Gulf Wire", "Mohamed Al-Hussein, the mission head, spoke about the mission."),
    ]
    assert pairs(story_spellings(versions)) == {("Mohamed Al-Hassan", "Mohamed Al-Hussein")}
    gold = "gold holdings rose 172 mln rand in March, Reserve Bank figures show."
    versions = [
        Version(1, "Cape Wire", f"South African {gold}"),
        Version(2, "Rand Daily", f"South Africa {gold}"),
    ]
    assert story_spellings(versions) == []


def test_long_sentences_are_cut_around_the_name():
    learner = Acronyms()
    learner.read(1, "Officials said " + "much, " * 120 + "under the Export Enhancement Program (EEP) today.")
    [candidate] = learner.candidates()
    sentence = candidate.first_seen[0].sentence
    assert sentence.startswith("…") and "Export Enhancement Program (EEP) today." in sentence
    assert len(sentence) <= 401
