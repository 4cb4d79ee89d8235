"""Journey analytics on the events: funnel/, abandonment, paths (variants, flows), gaps (gap_periods: two periods'
gaps side by side), reach, KPIs (kpi_period: the Overview's period; undone: purchases that reversals take back;
references: refunds naming their purchase), periods, experiments
and one customer's timeline. Each analysis is `compute_x(dataset, *, params)`: it takes the cjm.data Dataset
(or a view of it) first; module-private helpers work on its Ibis events table.

May import: cjm.engine, cjm.data, cjm.stats, cjm.errors, cjm.jsonable, cjm.present.formats (display
text such as a KPI's "12.3%"). Never cjm.voice, cjm.customers, cjm.present.charts, cjm.report or cjm.ui.
"""
