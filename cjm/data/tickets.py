"""A help desk's ticket export, one row per ticket (Zendesk, HubSpot tickets): which date opens the ticket.

Its event is named after the ticket ("ticket created"), so each ticket counts once as a support contact
(cjm.data.contacts); its other steps (assigned, solved, survey answered) keep their names and follow it up.
"""

from __future__ import annotations

import pandas as pd

from cjm.data.columns import normalise


TICKET_WORDS = {"ticket", "tickets", "requester"}
# Tickets sold for an event (Eventbrite's "Ticket Type", an attendee, a barcode, a check-in), not raised at a help desk.
SOLD_TICKET_WORDS = {"attendee", "attendees", "barcode", "admission", "seat", "seats",
                     # nor a purchase requisition's requester (procurement: requisitions, vendors, purchase orders)
                     "requisition", "requisitions", "procurement", "vendor", "supplier", "po"}
SOLD_TICKET_DETAILS = {"type", "class", "tier", "price", "quantity", "sold", "holder"}
OPENING_WORDS = {"created", "creation", "create", "opened", "open", "opening", "submitted", "received", "raised",
                 "logged", "requested", "reported", "started"}


def opening(columns, events: list[str], stamps: dict | None = None) -> str | None:
    """In a help desk's ticket export (Zendesk's Requester, a ticket_id), the date column that opens the ticket
    ("Created at", HubSpot's "Create date"), else the date column that comes first on most tickets; None for other
    exports (an event's attendees: "Ticket Type", "Check-In Date"). Its event is named after the ticket ("ticket
    created"), so each ticket counts once as a support contact (cjm.data.contacts); its other steps (assigned,
    solved, survey answered) keep their names and follow it up."""
    names = [set(normalise(str(c)).split("_")) for c in columns]
    if not events or not any(w & TICKET_WORDS for w in names):
        return None
    if any(w & SOLD_TICKET_WORDS or (w & {"ticket", "tickets"} and w & SOLD_TICKET_DETAILS) or {"check", "in"} <= w
           for w in names):
        return None
    opening = next((c for c in events if set(normalise(c).split("_")) & OPENING_WORDS), None)
    if opening is not None or not stamps:
        return opening or events[0]
    times = pd.DataFrame({c: stamps[c] for c in events})
    first = times.idxmin(axis=1, skipna=True).dropna()  # per ticket, its earliest date's column
    return first.value_counts().idxmax() if len(first) else events[0]
