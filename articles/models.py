"""The archive's data: outlets, dateline places, topics, articles and their captions.

Unknown facts stay unknown: an article whose copy names no outlet, dateline or
date keeps ``None`` there rather than a guess.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from articles.sanitize import without_controls


def content_hash(text: str) -> str:
    """SHA-256 of the raw copy, the key that makes ingesting the same file twice a no-op.

    Stories glued into one file share the file's hash; a JSONL record is hashed alone.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Outlet(models.Model):
    """A publisher of news: a wire service, a newspaper, an official body..."""

    class Kind(models.TextChoices):
        WIRE = "wire", "Wire service"
        NEWSPAPER = "newspaper", "Newspaper"
        BROADCASTER = "broadcaster", "Broadcaster"
        OFFICIAL = "official", "Official body"
        AGGREGATOR = "aggregator", "Aggregator"
        ONLINE = "online", "Online publication"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(
        max_length=20, choices=Kind.choices, blank=True, help_text="Blank until an editor classifies it."
    )
    aliases = models.TextField(blank=True, help_text="Other names the copy uses for this outlet, one a line.")
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)


class Place(models.Model):
    """A dateline place: the city a story was filed from, and its country when known."""

    city = models.CharField(max_length=120)
    country = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["city", "country"]
        constraints = [models.UniqueConstraint(fields=["city", "country"], name="unique_place")]

    def __str__(self) -> str:
        return f"{self.city}, {self.country}" if self.country else self.city


class Topic(models.Model):
    """A subject label editors curate; ``keywords`` help the ingester suggest it."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    keywords = models.TextField(
        blank=True, help_text="Words or phrases that mark an article as on this topic, one a line."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)


class AliasGroup(models.Model):
    """Names that mean the same thing: a search for any of them finds articles using any other.

    E.g. ISIS / ISIL / Da'esh / Islamic State. Editors maintain these; no code change needed.
    """

    names = models.TextField(help_text="One name a line.")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "name variants"
        verbose_name_plural = "name variants"

    def __str__(self) -> str:
        return " = ".join(self.name_list())

    def name_list(self) -> list[str]:
        return [line.strip() for line in self.names.splitlines() if line.strip()]


class Story(models.Model):
    """One event as reported by several outlets: every version of it, grouped."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200].strip("-") or "story"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:story", kwargs={"pk": self.pk, "slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED)

    def for_index(self) -> ArticleQuerySet:
        """Published articles with everything the search document needs, in few queries.

        Suspected duplicates (a same-outlet near-exact copy, until an editor decides) are left
        out: search finds their original, once, and counts versions of a story without them.
        """
        return (
            self.published()
            .filter(duplicate_of__isnull=True)
            .select_related("outlet", "place")
            .prefetch_related("topics", "captions")
            .defer("raw_text")
        )


class Article(models.Model):
    """One outlet's version of a story, as the archive shows and searches it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETRACTED = "retracted", "Retracted"
        MERGED = "merged", "Merged into another article"
        TRASHED = "trashed", "In the trash"

    headline = models.CharField(max_length=300)
    headline_supplied = models.BooleanField(
        default=False,
        help_text="The copy has no headline: the archive supplied this one (shown in brackets, as "
        "catalogues mark a supplied title).",
    )
    slug = models.SlugField(max_length=200, blank=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name="dateline place",
    )
    published = models.DateField(null=True, blank=True, db_index=True)
    country = models.CharField(
        max_length=100,
        blank=True,
        help_text="The country the article is about, derived from its text at ingest when its "
        "dateline names none (the dateline's country comes first).",
    )
    byline = models.CharField(max_length=300, blank=True)
    editor = models.CharField(max_length=300, blank=True, help_text="“Edited by” credit.")
    summary = models.TextField(blank=True)
    body = models.TextField(
        help_text="Paragraphs separated by a blank line; a small set of HTML tags is allowed."
    )
    language = models.CharField(max_length=12, default="en", db_index=True)
    translated_from = models.CharField(
        max_length=12,
        blank=True,
        help_text="Language code of the original when this copy is a translation.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED, db_index=True)
    revision = models.PositiveIntegerField(
        default=0,
        help_text="Counts the article's saved changes: a form carries the revision it was opened at, "
        "and a save over a newer one is a conflict, never a silent overwrite.",
    )
    trashed = models.DateTimeField(
        null=True, blank=True, help_text="When it was moved to the trash (its page then answers 410 Gone)."
    )
    near_identical_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An earlier article of the same outlet and headline whose body is near-identical "
        "(found at ingest), for the review queue.",
    )
    retraction_note = models.TextField(
        blank=True, help_text="Shown publicly on the page of a retracted article."
    )
    # Deleting the canonical article deletes its merged duplicates: they only redirect to it, and
    # would otherwise be left as public pages of a deleted article.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="merged_duplicates",
        help_text="The canonical article this duplicate was merged into; its URL redirects there.",
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suspected_duplicates",
        help_text="Suspected duplicate (same outlet, near-identical text), for the review queue.",
    )
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    story_locked = models.BooleanField(
        default=False, help_text="An editor placed this article in its story; automatic assignment keeps it."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    # The wire formats (NITF, NewsML-G2, ninjs) say more than raw copy does.
    dek = models.CharField("subheadline (dek)", max_length=500, blank=True)
    rights = models.CharField(
        max_length=500, blank=True, help_text="Rights line: the copyright holder and notice the source gives."
    )
    trailer = models.CharField(
        max_length=500, blank=True, help_text="The agency's credit trailer (“Reporting by …; Editing by …”)."
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Date and time of publication, when the source gives a time."
    )
    published_offset = models.SmallIntegerField(
        null=True,
        blank=True,
        help_text="The source's UTC offset of that time, in minutes (120 for +02:00): it is shown in the "
        "source's local time.",
    )
    released_at = models.DateTimeField(
        null=True, blank=True, help_text="Release time (embargo) the source set."
    )
    wire_format = models.CharField(
        max_length=20,
        blank=True,
        choices=[
            ("nitf", "NITF"),
            ("newsml-g2", "NewsML-G2"),
            ("ninjs", "ninjs"),
            ("html", "Web page"),
            ("rss", "RSS"),
            ("atom", "Atom"),
        ],
        help_text="The format the copy came in, when not raw text.",
    )
    wire_id = models.CharField(
        "wire identity",
        max_length=255,
        blank=True,
        db_index=True,
        help_text="The format's identity of the item (NITF doc-id, NewsML-G2 guid, ninjs uri).",
    )
    wire_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The format's version of the copy: an older one never replaces it."
    )
    slugline = models.CharField(max_length=200, blank=True, help_text="The source's slug for the story.")
    wire_status = models.CharField(
        max_length=20, blank=True, help_text="The source's publication status (usable, canceled, withheld)."
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="The article this one translates (its other translations link to it too).",
    )
    source_url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(
        max_length=300, blank=True, help_text="Licence and attribution the source requires."
    )
    source_file = models.CharField(max_length=500, blank=True, db_index=True)  # re-ingest looks it up
    raw_text = models.TextField(blank=True, help_text="The copy as it arrived.")
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "headline"]
        permissions = [("purge_article", "Can purge articles from the trash (for good)")]
        # The admin's list in its order (the admin adds -pk), with what its rows skipped by a deep
        # page need (the trash filter, the joins): a page deep in 100k articles is read from this
        # index alone, not sorted from the whole table (0.65 s on SQLite; 0.03 s so).
        indexes = [
            models.Index(
                fields=["-published", "headline", "-id", "status", "outlet", "place"],
                name="article_list_order",
            )
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        for name in ("headline", "summary", "byline", "body"):  # a stray control character in copy
            setattr(self, name, without_controls(getattr(self, name)))
        if not self.slug:
            self.slug = self.slug_for(self.headline)
        if self.raw_text and not self.content_hash:
            self.content_hash = content_hash(self.raw_text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def published_local(self) -> datetime.datetime | None:
        """``published_at`` in the source's own time (its offset), as the source printed it."""
        if self.published_at is None:
            return None
        offset = datetime.timedelta(minutes=self.published_offset or 0)
        return self.published_at.astimezone(datetime.timezone(offset))

    @property
    def translated(self) -> bool:
        return bool(self.translated_from)

    @property
    def has_web_source(self) -> bool:
        """Whether ``source_url`` may be a link: http(s) only (never a ``javascript:`` address)."""
        return self.source_url.lower().startswith(("http://", "https://"))

    @staticmethod
    def slug_for(headline: str) -> str:
        return slugify(headline)[:200].strip("-") or "article"


class PossibleVersionQuerySet(models.QuerySet):
    def undecided(self) -> PossibleVersionQuerySet:
        """Pairs no editor has decided yet, still apart (not in one story) and not merged away."""
        merged = Article.Status.MERGED
        return (
            self.filter(decision=PossibleVersion.Decision.UNDECIDED)
            .exclude(first__status=merged)
            .exclude(second__status=merged)
            .filter(
                models.Q(first__story__isnull=True)
                | models.Q(second__story__isnull=True)
                | ~models.Q(first__story=models.F("second__story"))
            )
        )


class PossibleVersion(models.Model):
    """Two articles the story rule nearly put in one story (the same or the next day, evidence
    a little under its bar), for an editor to decide. ``first`` is the one with the lower id."""

    class Decision(models.TextChoices):
        UNDECIDED = "", "Not decided"
        SAME = "same", "The same story"
        DIFFERENT = "different", "Not the same story"

    first = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    evidence = models.FloatField(help_text="The story rule's score for the pair (its bar is higher).")
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided = models.DateTimeField(null=True, blank=True)

    objects = PossibleVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-evidence", "-pk"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="possible_version_pair")]

    def __str__(self) -> str:
        return f"articles {self.first_id} and {self.second_id}: {self.get_decision_display()}"


class ArticleVersion(models.Model):
    """An earlier text of an article, e.g. the wire story a breaking update replaced."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    headline = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    note = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"Earlier version of {self.article}"


class Caption(models.Model):
    """A photo caption that came with the copy; each distinct caption is kept once."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="captions")
    text = models.TextField()
    credit = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["article", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ArticleChange(models.Model):
    """One editorial change to an article: who, when, and each changed field (old -> new).

    ``before`` holds the article's editable fields as they were before the change, so the
    article can be put back as it was before any change, the first one included.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    when = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [old, new]}")
    before = models.JSONField(default=dict, blank=True, help_text="The editable fields before the change.")

    class Meta:
        ordering = ["-when", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.article_id} at {self.when:%Y-%m-%d %H:%M}"


class IndexTask(models.Model):
    """An article whose search document must be brought in line with the database.

    Written in the same transaction as the change, applied in order by one writer, deleted
    once applied: a change that commits is never lost, one that rolls back never queued.
    """

    article_id = models.BigIntegerField(db_index=True)
    queued = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"sync article {self.article_id}"


class IngestCheckpoint(models.Model):
    """How far a load of a records file has committed, so that running it again resumes there.

    Written in the same transaction as each batch of the file's records (``articles.ingest.batches``)
    and deleted when the file is done. The file is known by its name (as its articles'
    ``source_file`` knows it), its size and a hash of its first bytes: another file of the same
    name is read whole.
    """

    file_name = models.CharField(max_length=255, unique=True)
    size = models.BigIntegerField()
    head_hash = models.CharField(max_length=64, help_text="SHA-256 of the file's first 64 KiB.")
    lines = models.PositiveBigIntegerField(help_text="Lines of the file committed.")
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.file_name}: {self.lines:,} lines committed"


# Jobs and watched feeds live with the code that runs them (articles/jobs/, articles/watch/);
# Django finds their models here (and the learned name variants, articles/variants/).
from articles.jobs.models import Job  # noqa: E402, F401
from articles.review_marks import ReviewMark  # noqa: E402, F401
from articles.variants.models import VariantSuggestion  # noqa: E402, F401
from articles.watch.models import Feed, FeedFetch  # noqa: E402, F401
