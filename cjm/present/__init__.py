"""How results look: Altair chart specs (charts/), labels and number formats (formats), safe exports.
Charts never aggregate; they draw the small frames the analyses return.

May import: cjm.data.schema, cjm.errors. Never an analysis package, cjm.report or cjm.ui.
"""
