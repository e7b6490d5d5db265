"""The one sanitizer: wire tickers in angle brackets are text, real markup is cleaned."""

import pytest

from articles.sanitize import clean_html, looks_like_html, to_plain_text

TICKER_COPY = "Belo <A.H. BELO CORP> and Unisys <U> said\n\n<I> shares rose; <P> fell."


def test_tickers_spelt_like_tags_stay_text_on_the_page_and_in_search():
    assert not looks_like_html(TICKER_COPY)
    assert clean_html(TICKER_COPY) == (
        "<p>Belo &lt;A.H. BELO CORP&gt; and Unisys &lt;U&gt; said</p>"
        "<p>&lt;I&gt; shares rose; &lt;P&gt; fell.</p>"
    )
    assert to_plain_text(TICKER_COPY) == TICKER_COPY


@pytest.mark.parametrize(
    "markup",
    [
        "<p>One</p><p>Two</p>",
        "Bold <b>text</b>",
        '<a href="https://example.org/">link',
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "<SCRIPT>alert(1)</SCRIPT>",
        "<u onclick=alert(1)>x",
        "line<br>break",
        "<!-- comment -->",
    ],
)
def test_real_markup_is_html_and_is_cleaned(markup):
    assert looks_like_html(markup)
    cleaned = clean_html(markup)
    assert "onerror" not in cleaned and "onload" not in cleaned and "onclick" not in cleaned
    assert "<script" not in cleaned.lower() and "<img" not in cleaned and "<svg" not in cleaned
