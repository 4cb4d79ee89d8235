"""Text from files (comments, event, column, segment, persona and file names, error messages that quote
them) put into Streamlit's Markdown safely: shown as the characters it holds, never as a link, an image,
HTML, a colour directive, an icon or a formula.

Streamlit renders Markdown (with GitHub's autolinks: a bare `https://...`, `www.x.com` or `a@b.com`
becomes a link) in st.markdown, st.caption, st.info/warning/error/success, st.metric labels, expander
and tab labels and `help=` tooltips. `md(value)` escapes the Markdown characters that make links,
images, HTML, emphasis, code, maths, tables and Streamlit directives (a backslash before each, which
Markdown removes when rendering), and a list or heading marker at the start, so `[x](url)`, `![x](url)`,
`<img>` and `:red[...]` show literally; a word joiner (U+2060, invisible) after `://`, `www` and `@` stops GFM autolinks,
which Streamlit finds after escapes are resolved. Bidirectional controls (an RTL
override can make `gpj.exe` read as `exe.jpg`) are shown as visible marks.
"""

from __future__ import annotations

import html
import re
from contextlib import contextmanager

import streamlit as st

from cjm.errors import CJMError

_SPECIAL = re.compile(r"([\\`*_\[\]<>~|$:@&])")
_LEADING = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")  # a heading, quote, list or setext line
# Streamlit's GFM autolinks are found in the text after escapes are resolved, so an escape does not stop
# them: an invisible word joiner after "://", "www" and "@" does (the address no longer matches).
_AUTOLINK = re.compile(r"://|www(?=\.)|@", re.IGNORECASE)
_JOINER = "\u2060"
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def unlinked(text: str) -> str:
    """`text` with an invisible word joiner after every "://", "www" and "@": no GFM autolink is found in it."""
    return _AUTOLINK.sub(lambda m: m.group(0) + _JOINER, text)


def md(value) -> str:
    """`value` as literal text inside Markdown: one line, every Markdown character escaped."""
    text = " ".join(html.unescape(str(value)).split())
    text = _BIDI.sub("\ufffd", text)
    text = unlinked(text)
    text = _SPECIAL.sub(r"\\\1", text)
    return _LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit()
                        else m.group(1) + m.group(2) + "\\", text)


def md_quote(value) -> str:
    """A multi-line text as a Markdown block quote, every line escaped."""
    lines = [md(line) for line in str(value).splitlines()] or [""]
    return "\n".join("> " + (line or "\u00a0") for line in lines)


def error(exc, **kwargs) -> None:
    """A CJMError (whose message may quote file names, columns and cell values) as an error box."""
    st.error(md(exc), **({"icon": ":material/error:"} | kwargs))


def info(text, **kwargs) -> None:
    st.info(md(text), **({"icon": ":material/info:"} | kwargs))


@contextmanager
def edge_values():
    """Turn an overflow or out-of-range error from an analysis into a CJMError the page shows as a message
    (the loader should already have set such rows aside; this keeps a traceback off the screen)."""
    try:
        yield
    except CJMError:
        raise
    except (OverflowError, ArithmeticError, ValueError) as exc:
        raise CJMError(f"This analysis could not be computed on this data: {type(exc).__name__}: {str(exc)[:160]}. "
                       "Values at the edge of what cjm handles (dates in year 1 or 9999, numbers near 1e308) are the "
                       "usual cause: check the Data page for such values and fix or remove those rows.") from None
