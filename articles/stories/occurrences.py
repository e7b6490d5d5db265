"""Signs that two alike reports tell of two occurrences, whatever words they share. Plain Python.

- The dates their leads name (:func:`lead_dates`): two weekly rate tables "effective April 1"
  and "effective April 8", a market's "APR 7" close and its "APR 8" opening, a company's results
  "quarter ended January 31" and its dividend "payable March 15". A repeat's own dateline
  ("NEW YORK, March 16 -") names the day it was filed: that date does not count.
- The company each headline names by ticker (:func:`headline_company`): ``MURPHY OIL <MUR>
  RAISES CRUDE POSTINGS`` and ``PHILLIPS PETROLEUM <P> RAISES CRUDE POSTINGS`` are two
  companies' moves, unless one article names the other's company too (a buyer and a seller).

:mod:`.similarity` keeps such pairs apart, and out of the possible versions.
"""

from __future__ import annotations

import datetime
import re

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
# "April 7", "Apr. 7", "7-APR"; not a price table's "JUL7 272 1/2" or "MAY 286"
_DATE = re.compile(
    rf"\b(?:({_MONTHS})[a-z]*\.?\s+(\d{{1,2}})(?![\d/.,]\d)\b|(\d{{1,2}})-({_MONTHS})[a-z]*\b)",
    re.IGNORECASE,
)
_TICKER = re.compile(r"<([A-Z][A-Z.]{0,8})>")
_WORD = re.compile(r"[^\W\d_][\w'’.&-]*")
LEAD_CHARS = 200  # of the body, after the headline, looked at for dates


def lead_dates(headline: str, body: str, day: int | None = None) -> frozenset[str]:
    """Calendar dates the headline and the start of the body name (``April 7``, ``7-APR`` ->
    ``apr7``), but the article's own day (``day``: a date ordinal)."""
    found = {
        f"{(m[1] or m[4]).lower()[:3]}{int(m[2] or m[3])}"
        for m in _DATE.finditer(f"{headline}\n{body[:LEAD_CHARS]}")
    }
    if day is not None:
        own = datetime.date.fromordinal(day)
        found.discard(f"{own.strftime('%b').lower()}{own.day}")
    return frozenset(found)


def tickers(text: str) -> frozenset[str]:
    """The ticker symbols a text names in Reuters' angle brackets, as terms: ``<MUR>`` -> ``$mur``."""
    return frozenset("$" + ticker.lower() for ticker in _TICKER.findall(text))


def headline_company(headline: str) -> tuple[list[str], frozenset[str]]:
    """The company a headline names by ticker: the words before its first ticker (as written) and
    the headline's tickers (``$mur``); nothing when it names no ticker."""
    first = _TICKER.search(headline)
    if first is None:
        return [], frozenset()
    words = _WORD.findall(headline[: first.start()])
    return words, tickers(headline)
