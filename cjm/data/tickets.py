"""A help desk's export, one row per ticket (Zendesk, Freshdesk, HubSpot tickets, Jira Service Management requests,
Intercom conversations): which date opens the ticket.

Its opening event is named after the ticket ("ticket created"), so each ticket counts once as a support contact
(cjm.data.contacts); its other steps (assigned, solved, survey answered) keep their names and follow it up.
"""

from __future__ import annotations

import pandas as pd

from cjm.data.columns import HELP_DESK_RECORDS, normalise, record_column
from cjm.data.contacts import is_follow_up

# Tickets sold for an event (Eventbrite's "Ticket Type", an attendee, a barcode, a check-in), not raised at a help desk.
SOLD_TICKET_WORDS = {"attendee", "attendees", "barcode", "admission", "seat", "seats",
                     # nor a purchase requisition's requester (procurement: requisitions, vendors, purchase orders)
                     "requisition", "requisitions", "procurement", "vendor", "supplier", "po"}
SOLD_TICKET_DETAILS = {"type", "class", "tier", "price", "quantity", "sold", "holder"}
OPENING_WORDS = {"created", "creation", "create", "opened", "open", "opening", "submitted", "received", "raised",
                 "logged", "requested", "reported", "started"}
OPENED = "ticket opened"  # a ticket's opening when no date column is named as one (its earliest step)


def help_desk(columns, events: list[str]) -> bool:
    """Whether a wide export is a help desk's: a column names each row a ticket, case, issue or conversation
    ("Ticket ID", "Issue key", "Conversation ID"), or a requester's request is followed up by a date column (Zendesk's
    "Requester" beside "Solved at": a follow-up word of cjm.data.contacts); and nothing says its tickets were sold
    (an event's attendees: "Ticket Type", "Check-In Date") or its requests are purchases (a requisition, a vendor).
    A requester alone is not enough: a purchase requisition's is submitted, approved and ordered, never solved."""
    names = [set(normalise(str(c)).split("_")) for c in columns]
    if not events:
        return False
    if any(w & SOLD_TICKET_WORDS or (w & {"ticket", "tickets"} and w & SOLD_TICKET_DETAILS) or {"check", "in"} <= w
           for w in names):
        return False
    requested = any("requester" in w for w in names) and any(is_follow_up(c) for c in events)
    return requested or record_column(columns, HELP_DESK_RECORDS) is not None


def opening(columns, events: list[str], stamps: dict | None = None) -> str | None:
    """In a help desk's export (`help_desk`), the date column that opens each ticket: the first named as an opening
    ("Created at", HubSpot's "Create date", Jira's "Created"), else the date column that comes first on most tickets;
    None for other exports."""
    if not help_desk(columns, events):
        return None
    opening = next((c for c in events if named_opening(c)), None)
    if opening is not None or not stamps:
        return opening or events[0]
    times = pd.DataFrame({c: stamps[c] for c in events})
    first = times.idxmin(axis=1, skipna=True).dropna()  # per ticket, its earliest date's column
    return first.value_counts().idxmax() if len(first) else events[0]


def named_opening(column: str) -> bool:
    """Whether a date column is named as a ticket's opening ("Created at", "Create date", "Date/Time Opened")."""
    return bool(set(normalise(column).split("_")) & OPENING_WORDS)


def opening_event(column: str, name: str) -> str:
    """The opening's event name: "ticket <its column's event name>" when the column is named as an opening ("ticket
    created"), else "ticket opened": a ticket opened at its earliest step ("Assigned at") is one support contact,
    and a name holding that step's word ("ticket assigned") would read as a follow-up (cjm.data.contacts)."""
    if not named_opening(column):
        return OPENED
    return name if "ticket" in name.split() else f"ticket {name}"


def note(opening: str, event: str, events: list[str]) -> str:
    """The Data page's note on a help desk's export: the column opening each ticket and its event name."""
    how = f"its {opening!r}" if named_opening(opening) else \
        f"its earliest date ({opening!r} on most tickets; no column is named created or opened)"
    others = [repr(c) for c in events if c != opening]
    return (f"Help desk export: each ticket opens on {how}, the event '{event}': one support contact a ticket"
            + (f"; {', '.join(others)} follow it up." if others else "."))
