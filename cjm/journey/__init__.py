"""Journey analytics on the events: funnel/, abandonment, paths (variants, flows), gaps, reach, KPIs,
periods, experiments and one customer's timeline.

May import: cjm.engine, cjm.data, cjm.stats, cjm.errors, cjm.jsonable. Never cjm.voice, cjm.customers,
cjm.report or cjm.ui.
"""
