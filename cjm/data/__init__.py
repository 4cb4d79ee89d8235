"""Reading exports into a Dataset: file formats (io/), column and stage mapping, timestamps and cell
values, row accounting, quality, filters and the demo generator.

May import: cjm.engine, cjm.errors, cjm.jsonable. Never imports the analysis packages, cjm.report or cjm.ui.
"""
