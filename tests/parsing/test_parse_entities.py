"""People, organisations and places found in a text by the rules of articles.parsing.entities."""

from articles.parsing.entities import extract, name_runs

BODY = (
    "Treasury Secretary Harold Penwick said the U.S. would not sell dollars. Bank of Japan Governor "
    "Keiko Amano told reporters in Tokyo that the Organization of Petroleum Exporting Countries "
    "(OPEC) would meet in Vienna. Mr Penwick said Ardent Mills Inc and General Motors Corp would "
    "cut jobs in Ohio."
)


def test_people_come_from_titles_and_verbs_of_saying():
    found = extract("", BODY + ' "We will wait," said Talia Marchetti. Russian president Oleg Varin met her.')
    assert found.people == ["Harold Penwick", "Keiko Amano", "Oleg Varin", "Talia Marchetti"]


def test_a_surname_after_a_title_is_the_full_name_given_elsewhere():
    assert extract("", BODY).people == ["Harold Penwick", "Keiko Amano"]  # "Mr Penwick" adds none
    assert extract("", "Mr Penwick said prices would fall.").people == ["Penwick"]


def test_organisations_end_in_an_organisation_word_or_are_acronyms():
    found = extract("", BODY)
    assert found.organisations == [
        "Ardent Mills",
        "Bank of Japan",
        "General Motors",
        "Organization of Petroleum Exporting Countries",
    ]  # OPEC, in brackets right after the name, stands for it


def test_an_acronym_alone_is_an_organisation_unless_it_is_a_place_or_a_unit():
    found = extract("", "The IMF and NATO met; the U.S. and the UAE sent envoys. GDP rose 2 PCT.")
    assert found.organisations == ["IMF", "NATO"]
    assert found.places == ["United Arab Emirates", "United States"]


def test_places_are_gazetteer_names_standing_alone():
    found = extract("", BODY + " The Paris Agreement was signed by Russian and French officials.")
    assert found.places == ["Ohio", "Tokyo", "United States", "Vienna"]  # no Paris, no demonyms


def test_a_headline_in_capitals_is_left_out_but_not_one_in_lower_case():
    assert extract("OPEC TO MEET IN VIENNA", "Oil ministers gather.").organisations == []
    assert extract("Oil ministers meet in Vienna", "They gather.").places == ["Vienna"]


def test_unclaimed_runs_are_returned_for_the_alias_table():
    found = extract("", "Fighters of the Islamic State took the town. Smith stayed.")
    assert found.other == ["Fighters", "Islamic State", "Smith"]


def test_runs_keep_of_and_drop_sentence_openers_boilerplate_and_possessives():
    runs = [run.name for run in name_runs("However, the Bank of England's rate held in March. Reuters")]
    assert runs == ["Bank of England"]


def test_the_same_text_gives_the_same_entities():
    assert extract("Headline", BODY) == extract("Headline", BODY)


def test_a_place_before_a_title_or_after_of_is_split_from_the_person():
    text = (
        "Ohio Senator Dana Whitcombe met Iranian President Farid Karimi. Senator Ellis Brandt of "
        "Indiana said later that President of the United States Anna Lowell agreed."
    )
    found = extract("", text)
    assert found.people == ["Anna Lowell", "Dana Whitcombe", "Ellis Brandt", "Farid Karimi"]
    assert found.places == ["Indiana", "Ohio", "United States"]


def test_appositives_and_role_nouns_mark_people_an_organisation_word_wins():
    text = (
        "Marta Olsen, a Norwegian engineer, arrived. According to Pavel Dvořák the talks failed. "
        "The prize went to mathematician Ines Vučić. Harbour Freight Corp, the shipper, said nothing."
    )
    found = extract("", text)
    assert found.people == ["Ines Vučić", "Marta Olsen", "Pavel Dvořák"]
    assert found.organisations == ["Harbour Freight"]


def test_a_surname_said_alone_makes_its_full_name_a_persons():
    text = "Lena Fairbrook opened the plant. Fairbrook said output would double."
    assert extract("", text).people == ["Lena Fairbrook"]
    assert extract("", "The Penwick administration cut taxes.").people == ["Penwick"]


def test_shorter_forms_of_one_name_are_one_person():
    text = "Mathematician Ruth A. Calder spoke. Ruth Anne Calder, a professor, retired; Ruth Calder said so."
    assert extract("", text).people == ["Ruth Anne Calder"]


def test_and_joins_an_organisations_name_but_not_two_places():
    text = (
        "The Securities and Exchange Commission cleared Harlow Kemp and Co Inc. Iran and Iraq "
        "talked. West Germany and the Soviet Union signed. APRIL 7 trading was light."
    )
    found = extract("", text)
    assert found.organisations == ["Harlow Kemp", "Securities and Exchange Commission"]
    assert found.places == ["Iran", "Iraq", "Soviet Union", "West Germany"]


def test_a_hyphenated_title_is_no_person_and_the_body_before_it_an_organisation():
    found = extract(
        "UN mission ends",
        "UN Secretary-General Antonio Guterres was in Baghdad on Saturday. "
        "United Nations Secretary-General António Guterres said the mission ends.",
    )
    assert found.people == ["Antonio Guterres", "António Guterres"]
    assert "United Nations" in found.organisations and "Secretary-General" not in found.people
