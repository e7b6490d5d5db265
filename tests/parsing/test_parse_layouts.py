"""Common layouts of copy beyond the wire's: AFP datelines with a year, press releases (their
date line, header date, labels and wire credits), numeric date lines with a time, a local
paper's masthead, and an agency's "UPDATE 1-" with its "(Adds ...)" note. All copy invented."""

from __future__ import annotations

import datetime

import pytest

from articles.parsing import parse_copy

D = datetime.date
TODAY = D(2026, 10, 20)


def _one(text: str, **kwargs):
    (article,) = parse_copy(text, today=kwargs.pop("today", TODAY), **kwargs)
    return article


# AFP English datelines that carry the year.

AFP_STORY = """Flood waters recede in southern France as clean-up begins

NIMES, France, Oct 13, 2026 (AFP) - Residents of the Gard region began clearing mud from their \
homes on Tuesday after floods that killed three people, officials said.

"We have lost everything," said Marie Dupont, 64, standing in her ruined kitchen.

The national weather service lifted its red alert overnight.

dth/jm/ach"""


def test_afp_dateline_with_the_year():
    article = _one(AFP_STORY, today=None)  # the year is printed: no need to guess it
    assert (article.place, article.country, article.outlet, article.published) == (
        "Nimes",
        "France",
        "AFP",
        D(2026, 10, 13),
    )
    assert article.headline == "Flood waters recede in southern France as clean-up begins"
    assert article.body.startswith("Residents of the Gard region")
    assert article.body.endswith("lifted its red alert overnight.")  # staff initials dropped


@pytest.mark.parametrize(
    "dateline",
    [
        "PARIS, Oct 13, 2026 (AFP) -",
        "PARIS, October 13, 2026 (AFP) -",
        "PARIS, 13 Oct 2026 (AFP) -",
        "Paris, Oct. 13, 2026 (AFP) —",
    ],
)
def test_afp_dateline_forms(dateline):
    article = _one(f"{dateline} France's prime minister survived a no-confidence vote on Monday.")
    assert (article.place, article.outlet, article.published) == ("Paris", "AFP", D(2026, 10, 13))


def test_a_printed_year_wins_over_the_year_of_today():
    article = _one("PARIS, Dec 30, 2025 (AFP) - The strike ended.", today=D(2027, 3, 1))
    assert article.published == D(2025, 12, 30)


# Press releases.

PRESS_RELEASE = """PRESS RELEASE
For immediate release: 15 October 2026

Northfield Trust opens £12m research centre in Leeds

Leeds, 15 October 2026 – The Northfield Trust today opened a £12 million research centre for \
childhood diseases at the University of Leeds, creating 80 jobs.

"This centre will change how we treat children across the north of England," said Dr Amina \
Patel, the Trust's chief executive.

ENDS"""


def test_press_release_date_line_and_labels():
    article = _one(PRESS_RELEASE, today=None)
    assert article.headline == "Northfield Trust opens £12m research centre in Leeds"
    assert (article.place, article.country, article.published) == ("Leeds", "United Kingdom", D(2026, 10, 15))
    assert article.body.startswith("The Northfield Trust today opened")
    assert article.body.endswith("the Trust's chief executive.")
    for label in ("PRESS RELEASE", "immediate release", "ENDS"):
        assert label not in article.body


@pytest.mark.parametrize(
    "header",
    [
        "For immediate release: 15 October 2026",
        "FOR IMMEDIATE RELEASE – October 15, 2026",
        "Media release | 15 October 2026",
        "News Release 15.10.2026",
        "Issued: 15/10/2026",
    ],
)
def test_press_release_header_date_without_a_dateline(header):
    text = (
        f"{header}\n\nHarbour Council approves new ferry timetable\n\n"
        "The Harbour Council on Tuesday approved a winter ferry timetable that adds two evening "
        "crossings.\n\nThe changes take effect on 1 November."
    )
    article = _one(text, today=None)
    assert (article.headline, article.published) == (
        "Harbour Council approves new ferry timetable",
        D(2026, 10, 15),
    )
    assert article.body.startswith("The Harbour Council on Tuesday")


def test_newswire_release_dateline_names_the_wire():
    text = (
        "Acme Robotics Announces Third-Quarter Results\n\n"
        "NEW YORK, Oct. 14, 2026 /PRNewswire/ -- Acme Robotics Inc. (NASDAQ: ACMR) today reported "
        "third-quarter revenue of $412 million, up 18% from a year earlier.\n\n"
        "The company raised its full-year outlook."
    )
    article = _one(text, today=None)
    assert (article.place, article.outlet, article.published) == ("New York", "PR Newswire", D(2026, 10, 14))
    assert article.body.startswith("Acme Robotics Inc. (NASDAQ: ACMR) today reported")


def test_business_wire_release_with_its_date_line_above():
    text = (
        "October 14, 2026 08:00 AM Eastern Daylight Time\n\n"
        "SAN FRANCISCO--(BUSINESS WIRE)--Brightline Software, Inc. today announced the general "
        "availability of its data platform.\n\nThe platform is available in 14 regions."
    )
    article = _one(text, today=None)
    assert (article.place, article.outlet, article.published) == (
        "San Francisco",
        "Business Wire",
        D(2026, 10, 14),
    )
    assert article.body.startswith("Brightline Software, Inc. today announced")


# Numeric date lines with a time.

LOCAL_STORY = """Council approves £4m bridge over the Avon
{date_line}
By Sarah Jones
Riverton's county council on Tuesday night approved plans for a £4 million footbridge over the \
River Avon, ending a three-year dispute.
Councillors voted 31 to 12 in favour after a four-hour debate."""


@pytest.mark.parametrize(
    ("date_line", "published"),
    [
        ("14/10/2026 · 21:40", D(2026, 10, 14)),
        ("14.10.2026 | 21:40 CET", D(2026, 10, 14)),
        ("Published 05/10/2026 at 9.15am", D(2026, 10, 5)),  # day first, as written in Europe
        ("10/14/2026 9:40 PM EDT", D(2026, 10, 14)),  # month first when only that is a date
        ("Posted 14/10/2026 21:40 | Updated 15/10/2026 08:10", D(2026, 10, 14)),
        ("Last updated: 2026-10-14 21:40", D(2026, 10, 14)),
    ],
)
def test_numeric_date_line_with_a_time(date_line, published):
    article = _one(LOCAL_STORY.format(date_line=date_line), today=None)
    assert (article.headline, article.published, article.byline) == (
        "Council approves £4m bridge over the Avon",
        published,
        "Sarah Jones",
    )
    assert article.body.startswith("Riverton's county council")
    assert date_line not in article.body


# A local paper's masthead.


@pytest.mark.parametrize(
    ("masthead", "outlet"),
    [
        ("THE RIVERTON GAZETTE", "The Riverton Gazette"),
        ("The Riverton Gazette", "The Riverton Gazette"),
        ("Daily Hampshire Gazette | Serving the valley since 1786", "Daily Hampshire Gazette"),
        ("Avon Valley Echo — Your local news", "Avon Valley Echo"),
    ],
)
def test_masthead_names_the_outlet_and_is_no_headline(masthead, outlet):
    text = f"{masthead}\n" + LOCAL_STORY.format(date_line="Tuesday, 14 October 2026")
    article = _one(text, today=None)
    assert (article.headline, article.outlet, article.published) == (
        "Council approves £4m bridge over the Avon",
        outlet,
        D(2026, 10, 14),
    )
    assert article.body.startswith("Riverton's county council")


def test_masthead_after_the_date_line():
    text = "14/10/2026 · 21:40\nRiverton Gazette\n" + LOCAL_STORY.format(date_line="")
    article = _one(text, today=None)
    assert (article.headline, article.outlet, article.published) == (
        "Council approves £4m bridge over the Avon",
        "Riverton Gazette",
        D(2026, 10, 14),
    )


def test_a_headline_ending_in_a_paper_word_stays_the_headline():
    text = (
        "Mayor Praises Riverton Gazette\n"
        "The mayor on Tuesday praised the local paper for its coverage of the floods.\n"
        "She spoke at the town hall."
    )
    article = _one(text)
    assert (article.headline, article.outlet) == ("Mayor Praises Riverton Gazette", None)


def test_the_paper_a_story_credits_wins_over_the_masthead():
    text = (
        "THE RIVERTON GAZETTE\nTuesday, 14 October 2026\nFloods close Channel ports\n"
        "CALAIS, France (AP) — Floods closed the port of Calais on Tuesday.\nFerries were cancelled."
    )
    article = _one(text)
    assert (article.headline, article.outlet, article.place) == ("Floods close Channel ports", "AP", "Calais")


# An agency's update with its note before the byline.

UPDATE = """UPDATE 1-Nordvik Energy shares slump after profit warning
(Adds analyst comment, share price; corrects spelling of CEO's name in paragraph 3)
By Lena Holm
OSLO, Oct 14 (Reuters) - Shares in Nordvik Energy fell 14% on Tuesday after the Norwegian utility \
cut its full-year profit forecast, citing lower power prices.
"The warning came as a surprise," said analyst Per Olsen at Fjord Securities.
Chief executive Kari Lunde said the company would cut costs.
(Reporting by Lena Holm; Editing by Mark Potter)"""


def test_agency_update_with_a_note_before_the_byline():
    article = _one(UPDATE)
    assert article.headline == "Nordvik Energy shares slump after profit warning"
    assert (article.place, article.country, article.outlet, article.published) == (
        "Oslo",
        "Norway",
        "Reuters",
        D(2026, 10, 14),
    )
    assert (article.byline, article.editor) == ("Lena Holm", "Mark Potter")
    assert article.body.startswith("Shares in Nordvik Energy fell 14%")
    assert "Adds analyst comment" not in article.body


@pytest.mark.parametrize(
    ("slug", "note"),
    [
        ("UPDATE 2-", "(Updates with closing share price, adds details from conference call)"),
        ("REFILE-UPDATE 1-", "(Refiles to fix typo in headline)"),
        ("CORRECTED-", "(This Oct. 14 story corrects the name of the analyst in paragraph 2)"),
        ("", "(Recasts, adds quotes from minister (paragraph 4))"),
    ],
)
def test_update_slugs_and_notes(slug, note):
    text = "\n".join(
        [
            f"{slug}Nordvik Energy shares slump after profit warning",
            note,
            *UPDATE.split("\n")[3:],
        ]
    )
    article = _one(text)
    assert (article.headline, article.place, article.outlet, article.published) == (
        "Nordvik Energy shares slump after profit warning",
        "Oslo",
        "Reuters",
        D(2026, 10, 14),
    )
    assert article.body.startswith("Shares in Nordvik Energy")


def test_a_parenthesis_in_the_story_is_no_update_note():
    text = "OSLO, Oct 14 (Reuters) - Shares fell.\n(Adding up the losses, analysts saw worse to come.)"
    assert "(Adding up the losses" in _one(text).body
