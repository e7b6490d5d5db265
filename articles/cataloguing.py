"""How the archive presents what it knows of an article's title and rights, as catalogues do.

- A headline the archive supplied (the copy had none: it was made from the first sentence) is
  shown in square brackets, ``[United National Secretary-General … the end of the…]``.
- Every article has a rights line: the copyright line its copy or format gives, else its licence,
  else :data:`RIGHTS_NOT_STATED`.

Plain functions of the values, shared by the pages, the API and the feed.
"""

from __future__ import annotations

SUPPLIED_NOTE = "title supplied by the archive"
RIGHTS_NOT_STATED = "Rights not stated"


def catalogued_title(headline: str, supplied: bool) -> str:
    """The headline as the archive shows it: in square brackets when it supplied it."""
    return f"[{headline}]" if supplied else headline


def rights_line(rights: str, licence: str) -> str:
    """The article's rights: the copyright holder's line when the copy gives one ("© The
    Associated Press"), else the licence of a licensed source (with its attribution), else
    "Rights not stated"."""
    return rights.strip() or licence.strip() or RIGHTS_NOT_STATED
