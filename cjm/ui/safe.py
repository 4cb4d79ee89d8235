"""Text from files (comments, event, column, segment, persona and file names, error messages that quote
them) put into Streamlit's Markdown safely: shown as the characters it holds, never as a link, an image,
HTML, a colour directive, an icon or a formula.

Streamlit renders Markdown (with GitHub's autolinks: a bare `https://...`, `www.x.com` or `a@b.com`
becomes a link) in st.markdown, st.caption, st.info/warning/error/success, st.metric labels, expander
and tab labels and `help=` tooltips. `md(value)` escapes every Markdown character (a backslash before
it, which Markdown removes again when rendering), so `[x](url)`, `![x](url)`, `<img>` and `:red[...]`
show literally and `https\\://...`, `www\\.x\\.com` never match an autolink. Bidirectional controls (an RTL
override can make `gpj.exe` read as `exe.jpg`) are shown as visible marks.
"""

from __future__ import annotations

import html
import re

import streamlit as st

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$<>~:=^&@/\"'])")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def md(value) -> str:
    """`value` as literal text inside Markdown: one line, every Markdown character escaped."""
    text = " ".join(html.unescape(str(value)).split())
    text = _BIDI.sub("\ufffd", text)
    return _SPECIAL.sub(r"\\\1", text)


def md_quote(value) -> str:
    """A multi-line text as a Markdown block quote, every line escaped."""
    lines = [md(line) for line in str(value).splitlines()] or [""]
    return "\n".join("> " + (line or "\u00a0") for line in lines)


def error(exc, **kwargs) -> None:
    """A CJMError (whose message may quote file names, columns and cell values) as an error box."""
    st.error(md(exc), **({"icon": ":material/error:"} | kwargs))


def info(text, **kwargs) -> None:
    st.info(md(text), **({"icon": ":material/info:"} | kwargs))
