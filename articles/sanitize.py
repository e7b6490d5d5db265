"""The one place untrusted article text is cleaned (bleach), for display and for search.

Plain Python (no Django import) so the parser can use it too.
"""

from __future__ import annotations

import html
import re

import bleach

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "b", "i", "blockquote", "q", "ul", "ol", "li", "h2", "h3", "h4", "a"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "q": ["cite"], "blockquote": ["cite"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Content that must go entirely, not just lose its tags.
_DANGEROUS_BLOCKS = re.compile(r"<(script|style|iframe|object|embed|template)\b.*?</\1\s*>", re.I | re.S)
_BLOCK_BOUNDARY = re.compile(r"</?(p|div|br|li|h[1-6]|blockquote|tr)\b[^>]*>", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Text is treated as HTML when it has a real HTML tag, an event handler or a comment. Wire
# tickers in angle brackets are text, even those spelt like a tag ("<SRD>", "<U>", "<P>",
# "<em>", "<A.H. BELO CORP>"): a formatting tag counts when closed or with an attribute (a bare
# "<br>" or "<p>" too); a tag that embeds or runs something counts in any case. Text that is not
# HTML is escaped whole, so reading too little as HTML is always safe.
_HTML_ELEMENTS = (
    "a|abbr|article|aside|b|blockquote|body|br|caption|cite|code|div|em|embed|figcaption|figure|font|"
    "footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|li|link|meta|nav|object|ol|p|pre|q|"
    "script|section|small|span|strong|style|sub|sup|svg|table|tbody|td|template|th|thead|title|tr|u|ul"
)
_ACTIVE_TAGS = (
    "html|head|body|meta|link|script|style|iframe|object|embed|img|svg|form|input|button|template|noscript"
)
_HTML_HINT = re.compile(
    rf"<\s*/?\s*(?i:{_ACTIVE_TAGS})\b"
    rf"|<\s*/\s*(?i:{_HTML_ELEMENTS})\s*>"
    rf"|<\s*(?i:{_HTML_ELEMENTS})[\s/]+[\w:-]+\s*="
    r"|<(?:br|p)\s*/?>|<!--|<[^>]*[\s/](?i:on\w+)\s*="
)
# Control characters (but tab, line feed, carriage return): XML cannot carry them and HTML
# forbids them; a stray one in wire copy would break the Atom feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is HTML rather than plain copy (see ``_HTML_HINT``)."""
    return _HTML_HINT.search(text) is not None


def without_controls(text: str) -> str:
    """``text`` without control characters."""
    return _CONTROL.sub("", text)


def clean_html(text: str) -> str:
    """Safe HTML for an article body: allowed tags kept, everything else escaped or dropped.

    Plain text (paragraphs separated by blank lines) becomes ``<p>`` paragraphs.
    """
    text = _DANGEROUS_BLOCKS.sub("", without_controls(text))
    if not looks_like_html(text):
        paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
        text = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
        return text
    return bleach.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def to_plain_text(text: str) -> str:
    """Text with every tag removed and entities decoded: what search indexes and snippets see.

    Block-level tags become paragraph breaks so words on either side stay apart.
    """
    text = without_controls(text)
    if not looks_like_html(text):
        return html.unescape(text) if "&" in text else text
    text = _DANGEROUS_BLOCKS.sub("", text)
    text = _BLOCK_BOUNDARY.sub("\n\n", text)
    stripped = bleach.clean(text, tags=set(), strip=True, strip_comments=True)
    stripped = html.unescape(stripped)
    paragraphs = [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(stripped)]
    return "\n\n".join(p for p in paragraphs if p)
