"""The voice of the customer: sentiment on one scale, text scoring by language, pain points, closed-loop
follow-up and at-risk customers.

May import: cjm.engine, cjm.data, cjm.journey, cjm.stats, cjm.errors, cjm.jsonable. Never cjm.customers,
cjm.report or cjm.ui.
"""
