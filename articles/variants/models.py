"""A pair of names learned from the archive, offered to editors, and their decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .candidates import pair_key


class VariantSuggestionQuerySet(models.QuerySet):
    def pending(self) -> VariantSuggestionQuerySet:
        return self.filter(status=VariantSuggestion.Status.PENDING)


class VariantSuggestion(models.Model):
    """Two names the learners take for one (``first_key`` < ``second_key``, so a pair is one row
    whichever way it was found), with the sentences showing each: offered to editors until one
    accepts (the pair joins the name variants table) or rejects it (never offered again)."""

    class Kind(models.TextChoices):
        ACRONYM = "acronym", "Acronym defined in the text"
        SPELLING = "spelling", "Spelled differently in one story"
        TRANSLITERATION = "transliteration", "One person spelled two ways"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an editor"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    first = models.CharField(max_length=300, help_text="The first name, as written.")
    second = models.CharField(max_length=300, help_text="The second name, as written.")
    first_key = models.CharField(max_length=300, editable=False)
    second_key = models.CharField(max_length=300, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    evidence = models.JSONField(
        default=dict,
        help_text="Sentences with each name: {first: [{article, sentence}], second: [...]}",
    )
    articles = models.PositiveIntegerField(default=0, help_text="Articles the pair was seen in.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = VariantSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-articles", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["first_key", "second_key"], name="variant_pair_unique"),
        ]
        indexes = [models.Index(fields=["status", "kind"])]
        verbose_name = "learned name variant"

    def __str__(self) -> str:
        return f"{self.first} = {self.second}"

    def save(self, *args, **kwargs) -> None:
        self.first_key, self.second_key = pair_key(self.first, self.second)
        super().save(*args, **kwargs)
