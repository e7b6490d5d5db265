"""Outlets: from the dateline credit, footers, copyright lines, bylines, provenance headers and
what the text says; normalised through the built-in and the editors' alias tables."""

from __future__ import annotations

import pytest

from articles.parsing import parse_copy
from articles.parsing.outlets import normalise_outlet, outlet_table

BODY = "The council met on Tuesday and agreed a budget.\nThe vote was close."


def _outlet(text: str, **kwargs) -> str | None:
    return parse_copy(text, **kwargs)[0].outlet


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("The Associated Press", "AP"),
        ("Associated Press", "AP"),
        ("AP", "AP"),
        ("Agence France-Presse", "AFP"),
        ("Reuter", "Reuters"),
        ("United Nations News Service", "UN News"),
        ("U.N. News", "UN News"),
        ("BBC News", "BBC"),
        ("Gaya One", "Gaya One"),  # unknown outlets keep their printed name
    ],
)
def test_normalise(name, canonical):
    assert normalise_outlet(name) == canonical


def test_editors_aliases_add_to_the_built_in_table():
    table = outlet_table({"Kyiv Independent": ["The Kyiv Independent", "KI"]})
    assert table.normalise("The Kyiv Independent") == "Kyiv Independent"
    assert table.normalise("Associated Press") == "AP"


def test_from_dateline_credit():
    assert _outlet("LONDON (Associated Press) — Markets fell.\nMore.") == "AP"


def test_from_site_footer():
    text = f"Budget agreed\n{BODY}\nBudget agreed after long... | Gaya One"
    assert _outlet(text) == "Gaya One"


def test_from_copyright_line():
    assert _outlet(f"{BODY}\n© Agence France-Presse") == "AFP"
    assert _outlet(f"{BODY}\nCopyright 2025 The Associated Press. All rights reserved.") == "AP"


def test_from_byline_organisation():
    assert _outlet(f"Budget agreed\nBy Jane Roe, Associated Press\n{BODY}") == "AP"


def test_from_interview_phrase():
    assert _outlet("In an interview with UN News, the envoy said the mission ends.\nMore.") == "UN News"
    assert _outlet("The envoy told UN News the mission had ended.\nMore.") == "UN News"


def test_citing_an_outlet_is_not_being_it():
    assert _outlet("According to Reuters, the mission ended.\nBBC reported it too.") is None


def test_provenance_header_only_when_it_names_an_outlet():
    header = "Translation. Region: Russian Federation –\nSource: United Nations – United Nations –"
    assert _outlet(f"{header}\n{BODY}") is None
    assert _outlet(f"{header}\nThe head of mission spoke to UN News about it.\nMore.") == "UN News"
    assert _outlet(f"Source: Agence France-Presse\n{BODY}") == "AFP"


def test_custom_alias_in_copy():
    text = f"{BODY}\n© 2025 Kyiv Independent Media"
    aliases = {"Kyiv Independent": ["Kyiv Independent Media"]}
    assert _outlet(text, outlet_aliases=aliases) == "Kyiv Independent"


def test_nothing_names_it():
    assert _outlet(BODY) is None
