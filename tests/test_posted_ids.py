"""Ids an admin form posts are read without trusting them: a digit that is no ASCII digit, or a
number no database integer holds, is left out, never a server error."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from articles.conflicts import shown_revisions
from articles.posted import number, numbers

BAD = ["²", "٣", "9" * 30, "-1", "1.0", ""]


def test_only_ascii_digits_a_database_integer_holds_are_numbers():
    assert numbers(["12", *BAD, "007"]) == [12, 7]
    assert number("9" * 18) == 10**18 - 1 and number("9" * 19) is None


def test_a_changelist_s_shown_revisions_skip_what_is_no_number():
    post = QueryDict(mutable=True)
    for key, value in [("revision-12", "3"), ("revision-²", "3"), ("revision-13", "9" * 30), ("x", "1")]:
        post[key] = value
    assert shown_revisions(post) == {12: 3}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data"),
    [
        (reverse("admin:articles_article_review_mark", args=["duplicates"]), {"mark": "selected"}),
        (reverse("admin:articles_article_decide_many"), {"decision": "same"}),
        (reverse("admin:articles_article_variants_decide"), {"decision": "reject"}),
    ],
)
def test_review_pages_take_bad_ids_without_a_server_error(admin_client, url, data):
    response = admin_client.post(url, {**data, "ids": ["12", *BAD]})
    assert response.status_code == 302
