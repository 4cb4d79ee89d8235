"""Customers as rows: per-customer features, segments (estimators), what sets each segment apart (profiles:
differences, profiles and names), personas and RFM.

May import: cjm.engine, cjm.data, cjm.journey, cjm.voice, cjm.stats, cjm.errors, cjm.jsonable,
cjm.present.formats (counts and numbers in messages). Never cjm.report or cjm.ui.
"""
