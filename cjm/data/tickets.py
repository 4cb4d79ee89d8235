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
# An insurer's claims (a "Case ID" beside "Claim Type", "Claim Amount", a policyholder) are cases of no help desk,
# unless a ticket or conversation is named or a requester's is solved (a help desk's "Warranty claim" field).
CLAIM_WORDS = {"claim", "claims", "policyholder"}
# Who raised a help desk's ticket: Zendesk's "Requester"; ServiceNow's "caller_id" when its incidents are resolved
# or closed (a phone log's caller's calls only end: "Call ended" follows up a call, it solves nothing).
RESOLVED_WORDS = {"resolved", "resolve", "resolution", "solved", "solve", "closed", "close"}
SOLD_TICKET_DETAILS = {"type", "class", "tier", "price", "quantity", "sold", "holder"}
# What only a help desk's tickets have: a priority, a subject, a resolution, an agent or assignee, an SLA, an
# escalation, a first response, the customer's satisfaction. Beside them a "Ticket Type" (Technical issue, Billing
# inquiry, Refund request) is the kind of request, as in Kaggle's widely used "Customer Support Ticket Dataset"
# (Ticket Type, Ticket Subject, Ticket Priority, Ticket Status, First Response Time, Customer Satisfaction Rating).
SERVICE_WORDS = {"priority", "subject", "resolution", "assignee", "agent", "sla", "escalated", "escalation",
                 "satisfaction", "csat", "response"}
# A date of the customer's purchase in a ticket export ("Date of Purchase") is the product's, bought before the
# ticket: never the ticket's opening, even when it is each ticket's earliest date.
PURCHASE_WORDS = {"purchase", "purchased", "order", "ordered", "sale", "sold", "bought"}
OPENING_WORDS = {"created", "creation", "create", "opened", "open", "opening", "submitted", "received", "raised",
                 "logged", "requested", "reported", "started"}
OPENED = "ticket opened"  # a ticket's opening when no date column is named as one (its earliest step)


def help_desk(columns, events: list[str]) -> bool:
    """Whether a wide export is a help desk's: a column names each row a ticket, case, issue or conversation
    ("Ticket ID", "Issue key", "Conversation ID"), or a requester's request is followed up by a date column (Zendesk's
    "Requester" beside "Solved at", ServiceNow's "caller_id" beside "resolved_at": a follow-up word of
    cjm.data.contacts); and nothing says its tickets were sold (an event's attendees: "Ticket Type", "Check-In Date";
    a "Ticket type" beside a requester whose tickets are solved is Zendesk's kind of ticket), its requests are
    purchases (a requisition, a vendor) or its cases are an insurer's claims.
    A requester alone is not enough: a purchase requisition's is submitted, approved and ordered, never solved."""
    names = [set(normalise(str(c)).split("_")) for c in columns]
    if not events:
        return False
    requested = (any("requester" in w for w in names) and any(is_follow_up(c) for c in events)) or (
        any("caller" in w for w in names) and any(set(normalise(c).split("_")) & RESOLVED_WORDS for c in events))
    # a "Ticket Type" says tickets were sold, unless a requester's tickets are solved (Zendesk's "Ticket type") or
    # the tickets have what only a help desk's have (a priority, a subject, a resolution: SERVICE_WORDS)
    serviced = any(w & SERVICE_WORDS for w in names)
    if any(w & SOLD_TICKET_WORDS or (w & {"ticket", "tickets"} and w & SOLD_TICKET_DETAILS
                                     and not (requested or serviced))
           or {"check", "in"} <= w for w in names):
        return False
    record = record_column(columns, HELP_DESK_RECORDS)
    if record is None:
        return requested
    ticketed = normalise(str(record)).split("_")[0] in {"ticket", "tickets", "conversation"}
    return requested or ticketed or not any(w & CLAIM_WORDS for w in names)


def opening(columns, events: list[str], stamps: dict | None = None) -> str | None:
    """In a help desk's export (`help_desk`), the date column that opens each ticket: the first named as an opening
    ("Created at", HubSpot's "Create date", Jira's "Created"), else the date column that comes first on most tickets;
    None for other exports."""
    if not help_desk(columns, events):
        return None
    opening = next((c for c in events if named_opening(c)), None)
    candidates = [c for c in events if not set(normalise(c).split("_")) & PURCHASE_WORDS] or list(events)
    if opening is not None or not stamps:
        return opening or candidates[0]
    times = pd.DataFrame({c: stamps[c] for c in candidates})
    first = times.idxmin(axis=1, skipna=True).dropna()  # per ticket, its earliest date's column
    return first.value_counts().idxmax() if len(first) else candidates[0]


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
