"""Stories on the invented multi-outlet dev set: grouping precision/recall and the differences shown.

    python bench/bench_story_devset.py [--verbose]

The dev set (``bench/story_devset/``, written for this purpose: no agency text) holds events
told by several outlets in their own words over one to three days, template look-alikes (two
companies' results, two tenders, two ratings... of one day) and short briefs that share names
with an event but are not it. ``GUIDELINE.md`` there says what counts as one event.

``heldout.jsonl`` holds three more events, two look-alike pairs and three briefs, written after
the rule was changed and never used to fit it: its grouping figures are the honest ones (the
development set's were fitted on).

Grouping goes through the rule the archive uses: every article becomes a doc as ingest makes it
(:func:`articles.stories.documents.make_doc` on the plain text, its day, time and outlet), the docs
are added oldest first to a :class:`StoryIndex` and placed by a :class:`Grouper`, exactly as
``rebuild_stories()`` (``manage.py assign_stories``, ``loaddata``) does, without the database.
Printed: pairwise precision and recall against the expected grouping (a pair is expected
"same" when both articles carry one event id; predicted "same" when both are in one story), the
largest story, and each event's stories (with ``--verbose``, every wrong pair).

The differences panel: :func:`articles.stories.differences.compare` on each event's versions
(their plain bodies, labelled by outlet, in publishing order, as the story page passes them),
matched against ``expected_differences.jsonl``. An expected difference is **shown** when one
difference of the panel of the same kind (name, figure, date) holds every expected form in its
cells' wordings (a form is found when it occurs in a wording as whole words, case and accents
aside) and, for a figure, holds none of the forms that belong only to another expected figure
of the event (the dead and the missing merged into one row is not showing either).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEVSET = REPO / "bench" / "story_devset"
sys.path.insert(0, str(REPO))

from articles.stories.differences import Comparison, Difference, Version, compare  # noqa: E402
from articles.stories.documents import Doc, fold, make_doc  # noqa: E402
from articles.stories.grouping import Grouper  # noqa: E402
from articles.stories.similarity import StoryIndex  # noqa: E402


def load_articles(path: Path = DEVSET / "articles.jsonl") -> list[dict]:
    """The dev set's articles, each with ``key`` (its line number from 1, as ids in ingest order)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for key, row in enumerate(rows, start=1):
        row["key"] = key
    return rows


def load_expected(path: Path = DEVSET / "expected_differences.jsonl") -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def doc(row: dict) -> Doc:
    published = dt.datetime.fromisoformat(row["published"]) if row.get("published") else None
    timed = published is not None and "T" in row["published"]  # a time without an offset: UTC
    return make_doc(
        row["key"],
        row["headline"],
        row["body"],
        day=published.toordinal() if published else None,
        moment=int(published.replace(tzinfo=published.tzinfo or dt.UTC).timestamp()) if timed else None,
        outlet=row["outlet"],
    )


def group(rows: list[dict]) -> dict[int, object]:
    """Each article's story label (None: in no story), as ``rebuild_stories()`` places them."""
    docs = sorted((doc(r) for r in rows), key=lambda d: (d.day is None, d.day or 0, d.key))
    index, grouper = StoryIndex(), Grouper()
    for placed, matches, _ in index.extend(docs):
        grouper.place(placed.key, matches)
    return {r["key"]: grouper.story.get(r["key"]) for r in rows}


def pair_scores(rows: list[dict], story: dict[int, object]) -> tuple[float, float, list, list]:
    """Precision, recall, and the wrong pairs (joined but not one event; one event left apart)."""
    tp = 0
    joined_wrongly, missed = [], []
    for a, b in itertools.combinations(rows, 2):
        same = a["event"] is not None and a["event"] == b["event"]
        together = story[a["key"]] is not None and story[a["key"]] == story[b["key"]]
        tp += same and together
        if together and not same:
            joined_wrongly.append((a["id"], b["id"]))
        if same and not together:
            missed.append((a["id"], b["id"]))
    fp, fn = len(joined_wrongly), len(missed)
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), joined_wrongly, missed


def _holds(wording: str, form: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fold(form))}(?!\w)", fold(wording)) is not None


def matches(expected: dict, others: list[dict], difference: Difference) -> bool:
    """The matching rule of the module docstring."""
    if difference.kind != expected["kind"]:
        return False
    foreign = {f for o in others if o["kind"] == "figure" for f in o["forms"]} - set(expected["forms"])
    wordings = [c.wording for c in difference.cells if c.wording]
    if not all(any(_holds(w, form) for w in wordings) for form in expected["forms"]):
        return False
    return expected["kind"] != "figure" or not any(_holds(w, f) for w in wordings for f in foreign)


def shown(expected: dict, others: list[dict], comparison: Comparison) -> bool:
    return any(matches(expected, others, d) for d in comparison.differences)


def panel_scores(rows: list[dict], expected: list[dict], verbose: bool) -> tuple[int, int, int]:
    """How many expected differences the panel shows, of how many, and how many names, figures
    and dates it shows that none expected (noise, or a difference the file does not list)."""
    by_event = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r["published"], r["key"])):
        if row["event"]:
            by_event[row["event"]].append(Version(row["key"], row["outlet"], row["body"]))
    wanted = defaultdict(list)
    for item in expected:
        wanted[item["event"]].append(item)
    found = extra = 0
    for event, items in sorted(wanted.items()):
        comparison = compare(by_event[event])
        unexpected = [
            d
            for d in comparison.differences
            if d.kind != "quote" and not any(matches(i, [o for o in items if o is not i], d) for i in items)
        ]
        extra += len(unexpected)
        for item in items:
            ok = shown(item, [o for o in items if o is not item], comparison)
            found += ok
            if verbose or not ok:
                said = "shown " if ok else "MISSED"
                print(f"  {said} {event} {item['kind']} {item['thing']}: {item['forms']}")
        for d in comparison.differences if verbose else unexpected:
            print(f"      panel {event} {d.kind}: {d.summary}")
    return found, len(expected), extra


def report_grouping(name: str, rows: list[dict], verbose: bool) -> None:
    """Pairwise precision and recall, the largest story, and how each event was grouped."""
    events = Counter(r["event"] for r in rows if r["event"])
    multi = sum(1 for n in events.values() if n > 1)
    briefs = sum(1 for r in rows if not r["event"])
    print(
        f"{name}: {len(rows)} articles: {multi} events told more than once, "
        f"{len(events) - multi} single articles of an event, {briefs} briefs"
    )
    story = group(rows)
    precision, recall, wrong, missed = pair_scores(rows, story)
    sizes = Counter(label for label in story.values() if label is not None)
    print(
        f"  pairwise precision {precision:.3f}, recall {recall:.3f} "
        f"({len(wrong)} pairs joined wrongly, {len(missed)} missed); "
        f"largest story {max(sizes.values(), default=0)} articles"
    )
    by_event = defaultdict(list)
    for row in rows:
        by_event[row["event"] or row["id"]].append(row)
    for event, members in sorted(by_event.items()):
        labels = Counter(story[r["key"]] for r in members)
        if len(members) > 1 or any(sizes[label] > 1 for label in labels if label is not None):
            parts = []
            for label, count in labels.items():
                others = sizes[label] - count if label is not None else 0
                parts.append(f"{count} alone" if label is None else f"{count} together (+{others} others)")
            print(f"    {event}: {len(members)} articles: {', '.join(parts)}")
    if verbose:
        for a, b in wrong:
            print(f"    joined wrongly: {a} {b}")
        for a, b in missed:
            print(f"    missed: {a} {b}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    rows = load_articles()
    report_grouping("development set (articles.jsonl)", rows, args.verbose)
    report_grouping("held out (heldout.jsonl)", load_articles(DEVSET / "heldout.jsonl"), args.verbose)
    found, total, extra = panel_scores(rows, load_expected(), args.verbose)
    print(
        f"differences panel (development set): {found} of {total} expected differences shown "
        f"({found / total:.0%}); {extra} names, figures or dates shown that none expected"
    )


if __name__ == "__main__":
    main()
