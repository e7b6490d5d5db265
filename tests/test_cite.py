"""Cite this article: the article page's citations and ``/articles/<id>/<slug>/cite/?style=S``.

The BibTeX and RIS answers are read back by real parsers (bibtexparser, rispy) and their fields
checked; the prose styles come from the official CSL styles through citeproc-py.
"""

import datetime
import json

import bibtexparser
import bibtexparser.middlewares as bib
import pytest
import rispy
from django.contrib.auth import get_user_model

from articles.citations import STYLES, Cited, cite, csl_item
from articles.citations.item import byline_names
from articles.editorial import merge_articles
from articles.models import Article, Outlet

# An invented report; its headline carries every character LaTeX treats specially.
HEADLINE = "Port Alden council backs 100% flood levy & {new} sea_wall bonds for $4 mln #FloodWatch"


@pytest.fixture
def report(transactional_db, search_backend) -> Article:
    outlet = Outlet.objects.create(name="Harbour Wire", slug="harbour-wire")
    return Article.objects.create(
        headline=HEADLINE,
        outlet=outlet,
        byline="By Jane Okafor and Per Lind",
        published=datetime.date(2024, 3, 5),
        body="PORT ALDEN, March 5 - The council voted 7-2 on Tuesday to raise a levy for the sea wall.",
        language="en",
    )


def _get(client, article: Article, style: str | None):
    return client.get(f"{article.get_absolute_url()}cite/", {"style": style} if style else {})


def _version(article: Article) -> str:
    return article.updated.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def test_bibtex_parses_back_with_every_field(client, report):
    response = _get(client, report, "bibtex")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="newsarchive-{report.pk}.bib"'
    layers = [bib.LatexDecodingMiddleware(), bib.SeparateCoAuthors(), bib.SplitNameParts()]
    library = bibtexparser.parse_string(response.content.decode(), append_middleware=layers)
    assert not library.failed_blocks and len(library.entries) == 1
    entry = library.entries[0]
    fields = {name: field.value for name, field in entry.fields_dict.items()}
    assert entry.entry_type == "article" and entry.key == f"newsarchive-{report.pk}"
    assert fields["title"] == HEADLINE  # escaped for LaTeX, decoded back to the same text
    assert [(name.last, name.first) for name in fields["author"]] == [
        (["Okafor"], ["Jane"]),
        (["Lind"], ["Per"]),
    ]
    assert fields["journal"] == "Harbour Wire"
    assert (fields["year"], fields["month"], fields["day"]) == ("2024", "mar", "5")
    assert fields["url"] == f"http://testserver/articles/{report.pk}/"
    assert fields["urldate"] == datetime.datetime.now(datetime.UTC).date().isoformat()
    assert fields["note"] == f"Version of {_version(report)}"


def test_ris_parses_back_with_every_field(client, report):
    response = _get(client, report, "ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="newsarchive-{report.pk}.ris"'
    text = response.content.decode()
    assert text.startswith("TY  - NEWS\r\n") and text.endswith("ER  - \r\n")
    [record] = rispy.loads(text)
    assert record["type_of_reference"] == "NEWS"
    assert record["title"] == HEADLINE
    assert record["authors"] == ["Okafor, Jane", "Lind, Per"]
    assert record["secondary_title"] == "Harbour Wire" and record["journal_name"] == "Harbour Wire"
    assert record["year"] == "2024" and record["date"] == "2024/03/05/"
    assert record["urls"] == [f"http://testserver/articles/{report.pk}/"]
    assert record["access_date"] == datetime.datetime.now(datetime.UTC).date().strftime("%Y/%m/%d")
    assert record["notes"] == [f"Version of {_version(report)}"]


def test_csl_json_is_an_article_newspaper_item(client, report):
    response = _get(client, report, "csl-json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="newsarchive-{report.pk}.json"'
    [item] = json.loads(response.content)
    assert item["type"] == "article-newspaper" and item["title"] == HEADLINE
    assert item["container-title"] == "Harbour Wire"
    assert item["author"] == [{"family": "Okafor", "given": "Jane"}, {"family": "Lind", "given": "Per"}]
    assert item["issued"] == {"date-parts": [[2024, 3, 5]]}
    assert item["URL"] == f"http://testserver/articles/{report.pk}/"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("apa", "Okafor, J., & Lind, P. (2024, March 5). Port Alden council backs 100% flood levy"),
        ("mla", "Okafor, Jane, and Per Lind. “Port Alden Council Backs 100% Flood Levy"),
        ("chicago", "Okafor, Jane, and Per Lind. 2024. “Port Alden Council Backs 100% Flood Levy"),
    ],
)
def test_prose_styles_are_text_pinned_to_the_version(client, report, style, expected):
    response = _get(client, report, style)
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response
    text = response.content.decode()
    assert text.startswith(expected)
    assert f"http://testserver/articles/{report.pk}/" in text
    assert text.rstrip().endswith(f"Version of {_version(report)}.")
    assert "Edition" not in text  # no label of a variable the article lacks
    if style != "apa":  # the English locale's punctuation inside the quotation marks
        assert "#FloodWatch.”" in text


def test_no_style_is_apa(client, report):
    assert _get(client, report, None).content == _get(client, report, "apa").content


def test_unknown_style_is_a_clear_400(client, report):
    response = _get(client, report, "harvard")
    assert response.status_code == 400
    assert response.content.decode() == (
        "Unknown citation style 'harvard': use one of apa, mla, chicago, bibtex, ris, csl-json.\n"
    )


def test_unknown_article_and_drafts_are_404(client, report):
    assert client.get("/articles/999999/anything/cite/", {"style": "apa"}).status_code == 404
    Article.objects.filter(pk=report.pk).update(status=Article.Status.DRAFT)
    assert _get(client, report, "apa").status_code == 404


def test_an_article_in_the_trash_is_gone(client, report):
    Article.objects.filter(pk=report.pk).update(status=Article.Status.TRASHED)
    response = _get(client, report, "bibtex")
    assert response.status_code == 410 and "Content-Disposition" not in response


def test_an_old_slug_redirects_keeping_the_style(client, report):
    response = client.get(f"/articles/{report.pk}/old-headline/cite/", {"style": "ris"})
    assert response.status_code == 301
    assert response["Location"] == f"{report.get_absolute_url()}cite/?style=ris"


def test_merged_article_citation_and_permalink_lead_to_the_canonical(client, report):
    duplicate = Article.objects.create(
        headline="Port Alden backs flood levy",
        outlet=report.outlet,
        body="The council voted 7-2.",
        language="en",
    )
    user = get_user_model().objects.create_user("merger")
    merge_articles(report, [duplicate], user)
    response = _get(client, duplicate, "bibtex")
    assert response.status_code == 301
    assert response["Location"] == f"{report.get_absolute_url()}cite/?style=bibtex"
    # The permalink a citation gives keeps working after a merge: it reaches the canonical page.
    response = client.get(f"/articles/{duplicate.pk}/", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == report.get_absolute_url()


def test_article_page_pins_the_version_and_links_every_format(client, report):
    html = client.get(report.get_absolute_url()).content.decode()
    start = html.index('id="cite-heading"')
    section = html[start : html.index("</section>", start)]
    permalink = f"http://testserver/articles/{report.pk}/"
    assert f'Permanent link: <a href="{permalink}">{permalink}</a>' in section
    assert f'<time datetime="{report.updated.isoformat()}">' in section
    for key in STYLES:
        assert f'href="{report.get_absolute_url()}cite/?style={key}"' in section


def test_without_byline_the_outlet_stands_as_author():
    item = csl_item(_cited(None, byline="", outlet="Harbour Wire"))
    assert item["author"] == [{"literal": "Harbour Wire"}]
    assert cite(item, "chicago").startswith("Harbour Wire. 2024. “")


def test_supplied_headline_is_bracketed():
    item = csl_item(_cited(None, headline="Levy vote", supplied=True))
    assert item["title"] == "[Levy vote]"


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Okafor and Per Lind", [("Okafor", "Jane"), ("Lind", "Per")]),
        ("By MARIA LOPEZ, Harbour Wire", [("Lopez", "Maria")]),
        (
            "Ahmed Al-Hassan; Jean-Luc O’Brien & K. Smith",
            [("Al-Hassan", "Ahmed"), ("O’Brien", "Jean-Luc"), ("Smith", "K.")],
        ),
        ("Staff Reporter", []),
        ("By our correspondent in Port Alden", []),
        ("Harbour Wire", []),
    ],
)
def test_byline_names(byline, names):
    assert [(n["family"], n["given"]) for n in byline_names(byline, "Harbour Wire")] == names


def _cited(
    article: Article | None,
    byline="By Jane Okafor and Per Lind",
    outlet="Harbour Wire",
    headline=HEADLINE,
    supplied=False,
) -> Cited:
    if article is not None:
        byline, outlet, headline = article.byline, article.outlet.name, article.headline
    return Cited(
        pk=article.pk if article else 7,
        headline=headline,
        headline_supplied=supplied,
        url=f"http://testserver/articles/{article.pk if article else 7}/",
        changed=article.updated if article else datetime.datetime(2026, 1, 2, 9, 30, tzinfo=datetime.UTC),
        accessed=datetime.datetime.now(datetime.UTC).date(),
        outlet=outlet,
        byline=byline,
        published=datetime.date(2024, 3, 5),
        language="en",
    )
