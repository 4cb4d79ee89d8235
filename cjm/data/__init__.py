"""Reading exports into a Dataset: file formats (io/), column and stage mapping, timestamps and cell values,
row accounting (dataset), the loading steps that make money net (money), what statuses and event names say
about money (reversals) and orders made of several lines and their refunds (returns), answers a score column
cannot hold (scores), a CRM pipeline's won and lost deals (deals), which column of a customers file joins
the events (joins), which date opens a help desk's ticket (tickets), app-store placeholder and display names
(reviewers), an analytics export's anonymous id joined to the id of who signed in (identities), views of a Dataset that are again Datasets (views: filtered, segmented, materialized; which
filter selects events and which customers), the dashboard filters, quality, the byte-bounded caches and
content-hash snapshots of uploads (snapshots), and the demo generator.

May import: cjm.engine, cjm.errors, cjm.jsonable. Never imports the analysis packages, cjm.present,
cjm.report or cjm.ui.
"""
