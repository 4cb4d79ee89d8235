"""Customers as rows: per-customer features, segments (estimators), personas and RFM.

May import: cjm.engine, cjm.data, cjm.journey, cjm.voice, cjm.stats, cjm.errors, cjm.jsonable,
cjm.present.formats (counts and numbers in messages). Never cjm.report or cjm.ui.
"""
