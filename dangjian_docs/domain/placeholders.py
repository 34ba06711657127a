"""Text that stands for something never filled in: runs of X, ``××``, ``＿＿``, template tags.

Seed 001 shows what this prevents: a report sent upward with ``X家医院`` and a share of
"three X's per cent" where the figure should be.
The same patterns are checked in the data (so the clerk is sent to the right line) and in every
built document (so nothing slips through a template).
"""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])"  # two or more X or x on their own: xx大会, XX医院; not "taxx"
    r"|(?<![A-Za-z])X(?=[家个名人项次%％])"  # X家医院, X人, X% : a single X before a counter word
    r"|[×＊*]{2,}"  # ××, ＊＊
    r"|[＿_]{2,}"  # ＿＿ blanks to fill
    r"|[□○]{2,}"  # □□
    r"|\{\{|\{%|\}\}|%\}"  # template tags that were not rendered
)

PLACEHOLDER_CHARACTERS = frozenset("Xx×＊*＿_□○{}")
"""Every match of :data:`PLACEHOLDER` holds at least one of these: text without any of them
needs no search (a built document is checked this way first)."""


def find_placeholder(text: str) -> str | None:
    """The first placeholder in ``text``, or ``None``."""
    match = PLACEHOLDER.search(text)
    return match.group(0) if match else None
