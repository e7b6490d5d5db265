"""Reading changes: word-level differences (articles.diffs, plain Python), shown side by side on the
article form's earlier versions and on its history, escaped and whole."""

from articles.diffs import Segment, changed_words, tokens, word_diff
from articles.models import Article, ArticleChange, ArticleVersion
from tests.test_editorial_history import edit

# -- the segments (no Django) -------------------------------------------------------------------


def joined(segments: list[Segment]) -> tuple[str, str]:
    return "".join(s.old for s in segments), "".join(s.new for s in segments)


def test_a_changed_word_is_replaced_and_the_rest_is_equal():
    old = "The ferry left Mwanza on Tuesday with 212 passengers."
    new = "The ferry left Mwanza on Wednesday with 212 passengers."
    assert word_diff(old, new) == [
        Segment("equal", "The ferry left Mwanza on ", "The ferry left Mwanza on "),
        Segment("replace", "Tuesday", "Wednesday"),
        Segment("equal", " with 212 passengers.", " with 212 passengers."),
    ]


def test_words_inserted_and_deleted():
    segments = word_diff("Talks resume in Geneva.", "Talks will resume in Geneva on Monday.")
    assert [(s.kind, s.old, s.new) for s in segments if s.changed] == [
        ("insert", "", "will"),
        ("replace", "Geneva.", "Geneva on Monday."),
    ]
    deleted = word_diff("Officials said the vote was close.", "Officials said the vote.")
    assert [(s.kind, s.old, s.new) for s in deleted if s.changed] == [("replace", "vote was close.", "vote.")]
    assert [(s.kind, s.old) for s in word_diff("a b c", "a c") if s.changed] == [("delete", "b")]


def test_the_segments_give_back_both_texts_exactly():
    old = "  First paragraph, as filed.\n\nSecond   one, with   spaces.\n"
    new = "First paragraph, as corrected.\n\nSecond one,\nwith spaces and more.\n\nA third."
    assert joined(word_diff(old, new)) == (old, new)
    assert tokens(old) == [
        "  ",
        "First ",
        "paragraph, ",
        "as ",
        "filed.\n\n",
        "Second   ",
        "one, ",
        "with   ",
        "spaces.\n",
    ]


def test_whitespace_alone_is_no_change_and_changed_runs_hold_words_only():
    segments = word_diff("a line\nwrapped here", "a line wrapped   here")
    assert [s.kind for s in segments] == ["equal"]
    for segment in word_diff("one two three four", "one 2 3 four"):
        if segment.changed:
            assert segment.old == segment.old.strip() and segment.new == segment.new.strip()


def test_empty_and_missing_texts():
    assert word_diff(None, None) == [] and word_diff("", "") == []
    assert word_diff("", "New text") == [Segment("insert", "", "New text")]
    assert word_diff("Old text", None) == [Segment("delete", "Old text", "")]


def test_changed_words_counts_removed_and_added():
    assert changed_words(word_diff("a b c d", "a x y d")) == (2, 2)
    assert changed_words(word_diff("same words", "same   words")) == (0, 0)


# -- the pages (Django test client) --------------------------------------------------------------

LONG_WORD = "Hauptverkehrsstraßenverbindungsbrückenbauarbeitenabschluss" * 3


def test_earlier_versions_are_compared_word_by_word_escaped_and_whole(editor):
    article = Article.objects.get(place__city="Vilnius")
    tail = " ".join(f"word{i}" for i in range(400))  # far past any truncation
    Article.objects.filter(pk=article.pk).update(
        body=f"<p>Bialiatski was released on Saturday &lt;script&gt;alert(1)&lt;/script&gt; {LONG_WORD}.</p>"
        f"<p>{tail} current-ending.</p>"
    )
    ArticleVersion.objects.create(
        article=article,
        body=f"<p>Bialiatski was <em>still</em> held &lt;script&gt;alert(1)&lt;/script&gt; {LONG_WORD}.</p>"
        f"<p>{tail} earlier-ending.</p>",
        note="Wire update",
    )
    html = editor.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Wire update" in html and 'class="word-diff"' in html
    hidden = '<span class="visually-hidden">'
    assert f"<del>{hidden}[removed: </span>still held{hidden}]</span></del>" in html
    assert '<ins><span class="visually-hidden">[added: </span>released on Saturday<span' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert f"{tail} <del>" in html.replace('<span class="visually-hidden">[removed: </span>', "")
    assert "current-ending." in html and "earlier-ending." in html, "the whole text, nothing cut off"
    assert LONG_WORD in html
    assert "3 words removed, 4 added" in html
    assert '<pre class="diff">' not in html


def test_history_shows_each_changed_field_word_by_word_escaped_and_whole(editor):
    article = Article.objects.get(place__city="Vilnius")
    new_body = article.body.replace("confirmed to the AP.", "confirmed to the AP & <Reuters>.", 1)
    new_body += "\n\n" + "A long added closing paragraph. " * 30
    edit(editor, article, headline="Bialiatski <freed> after 1,000 days", body=new_body)
    change = ArticleChange.objects.get(article=article)
    assert set(change.changes) == {"headline", "body"}

    page = editor.get(f"/admin/articles/article/{article.pk}/history/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<p class="changed-field">headline</p>' in html and '<p class="changed-field">body</p>' in html
    assert "Bialiatski &lt;freed&gt; after 1,000 days" in html and "<freed>" not in html
    assert "AP &amp; &lt;Reuters&gt;." in html and "<Reuters>" not in html
    assert html.count("A long added closing paragraph.") == 30, "not truncated"
    assert '<ins><span class="visually-hidden">[added: </span>' in html
    assert '<del><span class="visually-hidden">[removed: </span>' in html
