"""Template filters for article text."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.sanitize import clean_html

register = template.Library()


@register.filter
def sanitized(text: str) -> SafeString:
    """Article HTML cleaned by the one sanitizer (bleach), safe to render."""
    return mark_safe(clean_html(text or ""))  # noqa: S308 - clean_html is the sanitizer
