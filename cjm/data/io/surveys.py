"""Header lines below the column names of a survey tool's export.

Qualtrics writes three header lines in its CSV, TSV and Excel response exports: the column names (StartDate,
ResponseId, Q1, ...), the question texts (Start Date, "How likely are you to recommend us?", ...) and one JSON
object per column naming the field and, for dates, the time zone they are written in
({"ImportId":"startDate","timeZone":"America/Denver"}). Exports made with the older "Insights" layout write the
same third line as {'ImportId': 'startDate'}. Read as rows, those two lines were two respondents whose dates
could not be read ("unparseable timestamp"), and their question texts sat in every answer column (a column of
0..10 answers holding one sentence is no longer read as numbers).

Rule: when the first or second row below the column names holds an import id in at least 90% of its filled cells
(and at least two), that row and any row above it are header lines, not responses. They are not rows of the
file: rows in counts the responses. The time zones the import ids name are kept (`timezones`) so dates written
in them are read in them, not as UTC.

SurveyMonkey writes two header lines: the questions (a question with several columns names the first, the others
blank), then under each column "Response", "Open-Ended Response" or the choice the column holds ("Name", "Email",
"Very satisfied"), blank under Respondent ID, Start Date and the other fields of its own. Read as a row, that second
line was one more respondent, whose "comment" was the words "Open-Ended Response". Rule: when at least half (and at
least two) of the filled cells of the first row below the column names are those two words (`SURVEYMONKEY_WORDS`,
in the languages SurveyMonkey writes), that row is a header line. (A column left blank in the first line keeps its
generated name, column_N.)
"""

from __future__ import annotations

import json
import re

import pandas as pd

_IMPORT_ID = re.compile(r"""^\s*\{\s*['"]ImportId['"]\s*:""")
_SHARE = 0.9


def extra_header_rows(frame: pd.DataFrame) -> int:
    """How many of the first rows of `frame` (read below its column names) are further header lines: 0, 1 or 2."""
    for position in (0, 1):
        if len(frame) > position and _import_ids(frame.iloc[position]):
            return position + 1
    if len(frame) and surveymonkey_subheader(frame.iloc[0]):
        return 1
    return 0


# What SurveyMonkey writes under a question's column in the second header line: English, French, Spanish,
# Portuguese, German, Italian, Dutch.
SURVEYMONKEY_WORDS = frozenset({
    "response", "open-ended response", "réponse", "réponse ouverte", "respuesta", "respuesta abierta", "resposta",
    "resposta aberta", "antwort", "offene antwort", "risposta", "risposta aperta", "antwoord", "open antwoord",
})


def surveymonkey_subheader(row: pd.Series) -> bool:
    """Whether a row is SurveyMonkey's second header line: at least half, and at least two, of its filled cells
    are "Response" / "Open-Ended Response"."""
    cells = [str(cell).strip().lower() for cell in row if not _blank(cell)]
    hits = sum(cell in SURVEYMONKEY_WORDS for cell in cells)
    return hits >= 2 and hits >= 0.5 * len(cells)


def _import_ids(row: pd.Series) -> bool:
    cells = [str(cell) for cell in row if not _blank(cell)]
    return len(cells) >= 2 and sum(bool(_IMPORT_ID.match(cell)) for cell in cells) >= _SHARE * len(cells)


def _blank(cell) -> bool:
    return cell is None or cell is pd.NA or (isinstance(cell, float) and cell != cell) or not str(cell).strip()


def timezones(row: pd.Series) -> dict[str, str]:
    """Column -> time zone named by its import id ({"ImportId":"startDate","timeZone":"America/Denver"})."""
    out = {}
    for column, cell in row.items():
        if _blank(cell):
            continue
        try:
            value = json.loads(str(cell))
        except ValueError:
            continue
        zone = value.get("timeZone") if isinstance(value, dict) else None
        if isinstance(zone, str) and zone.strip():
            out[str(column)] = zone.strip()
    return out


def header_note(rows: int, zones: dict[str, str], *, surveymonkey: bool = False) -> str:
    """What the Data page says about the header lines read below the column names."""
    if surveymonkey:
        return ("This is a survey export with a header of 2 lines (SurveyMonkey): line 2 (\"Response\", "
                "\"Open-Ended Response\" and the choices under each question) is read as part of the header, not as "
                "a response.")
    lines = "line 2 (the question texts) and line 3 (the import ids)" if rows == 2 else "line 2 (the import ids)"
    note = (f"This is a survey export with a header of {rows + 1} lines (Qualtrics): {lines} are read as part of the "
            "header, not as responses.")
    distinct = sorted(set(zones.values()))
    if len(distinct) == 1:
        note += f" Its dates are written in the time zone {distinct[0]}, as its import ids say, and read in it."
    return note
