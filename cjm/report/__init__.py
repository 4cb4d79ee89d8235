"""The report: every section in one place (sections) and the document writers (build). The report reads
one materialized events table (cjm.data.views.materialized) and proposes the same default funnel as the
app (cjm.journey.funnel.defaults).

May import: every core package (engine, data, journey, voice, customers, maps, present, errors, jsonable).
Nothing in them imports it. Never imports cjm.ui.
"""
from cjm.report.build import ReportOptions, build_report, funnel_params, to_html, to_json, to_markdown
