"""Drawing and exporting maps, offline: SVG (drawn here), PNG and PDF (the SVG rendered by resvg inside
vl-convert, no browser, no internet), self-contained HTML, JSON (re-importable) and CSV.

The grid: persona header, stage columns in the stage colours every chart uses, lane rows, the emotion
curve on the diverging red-grey-green sentiment scale centred on 0, each cell marked by provenance
(grey edge: from data; dashed purple edge: assumption; orange edge and "edited" tag: edited), and the
evidence in a <title> (shown on hover in browsers). Arabic and Persian cells are shaped and drawn right
to left, each line in its own direction, Latin words inside an Arabic line (and Arabic inside a Latin one)
isolated (cjm.maps.text). Every value is XML-escaped: text from the file is text, never markup.
"""

from __future__ import annotations

import csv
import html
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from cjm.errors import ParameterError
from cjm.maps.model import TEMPLATE_NAMES, WHOLE_DAY, JourneyMap
from cjm.maps.text import is_rtl, isolate_line, isolate_runs, shape, text_width
from cjm.present.charts import SENTIMENT_RANGE
from cjm.present.export import guard_cell

FONT = "DejaVu Sans, Noto Sans, Noto Sans Arabic, Arial, sans-serif"
LABEL_W, COL_W, PAD, LINE, FONT_SIZE, MAX_LINES = 170, 195, 8, 15, 11.5, 12


@dataclass(frozen=True)
class Grid:
    """The grid's measures: lane-label column and stage column widths (px), text size, line height and the
    most lines a cell shows (the rest ends in "…")."""

    label_w: float = LABEL_W
    col_w: float = COL_W
    font: float = FONT_SIZE
    line: float = LINE
    max_lines: int = MAX_LINES


GRID = Grid()
# The Journey map page's column at a 1,400 px wide window (wide layout, sidebar open): the page scales
# the drawn map to it. Maps are drawn to fit it, so their text shows at about its drawn size.
PAGE_W = 940
# A day has eight three-hour columns of short figures: on the stage grid it was 1,738 px wide, which the
# page shrinks to its ~940 px column (text ~6 px high). Narrow columns and larger text keep it at 968 px,
# shown about 1:1 on the page (text ~12 px), with the weekday x hour strip at the same size.
DAY_GRID = Grid(label_w=112, col_w=106, font=12.5, line=17)
HEAT_ROW, HEAT_FONT = 17, 11.5
# Current and future state: 12.5 px text in stage columns as wide as the page allows (at most 195 px,
# at least 100 px). Seven 195 px columns were 1,543 px wide, shown at 61% (text 7 px high), five 1,153 px
# (text 9.4 px); now 7 stages are 120 + 7 x 116 + 8 = 940 px and 5 stages 120 + 5 x 162 + 8 = 938 px.
# More than eight stages get 100 px columns and a wider map (the page scrolls it rather than shrink it).
STAGE_LABEL_W, STAGE_FONT, STAGE_LINE, MIN_COL_W = 120, 12.5, 17, 100


def stage_grid(n_stages: int) -> Grid:
    """The grid of a current- or future-state map with `n_stages` visible stages. A cell shows at least as
    much text as a 195 px column of 11.5 px text did in its 12 lines: as many lines more as its lines are
    shorter, and a quarter more (short lines waste more of their end when a word moves to the next one)."""
    col = math.floor(min(COL_W, max(MIN_COL_W, (PAGE_W - STAGE_LABEL_W - PAD) / max(1, n_stages))))
    ems = MAX_LINES * (COL_W - 2 * PAD - 4) / FONT_SIZE  # 12 lines of 175 px at 11.5 px
    lines = ems / ((col - 2 * PAD - 4) / STAGE_FONT)
    return Grid(label_w=STAGE_LABEL_W, col_w=col, font=STAGE_FONT, line=STAGE_LINE,
                max_lines=max(MAX_LINES, math.ceil(lines * (1.25 if col < COL_W else 1))))


def grid_of(jm: JourneyMap) -> Grid:
    return DAY_GRID if jm.template == "day" else stage_grid(len(jm.visible_stages()))


def drawn_width(jm: JourneyMap) -> float:
    """The drawn map's width in px (its SVG's width)."""
    g = grid_of(jm)
    return max(g.label_w + max(1, len(jm.visible_stages())) * g.col_w + PAD, MIN_WIDTH)  # room for the header and legend


CURVE_H = 120
MIN_WIDTH = PAGE_W  # the header and the legend (about 880 px) fit
MARKS = {"data": ("#bdbdbd", "", "from data"), "assumption": ("#7570b3", "5,3", "assumption"),
         "edited": ("#F58518", "", "edited")}
FORMATS = ("json", "png", "svg", "pdf", "html", "csv")
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype/noto")


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def sentiment_color(value: float) -> str:
    """The shared diverging scale: red at -1, grey at 0, green at +1, linear in between."""
    value = max(-1.0, min(1.0, float(value)))
    lo, mid, hi = (_hex(c) for c in SENTIMENT_RANGE)
    a, b, t = (lo, mid, value + 1) if value < 0 else (mid, hi, value)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


_KEEP_TOGETHER = re.compile(r"\([^()\n]{1,24}\)")
# where a line may break: after spaces, and inside a word after "_" or "/" (event names such as
# checkout_started, paths) or a hyphen between letters: "checkout_" | "started", never "checkout_sta" | "rted"
_CHUNKS = re.compile(r"[ \t]+|[^ \t]+")
_BREAK_AFTER = re.compile(r"(?<=[_/])(?=[^\s_/])|(?<=[^\W\d_]-)(?=[^\W\d_])")


def _fill(paragraph: str, width_px: float, size: float, bold: bool) -> list[str]:
    """Greedy line filling by measured width (cjm.maps.text.text_width); a word wider than the line is
    split between letters."""
    fits = lambda text: text_width(text, size, bold=bold) <= width_px  # noqa: E731
    lines, line = [], ""
    for chunk in (piece for found in _CHUNKS.findall(paragraph) for piece in _BREAK_AFTER.split(found) if piece):
        if chunk[0] in " \t":
            line += chunk if line else ""
            continue
        if fits(line + chunk):
            line += chunk
            continue
        if line.strip():
            lines.append(line.rstrip())
        while not fits(chunk):
            cut = max(1, max((k for k in range(1, len(chunk) + 1) if fits(chunk[:k])), default=1))
            lines.append(chunk[:cut])
            chunk = chunk[cut:]
        line = chunk
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _wrap(text: str, width_px: float, size: float = FONT_SIZE, max_lines: int = MAX_LINES, *,
          bold: bool = False) -> list[tuple[str, bool]]:
    """Lines no wider than `width_px` at `size` px, each with its paragraph's direction (a wrapped line of
    an Arabic paragraph stays right to left even when it starts with a Latin word); past `max_lines` the
    last line ends in "…"."""
    lines = []
    for paragraph in str(text).split("\n"):
        rtl = is_rtl(paragraph)
        # a short parenthesis ("(91 comments)") stays on one line: split, its bracket would land on the
        # wrong side of a right-to-left line (no-break spaces: lines break at plain spaces only)
        paragraph = _KEEP_TOGETHER.sub(
            lambda m: m.group(0).replace(" ", "\u00a0") if text_width(m.group(0), size, bold=bold) <= width_px
            else m.group(0), paragraph)
        lines += [(line, rtl) for line in _fill(paragraph, width_px, size, bold)]
    if len(lines) > max_lines:
        last, rtl = lines[max_lines - 1]
        while last and text_width(last + "…", size, bold=bold) > width_px:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [(last.rstrip() + "…", rtl)]
    return lines


def _text(x: float, y: float, lines: list[str], *, width: float, size=FONT_SIZE, weight="normal",
          fill="#222", italic=False, line_height: float = LINE) -> str:
    out = []
    for i, line in enumerate(lines):
        line, rtl = line if isinstance(line, tuple) else (line, is_rtl(line))
        tx = x + width if rtl else x
        # right to left: the line inside a Unicode isolate, anchored at its right end (see cjm.maps.text)
        extra = ' text-anchor="end"' if rtl else ""
        style = ' font-style="italic"' if italic and not rtl else ""  # no oblique Arabic in the fonts
        out.append(f'<text x="{tx:.1f}" y="{y + i * line_height:.1f}" font-size="{size}" font-weight="{weight}" '
                   f'fill="{fill}"{extra}{style}>{_esc(isolate_line(shape(line), rtl))}</text>')
    return "".join(out)


def _evidence_title(cell) -> str:
    parts = [f"Provenance: {MARKS[cell.provenance][2]}"]
    if cell.evidence is not None:
        parts.append(f"Evidence: {cell.evidence.describe()}")
    if cell.provenance == "edited":
        parts.append(f"The data said: {cell.data_value or '(empty)'}")
    return "\n".join(parts)


def to_svg(jm: JourneyMap, *, projection: dict | None = None, marked: set | None = None) -> str:
    """The map as a standalone SVG document. `marked` = {(lane, stage)} cells to highlight (a comparison)."""
    stages, lanes = jm.visible_stages(), jm.visible_lanes()
    marked = marked or set()
    g = grid_of(jm)
    width = drawn_width(jm)
    parts, y = [], PAD
    # header
    persona_lines = _wrap(jm.persona.description, width - 2 * PAD) if jm.persona.description else []
    parts.append(_text(PAD, y + 20, [jm.title], width=width - 2 * PAD, size=20, weight="bold"))
    parts.append(_text(PAD, y + 42, [f"{TEMPLATE_NAMES[jm.template]} · persona: {jm.persona.name}"],
                       width=width - 2 * PAD, size=13, weight="bold", fill="#444"))
    parts.append(_text(PAD, y + 60, persona_lines, width=width - 2 * PAD, size=12, fill="#555"))
    y += 66 + LINE * max(0, len(persona_lines) - 1) + 8
    # stage header: a name too long for its column takes more lines (up to three; its <title> has it whole)
    names = {s.key: _wrap(s.name, g.col_w - 20, 13, max_lines=3, bold=True) for s in stages}
    header = 34 + 16 * (max((len(n) for n in names.values()), default=1) - 1)
    for i, s in enumerate(stages):
        x = g.label_w + i * g.col_w
        parts.append(f'<g class="stage"><title>{_esc(s.name)}</title><rect x="{x + 2}" y="{y}" width="{g.col_w - 4}" '
                     f'height="{header}" rx="4" fill="{_esc(s.color or "#4C78A8")}"/>')
        parts.append(_text(x + 10, y + 22, names[s.key], width=g.col_w - 20, size=13, weight="bold", fill="#ffffff",
                           line_height=16) + "</g>")
    y += header + 6
    for lane in lanes:
        if lane.kind == "curve":
            parts.append(_curve(jm, lane, stages, y, g))
            y += CURVE_H + 6
            continue
        wrapped = {s.key: _wrap(jm.cell(lane.key, s.key).value, g.col_w - 2 * PAD - 4, g.font, g.max_lines)
                   for s in stages}
        label = _wrap(lane.name, g.label_w - 2 * PAD, g.font, bold=True)
        height = max([len(label)] + [len(w) if jm.cell(lane.key, k).value else 0 for k, w in wrapped.items()]) * g.line + 14
        height = max(height, 30)
        parts.append(f'<rect x="0" y="{y}" width="{width}" height="{height}" fill="#f7f7f7" opacity="0.5"/>')
        parts.append(_text(PAD, y + 18, label, width=g.label_w - 2 * PAD, size=g.font, weight="bold", fill="#333",
                           line_height=g.line))
        for i, s in enumerate(stages):
            cell = jm.cell(lane.key, s.key)
            x = g.label_w + i * g.col_w
            if not cell.value:
                continue
            color, dash, word = MARKS[cell.provenance]
            stroke = ' stroke="#d62728" stroke-width="3"' if (lane.key, s.key) in marked else \
                f' stroke="{color}" stroke-width="{2 if cell.provenance != "data" else 1}"' + (
                    f' stroke-dasharray="{dash}"' if dash else "")
            parts.append(f'<g class="cell {cell.provenance}"><title>{_esc(_evidence_title(cell))}</title>'
                         f'<rect x="{x + 2}" y="{y + 2}" width="{g.col_w - 4}" height="{height - 4}" rx="3" '
                         f'fill="#ffffff"{stroke}/>')
            parts.append(_text(x + PAD, y + 17, wrapped[s.key], width=g.col_w - 2 * PAD - 4, size=g.font,
                               italic=cell.provenance == "assumption", line_height=g.line))
            if cell.provenance == "edited":
                parts.append(f'<text x="{x + g.col_w - 6}" y="{y + height - 6}" font-size="9" fill="#F58518" '
                             f'text-anchor="end">edited</text>')
            parts.append("</g>")
        y += height + 2
    if jm.template == "future" and projection:
        drawn, height = _projection(projection, y, width)
        parts.append(drawn)
        y += height
    if jm.template == "day" and jm.hours_note:  # dates without times: no hour of the day to shade
        drawn, height = _note(jm.hours_note, y, width, g)
        parts.append(drawn)
        y += height
    # the strip, unless every interaction is dated only (files with times beside dates without: theirs)
    if jm.template == "day" and jm.heat and (not jm.hours_note or _hours_known(jm)):
        parts.append(_heat(jm.heat, y, width, g, timed_only=bool(jm.hours_note), clock=jm.clock))
        y += HEAT_HEIGHT
    parts.append(_legend(y + 8, jm.template))
    y += 40
    body = "".join(parts)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" viewBox="0 0 {width} {y}" '
            f'font-family="{FONT}"><rect width="100%" height="100%" fill="#ffffff"/>{body}</svg>')


def _curve(jm, lane, stages, y, g: Grid = GRID) -> str:
    out = [_text(PAD, y + 18, _wrap(lane.name, g.label_w - 2 * PAD, g.font, bold=True), width=g.label_w - 2 * PAD,
                 size=g.font, weight="bold", fill="#333", line_height=g.line)]
    top, bottom = y + 14, y + CURVE_H - 14
    zero = (top + bottom) / 2
    x0, x1 = g.label_w + 2, g.label_w + len(stages) * g.col_w - 2
    out.append(f'<rect x="{x0}" y="{y + 2}" width="{x1 - x0}" height="{CURVE_H - 4}" fill="#fbfbfb" stroke="#eeeeee"/>')
    out.append(f'<line x1="{x0}" x2="{x1}" y1="{zero}" y2="{zero}" stroke="#bdbdbd" stroke-dasharray="4,3"/>')
    out.append(f'<text x="{x0 + 4}" y="{top + 6}" font-size="11" fill="#1a9850">+1</text>'
               f'<text x="{x0 + 4}" y="{zero - 3}" font-size="11" fill="#888">0</text>'
               f'<text x="{x0 + 4}" y="{bottom}" font-size="11" fill="#d73027">−1</text>')
    points = []
    for i, s in enumerate(stages):
        cell = jm.cell(lane.key, s.key)
        if cell.number is None or (isinstance(cell.number, float) and math.isnan(cell.number)):
            continue
        cx = g.label_w + i * g.col_w + g.col_w / 2
        cy = zero - (bottom - top) / 2 * max(-1.0, min(1.0, cell.number))
        points.append((cx, cy, cell))
    if not points:
        out.append(_text(x0 + 24, top + 14, _wrap("No ratings or comments in the data: map a score or text column "
                                                  "to draw the emotion curve.", x1 - x0 - 40, g.font),
                         width=x1 - x0 - 40, size=g.font, fill="#777", line_height=g.line))
    if len(points) > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'}{cx:.1f},{cy:.1f}" for i, (cx, cy, _) in enumerate(points))
        out.append(f'<path d="{path}" fill="none" stroke="#777" stroke-width="2"/>')
    for cx, cy, cell in points:
        color, dash, _ = MARKS[cell.provenance]
        # the value centred in its stage's column, on the side of the point away from the 0 line when the
        # lane has room there (a local high or low keeps the curve off its label)
        lines = _wrap(cell.value, g.col_w - 8, CURVE_FONT, max_lines=3)
        extra = CURVE_LINE * (len(lines) - 1)
        above, below = cy - 12 - extra, cy + 21
        fits_above, fits_below = above - CURVE_FONT >= y + 2, below + extra <= y + CURVE_H - 4
        first = below if (cy > zero and fits_below) or not fits_above else above
        label = "".join(f'<text x="{cx:.1f}" y="{first + i * CURVE_LINE:.1f}" font-size="{CURVE_FONT}" fill="#333" '
                        # a halo in the lane's colour keeps the value readable where the curve crosses it
                        f'text-anchor="middle" stroke="#fbfbfb" stroke-width="4" paint-order="stroke">{_esc(isolate_line(shape(line), rtl))}</text>'
                        for i, (line, rtl) in enumerate(lines))
        out.append(f'<g class="cell {cell.provenance}"><title>{_esc(_evidence_title(cell))}</title>'
                   f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="7" fill="{sentiment_color(cell.number)}" '
                   f'stroke="{color if cell.provenance != "data" else "#ffffff"}" stroke-width="2"/>{label}</g>')
    return "".join(out)


CURVE_FONT, CURVE_LINE = 12, 14


def _money(x) -> str:
    return "–" if x is None else f"{x:,.0f}"


def _projection(p: dict, y: float, width: float) -> tuple[str, float]:
    """The projection box under the grid, its lines wrapped to the map's width, and the height it takes."""
    t, f = p["today"], p["projected"]
    line1 = (f"Projection to {p['goal']} from today's {p['entries']:,} entries: today {round(t['conversions']):,} conversions"
             + (f", revenue {_money(t['revenue'])}" if t["revenue"] is not None else " (no revenue column in the data)"))
    # differences of the rounded figures, so the numbers shown add up
    gain = round(f["conversions"]) - round(t["conversions"])
    line2 = (f"If the targets were met: {round(f['conversions']):,} conversions ({gain:+,})"
             + (f", revenue {_money(f['revenue'])} ({round(f['revenue']) - round(t['revenue']):+,})"
                if f["revenue"] is not None else ""))
    first, second = (_wrap(line, width - 4 * PAD, 12.5, bold=True) for line in (line1, line2))
    if p.get("left_out"):  # targets on hidden stages are kept, not counted: said, never silently dropped
        second += _wrap("Not counted: the conversion target of the hidden stage" + ("s " if len(p["left_out"]) > 1
                        else " ") + ", ".join(p["left_out"]) + " (show the stage again to count it)",
                        width - 4 * PAD, 12.5, bold=True)
    box = 16 + 20 * (len(first) + len(second))  # 56 for a line each
    return (f'<g class="projection"><rect x="{PAD}" y="{y + 6}" width="{width - 2 * PAD}" height="{box}" rx="4" '
            f'fill="#eef4fa" stroke="#4C78A8"/>'
            + _text(2 * PAD, y + 28, first, width=width - 4 * PAD, size=12.5, weight="bold", fill="#333", line_height=20)
            + _text(2 * PAD, y + 28 + 20 * len(first), second, width=width - 4 * PAD, size=12.5, weight="bold",
                    fill="#1a5a96", line_height=20) + "</g>"), box + 14


HEAT_HEIGHT = 30 + HEAT_ROW + 7 * HEAT_ROW + 20  # title, hour labels, seven weekdays, gap


def _hours_known(jm) -> bool:
    """A day map whose hour blocks hold the data's interactions (beside a whole-day column of dates without times)."""
    return any(key != WHOLE_DAY and cell.provenance == "data" for key, cell in jm.cells.get("interactions", {}).items())


def _heat(heat, y, width, g: Grid = GRID, *, timed_only: bool = False, clock: str = "UTC") -> str:
    """The weekday x hour strip: a cell per hour, shaded by its events (white: none, blue: the busiest
    hour), labelled every three hours, with a key from no events to the peak. timed_only: the interactions with
    times (beside dates without times); clock: the clock its hours are on (JourneyMap.clock)."""
    peak = max(max(row) for row in heat) or 1
    left = g.label_w
    cw = (width - left - PAD) / 24

    def shade(share):
        return "#" + "".join(f"{round(255 + (c - 255) * share):02x}" for c in _hex("#4C78A8"))

    title = "When interactions with times happen" if timed_only else "When interactions happen"
    out = [_text(PAD, y + 18, [f"{title} (weekday × hour, {clock})"], width=width, size=g.font,
                 weight="bold", fill="#333")]
    # the key, right-aligned on the title line: none ... peak events
    key_x = width - PAD - 5 * 22 - 150
    out.append(f'<text x="{key_x - 6:.1f}" y="{y + 18}" font-size="{HEAT_FONT}" fill="#555" text-anchor="end">'
               f'no events</text>')
    for i, share in enumerate((0, 0.25, 0.5, 0.75, 1)):
        out.append(f'<rect x="{key_x + i * 22:.1f}" y="{y + 7}" width="20" height="14" fill="{shade(share)}" '
                   f'stroke="#dddddd"/>')
    out.append(f'<text x="{key_x + 5 * 22 + 6:.1f}" y="{y + 18}" font-size="{HEAT_FONT}" fill="#555">'
               f'{peak:,} events (busiest hour)</text>')
    y += 30
    for h in range(0, 24, 3):
        out.append(f'<text x="{left + h * cw:.1f}" y="{y + HEAT_ROW - 5}" font-size="{HEAT_FONT}" fill="#555">'
                   f'{h:02d}:00</text>')
    for d, row in enumerate(heat):
        yy = y + HEAT_ROW + d * HEAT_ROW
        out.append(f'<text x="{left - 8}" y="{yy + HEAT_ROW - 5}" font-size="{HEAT_FONT}" fill="#555" '
                   f'text-anchor="end">{("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d]}</text>')
        for h, n in enumerate(row):
            out.append(f'<rect x="{left + h * cw:.1f}" y="{yy}" width="{cw - 1:.1f}" height="{HEAT_ROW - 2}" '
                       f'fill="{shade(n / peak)}"><title>{n:,} events</title></rect>')
    return "".join(out)


def _note(text: str, y, width, g: Grid = GRID) -> tuple[str, float]:
    """A sentence in a box across the map (why the day's hours are unknown) and the height it takes."""
    lines = _wrap(text, width - 4 * PAD, g.font, max_lines=12)
    box = 16 + g.line * len(lines)
    return (f'<g class="hours-note"><rect x="{PAD}" y="{y + 6}" width="{width - 2 * PAD}" height="{box}" rx="4" '
            f'fill="#f4f4f4" stroke="#7F7F7F"/>'
            + _text(2 * PAD, y + 6 + 8 + g.font, lines, width=width - 4 * PAD, size=g.font, fill="#333",
                    line_height=g.line) + "</g>"), box + 14


def _legend(y, template) -> str:
    out, x = [], PAD
    for name, (color, dash, word) in MARKS.items():
        out.append(f'<rect x="{x}" y="{y}" width="22" height="14" fill="#fff" stroke="{color}" stroke-width="2"'
                   + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        out.append(f'<text x="{x + 28}" y="{y + 11}" font-size="11" fill="#444">{word}</text>')
        x += 120
    if template != "day":
        for value, label in ((-1, "negative"), (0, "neutral"), (1, "positive")):
            out.append(f'<circle cx="{x + 7}" cy="{y + 7}" r="6" fill="{sentiment_color(value)}"/>'
                       f'<text x="{x + 18}" y="{y + 11}" font-size="11" fill="#444">{label}</text>')
            x += 90
    out.append(f'<text x="{x + 10}" y="{y + 11}" font-size="10" fill="#888">Hover a cell for its evidence. Made with cjm.</text>')
    return "".join(out)


# --- other formats ---------------------------------------------------------------------------------

def _fonts_registered() -> None:
    import vl_convert as vlc

    global _REGISTERED
    if not _REGISTERED:
        for folder in FONT_DIRS:
            if Path(folder).is_dir():
                vlc.register_font_directory(folder)
        _REGISTERED = True


_REGISTERED = False


def to_png(jm: JourneyMap, *, projection: dict | None = None, scale: float = 1.5) -> bytes:
    import vl_convert as vlc

    _fonts_registered()
    return vlc.svg_to_png(to_svg(jm, projection=projection), scale=scale)


def to_pdf(jm: JourneyMap, *, projection: dict | None = None) -> bytes:
    import vl_convert as vlc

    _fonts_registered()
    return vlc.svg_to_pdf(to_svg(jm, projection=projection))


CSV_COLUMNS = ("lane", "lane_name", "stage", "stage_name", "value", "number", "provenance", "data_value",
               "customers", "events", "comments", "analysis")


def to_csv(jm: JourneyMap) -> str:
    """One row per non-empty cell of the visible grid, in grid order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for lane in jm.visible_lanes():
        for s in jm.visible_stages():
            cell = jm.cell(lane.key, s.key)
            if not cell.value:
                continue
            ev = cell.evidence
            # text from the files (an event "=1+2", a channel "-web") and typed text stay text in a spreadsheet
            writer.writerow([guard_cell(x) for x in (lane.key, lane.name, s.key, s.name, cell.value)]
                            + ["" if cell.number is None else cell.number, cell.provenance,
                               guard_cell(cell.data_value or "")]
                            + [("" if v is None else v) for v in ((ev.customers, ev.events, ev.comments) if ev else (None,) * 3)]
                            + [guard_cell(ev.analysis) if ev else ""])
    return buffer.getvalue()


def grid_html(jm: JourneyMap, *, projection: dict | None = None, marked: set | None = None) -> str:
    """The grid as an HTML fragment (the SVG inline, every value escaped): for the page and the HTML export."""
    return f'<div class="cjm-map" style="overflow-x:auto">{to_svg(jm, projection=projection, marked=marked)}</div>'


def _html_text(text) -> str:
    """Escaped text for an HTML table cell, each line in its own direction (dir="rtl" for an Arabic line,
    the runs in the other direction isolated): a multi-line cell may mix Arabic quotes and English."""
    lines = []
    for line in str(text).split("\n"):
        rtl = is_rtl(line)
        lines.append(f'<div dir="{"rtl" if rtl else "ltr"}">{_esc(isolate_runs(line, rtl)) or "&nbsp;"}</div>')
    return "".join(lines)


def to_html(jm: JourneyMap, *, projection: dict | None = None) -> str:
    """A self-contained HTML file: the drawn grid, then every cell as a table (text, right to left where needed)."""
    rows = []
    for lane in jm.visible_lanes():
        for s in jm.visible_stages():
            cell = jm.cell(lane.key, s.key)
            if cell.value:
                rows.append(f"<tr><td>{_html_text(lane.name)}</td><td>{_html_text(s.name)}</td>"
                            f"<td style='white-space:pre-wrap'>{_html_text(cell.value)}</td>"
                            f"<td>{_esc(MARKS[cell.provenance][2])}</td>"
                            f"<td>{_esc(cell.evidence.describe() if cell.evidence else '')}</td></tr>")
    return ("<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>{_esc(jm.title)}</title><style>body{{font-family:{FONT};margin:1.5rem}}"
            "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;"
            "vertical-align:top;text-align:start}</style></head><body>"
            f"{grid_html(jm, projection=projection)}<h2>Cells</h2><table><tr><th>Lane</th><th>Stage</th>"
            f"<th>Value</th><th>Provenance</th><th>Evidence</th></tr>{''.join(rows)}</table></body></html>")


def export(jm: JourneyMap, fmt: str, *, projection: dict | None = None) -> bytes:
    """The map in one of FORMATS, as bytes ready to write or download."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ParameterError(f"The map can be exported as {', '.join(FORMATS)}; got {fmt!r}.")
    if fmt == "png":
        return to_png(jm, projection=projection)
    if fmt == "pdf":
        return to_pdf(jm, projection=projection)
    text = {"json": lambda: jm.to_json(), "svg": lambda: to_svg(jm, projection=projection),
            "html": lambda: to_html(jm, projection=projection), "csv": lambda: to_csv(jm)}[fmt]()
    return text.encode("utf-8-sig" if fmt == "csv" else "utf-8")
