"""Support contacts: the one rule that says whether an event is a support contact.

Used wherever cjm counts support contacts: the customer features behind segments, personas and the
report (cjm.customers.features), the at-risk customers (cjm.voice.risk) and the journey KPI "support
contacts per customer" (cjm.journey.kpis). So one customer has the same support contacts on every page.

The rule reads words, never substrings. A value is split into words: camelCase is split ("LiveChat" ->
live chat), then it is lower-cased and cut at anything that is not a letter or a digit (so
"Customer_Service", "help-desk", " Helpdesk " and "CUSTOMER SERVICE" all read alike). A term of two
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
  ("support_ticket", "ticket_created", "customer_complained", "live_chat_started", "call_center_call").

Not support contacts: a word of the rule inside another word: "callback_requested" (a call-back
request is no call-centre contact), "recall_notice", "chatbot_greeting" (the bot greets every visitor;
a conversation the customer starts is logged as a chat or a ticket), "ticketing_page",
"supporting_docs"; nor a bare call: "phone_call", "sales_call" (it may be a sales call). Note that the
stage counts too: an event the stage mapping puts in the "support" stage of the 7-stage model is a
support contact whatever its name. The suggested mapping (cjm.data.stages) puts refunds, returns,
cancellations, any "..._call" and names starting with "chat" ("chatbot_greeting") there; move such an
event to another stage in the stage-mapping editor to stop counting it.

The rule is a pure function over values (`is_support_value`, `is_support_event`), evaluated once per
distinct value (`support_values`); the events are then matched with `isin` in the engine
(`support_condition`), never string by string in Python.
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
COLUMNS = ("event", "stage", "department")  # the event columns the rule reads
# The rule in plain words, for the pages (no underscores or other Markdown).
RULE = ("An event is a support contact when its department or stage names a support team (support, service, "
        "help desk, customer care, contact centre) or its event name says the customer contacted support "
        "(support, ticket, complaint, chat, live chat, help desk, call centre). Whole words count, not parts of "
        "words: by its name, a callback request, a recall or a chatbot greeting is no support contact. An event "
        "the stage mapping puts in a support stage counts whatever its name: move it to another stage to stop "
        "counting it.")
# Up to this many support values of a column are matched as a list in the query; more (say event names
# carrying ticket numbers) are put in a table on the events' backend and matched against it.
MAX_LISTED = 1000

_WORD = re.compile(r"[^\W_]+")


def _forms(terms: Iterable[str]) -> tuple[frozenset, frozenset]:
    """(single words, two-word terms written as one word): how `_matches` looks terms up."""
    terms = tuple(terms)
    return (frozenset(t for t in terms if " " not in t), frozenset(t.replace(" ", "") for t in terms if " " in t))


_TEAM, _EVENT = _forms(TEAM_TERMS), _forms(EVENT_TERMS)


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
def _matches_text(text: str, team: bool) -> bool:
    return _matches(text, _TEAM if team else _EVENT)


def is_support_value(value) -> bool:
    """Whether a department or stage value names a support team (see the module docstring)."""
    return _matches_text(value, True) if isinstance(value, str) else _matches(value, _TEAM)


def is_support_event(name) -> bool:
    """Whether an event name says a customer contacted support (see the module docstring)."""
    return _matches_text(name, False) if isinstance(name, str) else _matches(name, _EVENT)


_TESTS = {"event": is_support_event, "stage": is_support_value, "department": is_support_value}


def support_values(values: Iterable, column: str) -> list[str]:
    """The distinct values of `column` (event, stage or department) that mark a support contact, as
    strings, sorted (missing values never do)."""
    if column not in _TESTS:
        raise ValueError(f"column must be one of {', '.join(COLUMNS)}; got {column!r}.")
    test = _TESTS[column]
    return sorted({str(v) for v in values if test(v)})


def support_condition(t, *, event: Iterable[str] = (), stage: Iterable[str] = (), department: Iterable[str] = ()):
    """Ibis boolean over the events `t`: the event is a support contact, given the values of each column
    that mark one (from `support_values`). Never null; false on every event when no value marks one (a
    column expression, so it can be aggregated)."""
    found = t.row_id.isnull()  # false on every event, as a column
    for column, picked in (("event", event), ("stage", stage), ("department", department)):
        picked = list(picked)
        if not picked:
            continue
        if len(picked) > MAX_LISTED:
            # named by its content: a rerun replaces the same table instead of adding one
            digest = hashlib.sha256("\n".join(picked).encode()).hexdigest()[:16]
            listed = engine.register(pd.DataFrame({"_support_value": picked}), like=t, name=f"support_values_{digest}")
            found = found | t[column].isin(listed["_support_value"]).fill_null(False)
        else:
            found = found | t[column].isin(picked).fill_null(False)
    return found


def support_values_of(t, columns: Iterable[str] = COLUMNS) -> dict[str, list[str]]:
    """Column -> its values that mark a support contact (`support_values`), for the `columns` of the
    events `t`, read in one query of their distinct values."""
    columns = tuple(columns)
    parts = [t.select(_column=ibis.literal(column), _value=t[column].cast("string")).distinct() for column in columns]
    distinct = engine.execute(ibis.union(*parts) if len(parts) > 1 else parts[0])
    return {column: support_values(distinct.loc[distinct["_column"].eq(column), "_value"].dropna(), column)
            for column in columns}


def find_support_contacts(t):
    """`support_condition` for the events `t`, its support values read from `t` (`support_values_of`)."""
    return support_condition(t, **support_values_of(t))
