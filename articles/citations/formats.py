"""Citations as data: BibTeX, RIS and CSL-JSON, each written from the article's CSL-JSON item."""

from __future__ import annotations

import json
import re

from articles.citations.item import date_parts

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# LaTeX's special characters, each as BibTeX must be given it.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _LATEX))


def csl_json(item: dict) -> str:
    """A CSL-JSON file: a list of items (here one)."""
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def bibtex(item: dict) -> str:
    """A BibTeX entry: ``@article`` in the outlet as ``journal``, or ``@misc`` when it is unknown.

    Values are escaped for LaTeX; the title is braced whole so that styles keep its case; an
    organisation standing as the author is braced whole so that it is not split into names.
    """
    fields = [("title", "{" + _latex(item["title"]) + "}")]
    if item.get("author"):
        fields.append(("author", " and ".join(_bibtex_name(name) for name in item["author"])))
    if item.get("container-title"):
        fields.append(("journal", _latex(item["container-title"])))
    if item.get("issued"):
        year, month, day = date_parts(item["issued"])
        fields += [("year", str(year)), ("month", MONTHS[month - 1]), ("day", str(day))]
    fields += [
        ("url", item["URL"]),
        ("urldate", _iso(item["accessed"])),
        ("note", _latex(item["note"])),
    ]
    if item.get("language"):
        fields.append(("language", _latex(item["language"])))
    kind = "article" if item.get("container-title") else "misc"
    lines = [f"@{kind}{{{item['id']},"]
    for name, value in fields:
        # Month names are BibTeX's own macros (``mar``), written bare so that styles translate them.
        lines.append(f"  {name} = {value if name == 'month' else '{' + value + '}'},")
    return "\n".join(lines) + "\n}\n"


def ris(item: dict) -> str:
    """An RIS record (type ``NEWS``), lines ending in CRLF as the format has it."""
    tags = [("TY", "NEWS"), ("ID", item["id"]), ("TI", item["title"])]
    tags += [("AU", _ris_name(name)) for name in item.get("author", ())]
    if item.get("container-title"):
        tags += [("T2", item["container-title"]), ("JO", item["container-title"])]
    if item.get("issued"):
        year, month, day = date_parts(item["issued"])
        tags += [("PY", str(year)), ("DA", f"{year:04d}/{month:02d}/{day:02d}/")]
    tags += [("UR", item["URL"]), ("Y2", _iso(item["accessed"]).replace("-", "/")), ("N1", item["note"])]
    if item.get("language"):
        tags.append(("LA", item["language"]))
    tags.append(("ER", ""))
    # A value is one line: any line break in it would start a bogus tag.
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in tags)


def _latex(text: str) -> str:
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group()], " ".join(text.split()))


def _bibtex_name(name: dict) -> str:
    if "literal" in name:
        return "{" + _latex(name["literal"]) + "}"
    family = _latex(name["family"])
    return f"{family}, {_latex(name['given'])}" if name.get("given") else family


def _ris_name(name: dict) -> str:
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}" if name.get("given") else name["family"]


def _iso(value: dict) -> str:
    year, month, day = date_parts(value)
    return f"{year:04d}-{month:02d}-{day:02d}"
