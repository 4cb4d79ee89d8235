"""The report: every section in one place (sections) and the document writers (build).

Imports the analysis packages; nothing in them imports it. Never imports cjm.ui.
"""
from cjm.report.build import ReportOptions, build_report, funnel_params, to_html, to_json, to_markdown
