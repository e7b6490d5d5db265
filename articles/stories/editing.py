"""Editors' story decisions: move, split, take out, merge, delete, and the verdict on a possible
version. Each one that places articles locks them (``story_locked``), so automatic assignment and
re-ingesting never undo it, and each is recorded in their history (who, when, which story)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles import editorial
from articles.models import Article, PossibleVersion, Story


def _place(articles: QuerySet, story: Story | None, user, action: str) -> int:
    """Put the articles in ``story``, locked; record it in their history and queue them for the
    index (whose ``story`` field groups search results): ``update`` sends no signal."""
    ids = list(articles.values_list("pk", flat=True))
    with editorial.tracked(ids, user, action):
        return Article.objects.filter(pk__in=ids).update(story=story, story_locked=True)


def _drop_empty(story_ids) -> None:
    Story.objects.filter(pk__in=[pk for pk in story_ids if pk], articles__isnull=True).delete()


@transaction.atomic
def move_together(articles: QuerySet, user) -> Story:
    """Put the articles in one story: that of the earliest one already in a story, else a new one."""
    ordered = list(articles.order_by("published", "pk"))
    before = {a.story_id for a in ordered}
    story = next((a.story for a in ordered if a.story_id), None)
    if story is None:
        story = Story.objects.create(title=ordered[0].headline)
    _place(articles, story, user, "put in one story")
    _drop_empty(before - {story.pk})
    return story


@transaction.atomic
def split_off(articles: QuerySet, user) -> Story:
    """Give the articles a story of their own, out of the stories they were in."""
    first = articles.order_by("published", "pk").first()
    before = set(articles.values_list("story_id", flat=True))
    story = Story.objects.create(title=first.headline)
    _place(articles, story, user, "split into a new story")
    _drop_empty(before)
    return story


@transaction.atomic
def take_out(articles: QuerySet, user) -> int:
    """Take the articles out of their stories: they stand alone, and stay alone."""
    before = set(articles.values_list("story_id", flat=True))
    count = _place(articles, None, user, "taken out of its story")
    _drop_empty(before)
    return count


@transaction.atomic
def merge_stories(stories: QuerySet, user) -> Story:
    """Merge the stories into the oldest one (its URL stays); the others are deleted."""
    ordered = list(stories.order_by("created", "pk"))
    target, others = ordered[0], ordered[1:]
    _place(Article.objects.filter(story__in=others), target, user, "stories merged")
    Story.objects.filter(pk__in=[s.pk for s in others]).delete()
    return target


def delete_stories(stories: QuerySet, user) -> None:
    """Delete the stories; their articles stay, in no story (recorded in their history, and
    queued for the index, whose ``story`` field groups search results)."""
    with editorial.tracked(
        Article.objects.filter(story__in=stories).values_list("pk", flat=True), user, "story deleted"
    ):
        stories.delete()


class AlreadyDecided(Exception):
    """Another editor decided the pair first."""

    def __init__(self, possible: PossibleVersion) -> None:
        who = possible.decided_by.get_username() if possible.decided_by else "another editor"
        when = f" on {possible.decided:%Y-%m-%d %H:%M}" if possible.decided else ""
        super().__init__(f"Already decided by {who}{when}: {possible.get_decision_display().lower()}.")


@transaction.atomic
def decide(possible: PossibleVersion, same: bool, user) -> Story | None:
    """An editor's verdict on a possible version, recorded. The same story: the two articles'
    stories are merged (or the two are put in one); returns that story. Not the same: nothing
    moves, and the pair is not offered again. Raises :class:`AlreadyDecided` when the pair was
    decided before (by another editor, perhaps a moment earlier)."""
    decision = PossibleVersion.Decision.SAME if same else PossibleVersion.Decision.DIFFERENT
    # Claim the pair first: of two editors deciding it at once, the second one updates nothing.
    claimed = PossibleVersion.objects.filter(pk=possible.pk, decision=PossibleVersion.Decision.UNDECIDED)
    if not claimed.update(decision=decision, decided_by=user, decided=timezone.now()):
        possible.refresh_from_db()
        raise AlreadyDecided(possible)
    story = None
    if same:
        pair = Article.objects.filter(pk__in=[possible.first_id, possible.second_id])
        stories = {story_id for story_id in pair.values_list("story_id", flat=True) if story_id}
        story = (
            merge_stories(Story.objects.filter(pk__in=stories), user)
            if len(stories) == 2
            else move_together(pair, user)
        )
    return story
