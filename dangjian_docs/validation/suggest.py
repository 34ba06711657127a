""""Did you mean" for misspelt keys and values."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``word``, if any is close enough.

    In order: the same word in other case; an abbreviation (``dept`` → ``department``: the
    letters in order, the first one shared); a misspelling (``brnches`` → ``branches``).
    Callers pass only what may be written at that place, so a suggestion is always usable.
    """
    pool = list(dict.fromkeys(candidates))
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    abbreviated = [c for c in pool if _abbreviates(word.lower(), c.lower())]
    if abbreviated:
        return min(abbreviated, key=lambda c: (len(c), c))
    import difflib  # here: only a misspelling needs it, and most files have none

    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _abbreviates(short: str, long: str) -> bool:
    """``dept`` abbreviates ``department``: at least three letters, the first shared, all in order."""
    if len(short) < 3 or len(short) >= len(long) or short[0] != long[0]:
        return False
    rest = iter(long[1:])
    return all(letter in rest for letter in short[1:])


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = closest(word, candidates)
    return f"是不是想写“{match}”？" if match else ""
