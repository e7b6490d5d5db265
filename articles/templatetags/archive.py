"""Template filters for article text, and absolute addresses for printed and shared pages."""

import re
from urllib.parse import unquote

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from articles.cataloguing import catalogued_title
from articles.cataloguing import rights_line as _rights_line
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


# A web address in running text (a licence's): http(s) only, up to a space, a quote or a bracket.
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"'()\[\]]+", re.IGNORECASE)


@register.filter
def linked_urls(text: str) -> SafeString:
    """Plain text, escaped, with its http(s) addresses as links (shown decoded, of class
    ``address``: print shows no address after them); a stop after an address ends the sentence,
    not the address. No other scheme becomes a link."""
    text, parts, at = text or "", [], 0
    for match in _WEB_ADDRESS.finditer(text):
        address = match.group().rstrip(".,;:!?")
        parts += [
            escape(text[at : match.start()]),
            format_html('<a href="{}" class="address">{}</a>', address, readable_url(address)),
        ]
        at = match.start() + len(address)
    return mark_safe("".join([*parts, escape(text[at:])]))  # noqa: S308 - every piece is escaped


@register.filter
def catalogued(article) -> str:
    """An article's headline as plain text, in square brackets when the archive supplied it."""
    return catalogued_title(article.headline, article.headline_supplied)


@register.filter
def rights_line(article) -> str:
    """The article's rights line (:func:`articles.cataloguing.rights_line`)."""
    return _rights_line(article.rights, article.licence)


@register.simple_tag(takes_context=True)
def absolute_url(context, *parts) -> str:
    """The parts joined, as an absolute address on this site (a printed page shows it)."""
    path = "".join(str(part) for part in parts)
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
