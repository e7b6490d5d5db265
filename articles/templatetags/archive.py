"""Template filters for article text."""

from urllib.parse import unquote

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.sanitize import clean_html
from articles.search.facets import language_name as _language_name

register = template.Library()


@register.filter
def sanitized(text: str) -> SafeString:
    """Article HTML cleaned by the one sanitizer (bleach), safe to render."""
    return mark_safe(clean_html(text or ""))  # noqa: S308 - clean_html is the sanitizer


@register.filter
def readable_url(url: str) -> str:
    """An address as a reader reads it: percent-escapes decoded (``%27`` -> ``'``, UTF-8 letters),
    for the link's text only (the ``href`` keeps the address as given); undecodable ones stay."""
    try:
        return unquote(url or "", errors="strict")
    except UnicodeDecodeError:
        return url


@register.filter
def language_name(code: str) -> str:
    """A language code as its name: ``ru`` -> "Russian" (an unknown code as it is)."""
    return _language_name(code)
