"""Journey analytics on the events: funnel/, abandonment, paths (variants, flows), gaps, reach, KPIs,
periods, experiments and one customer's timeline.

May import: cjm.engine, cjm.data, cjm.stats, cjm.errors, cjm.jsonable, cjm.present.formats (display
text such as a KPI's "12.3%"). Never cjm.voice, cjm.customers, cjm.present.charts, cjm.report or cjm.ui.
"""
