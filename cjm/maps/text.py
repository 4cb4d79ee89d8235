"""Right-to-left text in maps: detect Arabic / Persian / Hebrew text and shape Arabic letters.

`is_rtl(text)` looks at the first strongly directional character (Unicode bidi classes R and AL mean
right to left). `shape(text)` joins Arabic and Persian letters into their contextual forms (Arabic
Presentation Forms, with arabic-reshaper) but keeps the logical order: every renderer cjm uses
(browsers, resvg inside vl-convert for PNG/PDF) applies the bidi algorithm itself, so reordering here
would reverse the text twice. Renderers that cannot join letters still show connected script.
"""

from __future__ import annotations

import unicodedata

import arabic_reshaper

_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": True})


def is_rtl(text: str) -> bool:
    for ch in str(text or ""):
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def has_arabic(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) == "AL" for ch in str(text or ""))


def shape(text: str) -> str:
    """Arabic / Persian letters in their joined forms, logical order kept; other text unchanged."""
    text = str(text or "")
    return _RESHAPER.reshape(text) if has_arabic(text) else text
