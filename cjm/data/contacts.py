"""Support contacts: the one rule that says whether an event is a support contact.

Used wherever cjm counts support contacts: the customer features behind segments, personas and the
report (cjm.customers.features), the at-risk customers (cjm.voice.risk) and the journey KPI "support
contacts per customer" (cjm.journey.kpis). So one customer has the same support contacts on every page.

A support contact is one time the customer reached the support team (DOMAIN.md: "support contacts" is
an after-sale KPI, fewer is better): one ticket, case, complaint, chat or call, however many events its
lifecycle writes. A help-desk export logs each ticket as "ticket_opened", "ticket_updated",
"ticket_assigned", "ticket_closed", "ticket_reopened": that is one contact, not five. So the events that
open a contact count and the events that follow it up (status changes, replies, closing) do not.

The rule reads words, never substrings. A value is split into words: camelCase is split ("LiveChat" ->
live chat), then it is lower-cased and cut at anything that is not a letter or a digit, and between
letters and digits (so "Customer_Service", "help-desk", " Helpdesk " and "CUSTOMER SERVICE" all read
alike, and "ticket123", "Ticket#42" and "Support24" read as the word and a number). A term of two
words also matches when they are written as one ("help desk" = "helpdesk" = "HelpDesk").

An event is a support contact when
- its department or its stage names a support team: the words support, service, services, helpline,
  or the terms help desk, service desk, customer care, customer service, customer support, call
  centre / center, contact centre / center ("Customer Service", "after-sales Service", " HELP_DESK ",
  stage "support" of the 7-stage model). "care" alone is not enough ("Personal Care" is a product
  department), nor is "supporting";
- or its event name says a customer contacted support: the team terms above except a bare service /
  services (in event names those are mostly pages, products or a car's service: "services_viewed",
  "service_booked"), plus ticket(s), complaint(s), complain(ed/s/ing), chat(s/ted) and live chat
  ("support_ticket", "ticket_created", "customer_complained", "live_chat_started", "call_center_call");
- and, either way, its event name does not follow up a contact already made: none of the words
  update(d/s), close(d/s), closing, resolve(d), resolution, solve(d), reopen(ed/s) (also "re-opened"),
  assign(ed), reassigned, escalate(d), escalation, transferred, merged, pending, snoozed, archived,
  ended, reply, replied, replies, responded, response, comment(ed/s), note(s), rated, rating, nor the
  terms status changed / status change / status updated, on hold ("ticket_updated", "TicketClosed",
  "complaint_resolved", "ticket_reopened", "chat_ended", "case escalated", "ticket_status_changed").
  A reopened ticket is the same ticket (its reopening is a quality measure of its own, not a new
  contact); a reply on a ticket is part of that ticket.

Not support contacts: a word of the rule inside another word: "callback_requested" (by its name: a
call-back request is no call-centre contact), "recall_notice", "chatbot_greeting" (the bot greets every
visitor; a conversation the customer starts is logged as a chat or a ticket), "ticketing_page",
"supporting_docs"; nor a bare call: "phone_call", "sales_call" (it may be a sales call). Note that the
stage counts too: an event the stage mapping puts in the "support" stage of the 7-stage model is a
support contact whatever its name (unless its name follows up a contact). The suggested mapping
(cjm.data.stages) puts refunds, returns, cancellations, callbacks, calls (but sales, demo, discovery,
cold and onboarding calls) and chats there; move such an event to another stage in the stage-mapping
editor to stop counting it.

The rule is a pure function over values (`is_support_value`, `is_support_event`, `is_follow_up`,
`is_support_contact`), evaluated once per distinct value (`support_values`); the events are then matched
with `isin` in the engine (`support_condition`), never string by string in Python.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable

import ibis
import pandas as pd

from cjm import engine

# Terms naming a support team (department or stage). A space: the two words, or the two written as one.
TEAM_TERMS = ("support", "service", "services", "helpline", "help desk", "service desk", "customer care",
              "customer service", "customer support", "call centre", "call center", "contact centre",
              "contact center")
# Terms in an event name saying a customer contacted support (with the team terms but a bare service).
CONTACT_TERMS = ("ticket", "tickets", "complaint", "complaints", "complain", "complained", "complains",
                 "complaining", "chat", "chats", "chatted", "live chat")
EVENT_TERMS = tuple(t for t in TEAM_TERMS if t not in ("service", "services")) + CONTACT_TERMS
# Terms in an event name saying it follows up a contact already counted (its status, a reply, its close).
FOLLOW_UP_TERMS = ("update", "updated", "updates", "close", "closed", "closes", "closing", "resolve", "resolved",
                   "resolution", "solve", "solved", "reopen", "reopened", "reopens", "re opened", "re open",
                   "assign", "assigned", "reassigned", "escalate", "escalated", "escalation", "transferred",
                   "merged", "pending", "snoozed", "archived", "ended", "reply", "replied", "replies", "responded",
                   "response", "comment", "commented", "comments", "note", "notes", "rated", "rating",
                   "status changed", "status change", "status updated", "on hold")
COLUMNS = ("event", "stage", "department")  # the event columns the rule reads
# The keys of the values `support_condition` takes: each column's values that mark a contact, and the
# event names that follow one up (never a contact, whatever their department or stage).
FOLLOW_UP = "follow_up"
# The rule in plain words, for the pages (no underscores or other Markdown).
RULE = ("An event is a support contact when its department or stage names a support team (support, service, "
        "help desk, customer care, contact centre) or its event name says the customer contacted support "
        "(support, ticket, complaint, chat, live chat, help desk, call centre). One ticket is one contact: the "
        "events that follow it up (updated, assigned, escalated, replied, resolved, closed, reopened) do not count "
        "again. Whole words count, not parts of words: by its name, a callback request, a recall or a chatbot "
        "greeting is no support contact. An event the stage mapping puts in a support stage counts whatever its "
        "name: move it to another stage to stop counting it.")
# Up to this many support values of a column are matched as a list in the query; more (say event names
# carrying ticket numbers) are put in a table on the events' backend and matched against it.
MAX_LISTED = 1000

_WORD = re.compile(r"[^\W\d_]+|\d+")  # runs of letters, runs of digits


def _forms(terms: Iterable[str]) -> tuple[frozenset, frozenset]:
    """(single words, two-word terms written as one word): how `_matches` looks terms up."""
    terms = tuple(terms)
    return (frozenset(t for t in terms if " " not in t), frozenset(t.replace(" ", "") for t in terms if " " in t))


_TEAM, _EVENT, _FOLLOW_UP = _forms(TEAM_TERMS), _forms(EVENT_TERMS), _forms(FOLLOW_UP_TERMS)


def _camel_split(text: str) -> str:
    """A space where camelCase starts a word, in any alphabet: 'LiveChat' -> 'Live Chat',
    'SupportÉquipe' -> 'Support Équipe', 'HTTPError' -> 'HTTP Error'."""
    out = []
    for i, char in enumerate(text):
        if i and char.isupper():
            before, after = text[i - 1], text[i + 1] if i + 1 < len(text) else ""
            if before.islower() or before.isdigit() or (before.isupper() and after.islower()):
                out.append(" ")
        out.append(char)
    return "".join(out)


def words(value) -> list[str]:
    """The lower-cased words of a value: 'Customer_Service' -> ['customer', 'service'],
    'LiveChat started' -> ['live', 'chat', 'started']; a missing value has none."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return _WORD.findall(_camel_split(str(value)).lower())


def _matches(value, forms) -> bool:
    single, joined = forms
    found = words(value)
    if any(w in single or w in joined for w in found):
        return True
    return any(a + b in joined for a, b in zip(found, found[1:]))


@functools.lru_cache(maxsize=2**16)
def _matches_text(text: str, kind: str) -> bool:
    return _matches(text, {"team": _TEAM, "event": _EVENT, FOLLOW_UP: _FOLLOW_UP}[kind])


def _test(value, kind: str) -> bool:
    return _matches_text(value, kind) if isinstance(value, str) else _matches(
        value, {"team": _TEAM, "event": _EVENT, FOLLOW_UP: _FOLLOW_UP}[kind])


def is_support_value(value) -> bool:
    """Whether a department or stage value names a support team (see the module docstring)."""
    return _test(value, "team")


def is_follow_up(name) -> bool:
    """Whether an event name follows up a contact already made ("ticket_updated", "ticket_closed",
    "ticket_reopened", "chat_ended"): never a support contact of its own (see the module docstring)."""
    return _test(name, FOLLOW_UP)


def is_support_event(name) -> bool:
    """Whether an event name says a customer contacted support, and is no follow-up of a contact (see the
    module docstring): "ticket_opened" is, "ticket_closed" is not."""
    return _test(name, "event") and not is_follow_up(name)


def is_support_contact(event, stage=None, department=None) -> bool:
    """The whole rule for one event: its department or stage names a support team or its name says the
    customer contacted support, and its name follows up no contact already made."""
    return (is_support_event(event) or is_support_value(stage) or is_support_value(department)) and not is_follow_up(
        event)


_TESTS = {"event": is_support_event, "stage": is_support_value, "department": is_support_value, FOLLOW_UP: is_follow_up}


def support_values(values: Iterable, column: str) -> list[str]:
    """The distinct values of `column` (event, stage or department) that mark a support contact, as
    strings, sorted (missing values never do); with column "follow_up", the event names that follow up a
    contact (never one themselves)."""
    if column not in _TESTS:
        raise ValueError(f"column must be one of {', '.join(COLUMNS)} (or {FOLLOW_UP!r} for event names); "
                         f"got {column!r}.")
    test = _TESTS[column]
    return sorted({str(v) for v in values if test(v)})


def _isin(t, column: str, picked: list[str]):
    """Ibis boolean: `t[column]` is one of `picked` (never null)."""
    if len(picked) > MAX_LISTED:
        # named by its content: a rerun replaces the same table instead of adding one
        digest = hashlib.sha256("\n".join(picked).encode()).hexdigest()[:16]
        listed = engine.register(pd.DataFrame({"_support_value": picked}), like=t, name=f"support_values_{digest}")
        return t[column].isin(listed["_support_value"]).fill_null(False)
    return t[column].isin(picked).fill_null(False)


def support_condition(t, *, event: Iterable[str] = (), stage: Iterable[str] = (), department: Iterable[str] = (),
                      follow_up: Iterable[str] = ()):
    """Ibis boolean over the events `t`: the event is a support contact, given the values of each column
    that mark one and the event names that follow one up (from `support_values`). Never null; false on
    every event when no value marks one (a column expression, so it can be aggregated)."""
    found = t.row_id.isnull()  # false on every event, as a column
    values = {"event": list(event), "stage": list(stage), "department": list(department)}
    for column, picked in values.items():
        if picked:
            found = found | _isin(t, column, picked)
    follow_up = list(follow_up)
    if follow_up and (values["stage"] or values["department"]):  # event values already leave follow-ups out
        found = found & ~_isin(t, "event", follow_up)
    return found


def support_values_of(t, columns: Iterable[str] = COLUMNS) -> dict[str, list[str]]:
    """Column -> its values that mark a support contact (`support_values`), for the `columns` of the
    events `t`, read in one query of their distinct values; with the event column, also "follow_up": the
    event names that follow up a contact."""
    columns = tuple(columns)
    parts = [t.select(_column=ibis.literal(column), _value=t[column].cast("string")).distinct() for column in columns]
    distinct = engine.execute(ibis.union(*parts) if len(parts) > 1 else parts[0])
    out = {column: support_values(distinct.loc[distinct["_column"].eq(column), "_value"].dropna(), column)
           for column in columns}
    if "event" in columns:
        out[FOLLOW_UP] = support_values(distinct.loc[distinct["_column"].eq("event"), "_value"].dropna(), FOLLOW_UP)
    return out


def find_support_contacts(t):
    """`support_condition` for the events `t`, its support values read from `t` (`support_values_of`)."""
    return support_condition(t, **support_values_of(t))
