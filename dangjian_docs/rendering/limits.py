"""Every limit a template runs under, in one place so docs/security.md can quote them.

A template is untrusted input (anyone can edit it in Word, or hand one over), so reading it and
rendering it are both bounded: sizes before anything is inflated, then steps, output, value
sizes, nesting depth and wall time while it renders. The numbers sit far above what a real
党建 template needs (ours inflate to under 0.5 MB and render in well under 0.1 s).
"""

from __future__ import annotations

MB = 1024 * 1024

# -- the package (checked before any part is inflated) -----------------------------------
MAX_FILE_BYTES = 20 * MB
"""The template file on disk."""
MAX_ENTRIES = 2000
"""Entries in the zip."""
MAX_PART_BYTES = 20 * MB
"""One part inflated (a picture, a font)."""
MAX_XML_PART_BYTES = 8 * MB
"""One XML part inflated: XML is parsed, and templated XML compiled, so it gets less."""
MAX_TOTAL_BYTES = 60 * MB
"""All parts inflated together."""
MAX_RATIO = 200
"""Inflated size over stored size, for parts above :data:`RATIO_FLOOR_BYTES`."""
RATIO_FLOOR_BYTES = 1 * MB
"""Small parts may compress very well (a style sheet is ~30:1) without being a bomb."""
MAX_TAGS = 5000
"""Jinja tags (``{{``, ``{%``, ``{#``) in all templated parts together: compiling costs time
and memory per tag (about 12 KB each); ours have fewer than 200."""
MAX_TEMPLATED_BYTES = 4 * MB
"""All parts that hold tags, together: each is cleaned up, compiled and rendered."""
MAX_CLEANUP_SCAN = 20_000_000
"""Characters docxtpl's ``-%}`` clean-up may scan in one part: its pattern rescans from every
``-%}`` to the next run, so a long run of them would take quadratic time."""

# -- a render (checked while the template runs) -----------------------------------------
MAX_STEPS = 1_000_000
"""Loop iterations, calls, filter calls and arithmetic together, per document."""
MAX_SECONDS = 3.0
"""Wall time of one document's render, checked every :data:`CLOCK_EVERY` steps."""
CLOCK_EVERY = 16
MAX_OUTPUT_CHARS = 20_000_000
"""Characters a document's render may build in total: printed values, macro and block results,
and every string the template computes on the way (ours build ~50,000)."""
MAX_VALUE_CHARS = 2_000_000
"""One string a template builds (``*``, ``~``, ``+``, ``replace``, ``join``, a macro's result)."""
MAX_ITEMS = 100_000
"""One list or tuple a template builds; also the longest ``range``."""
MAX_INT_BITS = 4096
"""Integers a template computes (about 1,233 decimal digits)."""
MAX_FORMAT_WIDTH = 10_000
"""Width or precision in ``%`` formatting, ``format``, ``center`` and the like."""
MAX_DEPTH = 40
"""Nested macro calls and recursive loops."""
