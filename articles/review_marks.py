"""An editor's mark that an article was reviewed for one of the review queue's rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReviewMark(models.Model):
    """The article was looked at for ``rule`` (a slug of :data:`articles.review.RULES`) and needs
    nothing more: the rule no longer lists it."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="review_marks")
    rule = models.CharField(max_length=40)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "rule"], name="one_review_mark_a_rule")]
        ordering = ["-reviewed"]

    def __str__(self) -> str:
        return f"{self.article_id} reviewed for {self.rule}"
