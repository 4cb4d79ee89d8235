"""How results look: Altair chart specs (charts/), safe exports (export) and THE vocabulary (formats):
the "no value" glyph, percent, count, money, signed and duration formats and column titles, used by
charts, tables, the report and the app alike. Charts never aggregate; they draw the small frames the
analyses return.

May import: cjm.data.schema, cjm.errors (formats imports nothing of cjm: analyses may use it). Never an
analysis package, cjm.report or cjm.ui.
"""
