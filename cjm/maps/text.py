"""Right-to-left text in maps: detect Arabic / Persian / Hebrew text and shape Arabic letters.

`is_rtl(text)` counts words by the direction of their letters (Unicode bidi classes R and AL mean right
to left, L left to right): text with more right-to-left words is right to left ("usb و خفيف على الجهاز" is
an Arabic comment that starts with a Latin word; "من, ان, على (91 comments)" is Arabic with an English
note), a tie goes to the first strong letter. `shape(text)` joins Arabic and Persian letters into their contextual forms (Arabic
Presentation Forms, with arabic-reshaper) but keeps the logical order: every renderer cjm uses
(browsers, resvg inside vl-convert for PNG/PDF) applies the bidi algorithm itself, so reordering here
would reverse the text twice. Renderers that cannot join letters still show connected script.

`isolate_runs(line, rtl)` puts the runs written in the other direction inside Unicode directional
isolates (LRI/RLI ... PDI), so "من, ان, على (91 comments)" keeps "(91 comments)" readable in a right-to-left
line and an Arabic quote inside an English line keeps its own order; `isolate_line` also isolates a
whole right-to-left line, which is how an SVG <text> (whose base direction is left to right; resvg
ignores the `direction` attribute and Chromium anchors `text-anchor="end"` of a `direction="rtl"` text
at its left end) shows a right-to-left paragraph the same in a browser and in the PNG/PDF export.
"""

from __future__ import annotations

import re
import unicodedata

import arabic_reshaper

_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": True})


def is_rtl(text: str) -> bool:
    first, counts = None, {"R": 0, "L": 0}
    for word in str(text or "").split():
        for ch in word:  # a word goes by its first strong letter
            kind = unicodedata.bidirectional(ch)
            kind = "R" if kind in ("R", "AL") else kind
            if kind in counts:
                counts[kind] += 1
                first = first or kind
                break
    return counts["R"] > counts["L"] or (counts["R"] == counts["L"] and first == "R")


def has_arabic(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) == "AL" for ch in str(text or ""))


def shape(text: str) -> str:
    """Arabic / Persian letters in their joined forms, logical order kept; other text unchanged."""
    text = str(text or "")
    return _RESHAPER.reshape(text) if has_arabic(text) else text


LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"


def _kind(ch: str) -> str:
    """'L' (left to right), 'R' (right to left), 'D' (a digit) or 'N' (neutral) for one character."""
    kind = unicodedata.bidirectional(ch)
    if kind == "L":
        return "L"
    if kind in ("R", "AL"):
        return "R"
    return "D" if kind in ("EN", "AN") else "N"


# a run in the other direction: it starts and ends on one of its own letters or a digit, has at least one
# letter of its own, none of the other direction, and may hold spaces and punctuation inside
_RUNS = {True: re.compile(r"(?:[LD][LDN]*)?L(?:[LDN]*[LD])?"), False: re.compile(r"R(?:[RDN]*R)?")}


def isolate_runs(line: str, rtl: bool) -> str:
    """The line with each run written in the other direction than the line's inside an isolate: Latin
    words (and the numbers among them) of a right-to-left line in LRI ... PDI, Arabic / Hebrew words of a
    left-to-right line in RLI ... PDI. Nothing else changes."""
    line = str(line or "")
    kinds = "".join(_kind(ch) for ch in line)
    if ("L" if rtl else "R") not in kinds:
        return line
    out, last = [], 0
    for found in _RUNS[rtl].finditer(kinds):
        out += [line[last:found.start()], LRI if rtl else RLI, line[found.start():found.end()], PDI]
        last = found.end()
    return "".join(out) + line[last:]


def isolate_line(line: str, rtl: bool) -> str:
    """`isolate_runs`, and a right-to-left line as a whole inside RLI ... PDI: shown right to left (its
    quotation marks and full stop where a reader of Arabic expects them) in a left-to-right context."""
    inner = isolate_runs(line, rtl)
    return RLI + inner + PDI if rtl and inner else inner


def bidi_text(text) -> str:
    """Text for a left-to-right page (Streamlit's Markdown and tables): each line in its own direction, a
    right-to-left line isolated as a whole and runs in the other direction isolated (`isolate_line`)."""
    return "\n".join(isolate_line(line, is_rtl(line)) for line in str(text).split("\n"))


# Advance widths of DejaVu Sans, the font maps are drawn in (the SVG names it first; PNG and PDF register
# it), in thousandths of an em, read from the font's hmtx table: the printable ASCII letters " " to "~" in
# order, then a few other letters maps use. Any other letter counts as 0.7 em (DejaVu's Arabic letters
# average 0.61 to 0.69 em). Browsers without DejaVu fall back to narrower fonts (Arial, Noto Sans).
_ASCII = {
    False: "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 636 "
           "636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 603 787 "
           "695 635 611 732 684 989 685 611 685 390 337 390 838 500 500 613 635 550 635 615 352 635 634 278 278 "
           "579 278 974 634 612 635 635 411 521 392 634 592 818 592 592 525 636 337 636 838",
    True: "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 696 696 696 "
          "696 400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 637 995 837 850 733 850 "
          "770 720 682 812 774 1103 771 724 725 457 365 457 838 500 500 675 716 593 716 678 435 716 712 343 343 "
          "665 343 1042 712 687 716 716 493 595 478 712 652 924 645 652 582 712 365 712 838",
}
_OTHER = {"→": (838, 838), "“": (518, 657), "”": (518, 657), "‘": (318, 380), "’": (318, 380), "·": (318, 380),
          "…": (1000, 1000), "–": (500, 500), "—": (1000, 1000), "×": (838, 838), "\u00a0": (318, 348),
          "•": (590, 639), "≥": (838, 838), "≤": (838, 838), "−": (838, 838)}
_EM = {bold: {**{chr(32 + i): int(w) / 1000 for i, w in enumerate(widths.split())},
              **{ch: pair[bold] / 1000 for ch, pair in _OTHER.items()}} for bold, widths in _ASCII.items()}
_ISOLATES = {LRI, RLI, PDI, "\u200b", "\u200e", "\u200f"}


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in px of `text` drawn at `size` px in DejaVu Sans (bold or regular), without kerning."""
    em = _EM[bool(bold)]
    return size * sum(0.0 if ch in _ISOLATES else em.get(ch, 0.7) for ch in str(text))
