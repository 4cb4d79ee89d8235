"""One person on several devices: a web or app analytics export's anonymous id joined to the id of who signed in.

Mixpanel (`distinct_id` beside `$user_id`), Segment (`anonymousId` / `userId`), GA4 (`user_pseudo_id` / `user_id`)
and Amplitude (`device_id` / `user_id`) write an anonymous id (a browser, a device) on every event and the
signed-in id only on the events after signing in. Counted by the anonymous id, a person on a phone and a laptop is
two customers; counted by the signed-in id, every anonymous visitor is lost ("missing customer id").

The rule (`ColumnMapping.signed_in_id` names the signed-in column, `customer_id` the anonymous one):

* an event with a signed-in id is that person's;
* an event without one is the person's who signed in on its anonymous id, when exactly one person did;
* else (nobody signed in there, or several people on one shared device) it stays with its anonymous id.

Mixpanel's identity merge writes the signed-in id as `distinct_id` too once the person signed in, on the same
device ($device_id unchanged): an anonymous id equal to the one person who signed in there is that person's own id,
no browser or device of theirs. The note counts it apart ("own ids"), so that a person on one phone is not said
to have used several.

A browser where nobody signed in whose id is a person's is a visitor of its own, written '1001 (cookie_id)'
(`apart_id`; '1001 (cookie_id 2)' when the file already has that id: `apart_number`). Mixpanel's distinct_id beside
$device_id and $user_id is the fallback id of an event with neither (`fallen_back`). A customers file keyed by the
anonymous id describes the one person who signed in on each browser (`described`, `described_in_engine`).

`signed_in_column` proposes the pair; `stitched` applies the rule to an upload's ids, `stitched_expr` to a table
read in place (the same rule in the engine), and `note` says what was joined.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pandas as pd

from cjm.data import money
from cjm.data.cells import to_id_strings
from cjm.data.columns import FILL_SAMPLE, filled_share, holds_people, normalise

# Names (normalised; a nested JSON field by its last name) of an id written on every event before anyone signs in,
# and of the id of who signed in.
ANONYMOUS = frozenset({"distinct_id", "distinctid", "anonymous_id", "anonymousid", "user_pseudo_id", "pseudo_id",
                       "device_id", "deviceid", "cookie_id", "cookieid", "visitor_id", "visitorid"})
SIGNED_IN = frozenset({"user_id", "userid", "customer_id", "customerid", "member_id", "memberid", "account_id",
                       "accountid", "email", "email_address", "login"})


def _leaf(column: str) -> str:
    return normalise(str(column).rsplit(".", 1)[-1])


def signed_in_column(frame: pd.DataFrame, customer: str, taken: set[str]) -> tuple[str, str] | None:
    """(anonymous column, signed-in column) when the file writes both: the chosen customer column and another
    column, one of each kind by name, the anonymous one filled on at least as many rows as the signed-in one and
    the signed-in one on some rows. None otherwise (one id: nothing to join)."""
    kinds = {c: ("anonymous" if _leaf(c) in ANONYMOUS else "signed" if _leaf(c) in SIGNED_IN else None)
             for c in frame.columns if c == customer or c not in taken}
    if kinds.get(customer) is None:
        return None
    if kinds[customer] == "anonymous":
        signed = next((c for c, kind in kinds.items() if kind == "signed"), None)
    else:
        signed = customer
        if filled_share(frame[signed]) == 1:  # the person on every row (a ticket's customer beside its device):
            return None                       # nobody anonymous to join
    if signed is None or filled_share(frame[signed]) == 0:
        return None
    # the customer column first; an anonymous column holding the signed-in id once signed in names no browser or
    # device (Mixpanel's Simplified ID Merge: distinct_id is $user_id then, "$device:<id>" before): $device_id does
    candidates = sorted((c for c, kind in kinds.items() if kind == "anonymous"), key=lambda c: c != customer)
    anonymous = next((c for c in candidates if filled_share(frame[c]) >= filled_share(frame[signed])
                      and _names_devices(frame[c], frame[signed])), None)
    return None if anonymous is None else (anonymous, signed)


def _names_devices(anonymous: pd.Series, signed: pd.Series) -> bool:
    """False when, on most of the first FILL_SAMPLE rows that have both ids, the anonymous id is the signed-in id."""
    a = to_id_strings(anonymous.iloc[:FILL_SAMPLE])
    s = to_id_strings(signed.iloc[:FILL_SAMPLE])
    both = a.notna() & s.notna()
    return not both.any() or (a[both] != s[both]).mean() >= 0.5


def suggest(frame: pd.DataFrame, mapping) -> None:
    """Name the pair in a guessed mapping (`signed_in_column`): the anonymous id as its customer_id and the id of who
    signed in as its signed_in_id; or, beside ids of one row each, the column of who signed in that writes a
    placeholder for those who did not (`signed_in_beside_placeholders`). An upload's guess and a table read in place
    both go through here."""
    if "customer_id" not in mapping.columns or mapping.signed_in_id:
        return
    if mapping.shape == "long":
        pair = signed_in_column(frame, mapping.columns["customer_id"], set(mapping.used_columns()))
        if pair is not None:
            mapping.columns["customer_id"], mapping.signed_in_id = pair
            mapping.fallback_id = fallback_column(frame, pair, set(mapping.used_columns()))
            return
    if mapping.shape in ("long", "wide"):
        mapping.signed_in_id = signed_in_beside_placeholders(frame, mapping.columns["customer_id"],
                                                             set(mapping.used_columns()))


# What a form writes in its column of who answered for a response whose respondent did not sign in (Microsoft Forms'
# Email: 'anonymous'): no one's id (compared trimmed, in lower case)
NO_ONE = frozenset({"anonymous"})


def no_one(ids: pd.Series) -> pd.Series:
    """`ids` with NO_ONE's placeholders missing."""
    text = ids.astype("string")
    return text.mask(text.str.strip().str.lower().isin(NO_ONE).fillna(False).astype(bool))


def placeholders(ids: pd.Series) -> pd.Series:
    """True where `ids` holds NO_ONE's placeholder."""
    return ids.astype("string").str.strip().str.lower().isin(NO_ONE).fillna(False).astype(bool)


def no_one_expr(value):
    """`no_one` in the engine (value: a string column, trimmed)."""
    return ibis.ifelse(value.lower().isin(sorted(NO_ONE)).fill_null(False), ibis.null("string"), value)


def signed_in_beside_placeholders(frame: pd.DataFrame, customer: str, taken: set[str]) -> str | None:
    """The column of who signed in (named as SIGNED_IN: 'Email') that writes a placeholder (NO_ONE: 'anonymous') on
    the other rows, beside a customer column of one row each (Microsoft Forms' response 'ID', filled on every row, none
    twice): each signed-in row is then that person's and every other row its own respondent, keyed by its id
    (`stitched`: an id on one row only joins no one). Its other values must name people (e-mail addresses in an
    e-mail column). None when there is no such column: the ids stay one respondent a row."""
    key = frame[customer]
    if not len(key) or key.isna().any() or not key.is_unique:
        return None
    for column in frame.columns:
        if column in taken or column == customer or _leaf(column) not in SIGNED_IN:
            continue
        text = to_id_strings(frame[column])
        placeholder = text.str.strip().str.lower().isin(NO_ONE).fillna(False).astype(bool)
        people = text[~placeholder].dropna()
        if placeholder.any() and len(people) and ("mail" not in normalise(column) or holds_people(column, people)):
            return column
    return None


def fallback_column(frame: pd.DataFrame, pair: tuple[str, str], taken: set[str]) -> str | None:
    """Another anonymous id column beside the pair (Mixpanel's distinct_id beside $device_id and $user_id), read on
    the events with neither (`fallen_back`): a server-side event has distinct_id alone. distinct_id first."""
    others = [c for c in frame.columns if c not in pair and c not in taken and _leaf(c) in ANONYMOUS]
    return min(others, key=lambda c: _leaf(c) not in ("distinct_id", "distinctid"), default=None)


@dataclass(frozen=True)
class Joined:
    """What `stitched` did: anonymous ids joined to one person, events given to that person (they had no
    signed-in id), people on more than one anonymous id, shared anonymous ids (several people signed in there)
    and the events of those left with the anonymous id."""

    devices: int
    events: int
    people_on_several: int
    shared: int
    shared_events: int
    example: tuple[str, tuple[str, ...]] | None  # a person on several anonymous ids, and those ids
    own_ids: int = 0  # people whose signed-in id is also an anonymous id, beside a browser or device of theirs
    own_example: str | None = None  # one of them
    clashes: int = 0  # browsers or devices left anonymous whose id is also a signed-in person's: written apart
    clash_example: tuple[str, str] | None = None  # one of them, as written and as counted ('1001 (cookie_id)')
    apart_number: int = 1  # apart_id's number: 2 when an id of the file is already written '1001 (cookie_id)'
    fallback_events: int = 0  # events with neither id, read by the fallback id (fallen_back)
    fallback_people: int = 0  # of them, the events of a person who signed in with that id
    fallback_example: str | None = None  # one such person (the least)


def apart_id(anonymous, column: str, number: int = 1):
    """How an anonymous id left with its browser or device is written when a person who signed in has the same id
    (cookie 1001 beside customer 1001): '1001 (cookie_id)', a visitor of its own, not that customer. `number` 2, 3...
    (`apart_number`) when the file already writes an id so: '1001 (cookie_id 2)'."""
    return anonymous + (f" ({column})" if number == 1 else f" ({column} {number})")


def apart_number(column: str, clashes, taken) -> int:
    """The least `number` of `apart_id` (1, 2, ...) that writes none of `clashes` (the anonymous ids set apart) as an
    id already in `taken` (every anonymous and signed-in id read with them): cookie 1001 set apart beside a cookie
    written '1001 (cookie_id)' is '1001 (cookie_id 2)', so the two stay two visitors. The labels of one number are
    distinct (one suffix after distinct ids) and no id of the file: no two visitors, nor a visitor and a person, are
    merged."""
    clashes = pd.Index(pd.Series(_listed(clashes), dtype="string").dropna().unique())
    if not len(clashes):
        return 1
    taken = pd.Index(pd.Series(_listed(taken), dtype="string").dropna().unique())
    number = 1
    while pd.Index(apart_id(clashes, column, number)).isin(taken).any():
        number += 1
    return number


def _listed(values):
    return values.to_numpy(dtype=object) if isinstance(values, (pd.Series, pd.Index)) else list(values)


def _by_devices(anonymous: pd.Series, signed: pd.Series, devices: pd.Series, everyone: set, column: str,
                number: int | None = None):
    """(each row's customer, the rows written apart, the `apart_id` number) by the rule of the module docstring: its
    signed-in id, else the one person of its device (`devices`: anonymous id -> person), else its anonymous id,
    written apart (`apart_id`) when a person who signed in anywhere (`everyone`) has that id. `number`: apart_id's,
    None: the least that writes no set-apart id as another id of `anonymous` or `everyone` (`apart_number`)."""
    theirs = anonymous.map(devices).astype("string")  # no device of one person: all missing (floats, as mapped)
    left = (signed.isna() & anonymous.notna() & theirs.isna()).fillna(False).astype(bool)
    clash = left & anonymous.isin(everyone).fillna(False).astype(bool)
    anonymous = anonymous.astype("string")
    if number is None:
        number = apart_number(column, anonymous[clash].unique(), set(anonymous.dropna()) | set(everyone))
    customers = signed.astype("string").fillna(theirs).fillna(
        anonymous.mask(clash, apart_id(anonymous, column, number)))
    return customers.astype("string"), clash, number


def fallen_back(anonymous: pd.Series, signed: pd.Series, fallback: pd.Series | None
                ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(anonymous ids, signed-in ids, the rows read by `fallback`): a row with neither id but a fallback id
    (`ColumnMapping.fallback_id`: Mixpanel's distinct_id beside $device_id and $user_id, on an event a server tracked)
    has that id as its signed-in id when a person signed in with it on another row, else as its anonymous id (a browser
    or device's, joined to its one person or left a visitor of its own). Other rows are untouched."""
    if fallback is None:
        return anonymous, signed, pd.Series(False, index=anonymous.index)
    fallback = fallback.astype("string")
    neither = (anonymous.isna() & signed.isna() & fallback.notna()).fillna(False).astype(bool)
    person = neither & fallback.isin(set(signed.dropna())).fillna(False).astype(bool)
    return (anonymous.astype("string").mask(neither & ~person, fallback),
            signed.astype("string").mask(person, fallback), neither)


def stitched(anonymous: pd.Series, signed: pd.Series, column: str = "anonymous id", *, by_fallback=None,
             number: int | None = None) -> tuple[pd.Series, Joined]:
    """Each row's customer by the rule of the module docstring, and what it joined. `column`: the anonymous id's
    (`apart_id`); `by_fallback`: the rows whose id is the fallback's (`fallen_back`), counted for the note; `number`:
    apart_id's (None: `apart_number`'s)."""
    both = pd.DataFrame({"anonymous": anonymous, "signed": signed})
    pairs = both.dropna().drop_duplicates()
    people = pairs.groupby("anonymous", sort=False)["signed"].agg(["nunique", "first"])
    single = people.loc[people["nunique"] == 1, "first"]
    customers, clash, number = _by_devices(anonymous, signed, single, set(signed.dropna()), column, number)
    unsigned = signed.isna() & anonymous.notna()
    shared = people.index[people["nunique"] > 1]
    own = single.index.astype(str) == single.astype(str).to_numpy()  # the person's own id, no device
    on_devices = single[~own]
    devices = pairs[pairs["anonymous"].isin(on_devices.index)].groupby("signed", sort=False)["anonymous"].agg(list)
    several = devices[devices.map(len) > 1]
    example = None
    if len(several):
        person = sorted(several.index)[0]
        example = (str(person), tuple(sorted(map(str, several[person]))[:3]))
    owners = sorted(set(map(str, single[own])) & set(map(str, devices.index)))
    apart = sorted(set(map(str, anonymous[clash])))  # the example the least, as read in place (joined_in_engine)
    fell = (pd.Series(False, index=anonymous.index) if by_fallback is None
            else pd.Series(by_fallback, index=anonymous.index).fillna(False).astype(bool))
    fallen_people = sorted(set(map(str, signed[fell].dropna())))
    joined = Joined(devices=int(len(on_devices)), events=int((unsigned & anonymous.isin(on_devices.index)).sum()),
                    people_on_several=int(len(several)), shared=int(len(shared)),
                    shared_events=int((unsigned & anonymous.isin(shared)).sum()), example=example,
                    own_ids=len(owners), own_example=owners[0] if owners else None,
                    clashes=len(apart),
                    clash_example=(apart[0], apart_id(apart[0], column, number)) if apart else None,
                    apart_number=number, fallback_events=int(fell.sum()),
                    fallback_people=int((fell & signed.notna()).sum()),
                    fallback_example=fallen_people[0] if fallen_people else None)
    return customers, joined


HELPERS = ("_anon_id", "_signed_id", "_fell", "_anon_key", "_people", "_person", "_clash", "_customer")  # stitched_expr's


def stitched_expr(table, anonymous, signed, column: str = "anonymous id", *, fallback=None, backend=None):
    """`table` with the columns of HELPERS, `_customer` the customer id by the rule of the module docstring: `stitched`
    in the engine, for a table read in place. `anonymous` and `signed` are the two id expressions of `table` (text,
    null when empty); `fallback` the id of a row with neither (`fallen_back`; None: no such id); `column` the
    anonymous id's (`apart_id`, its number `apart_number`'s, counted on `backend`; without one, 1)."""
    t = table.mutate(_anon_id=anonymous, _signed_id=signed)
    if fallback is not None:  # fallen_back: a person's id when someone signed in with it, else a browser's or device's
        t = t.mutate(_fallback=fallback)
        people = t.filter(t._signed_id.notnull()).select("_signed_id").distinct()
        neither = (t._anon_id.isnull() & t._signed_id.isnull() & t._fallback.notnull()).fill_null(False)
        person = neither & t._fallback.isin(people._signed_id).fill_null(False)
        t = t.mutate(_anon_id=ibis.ifelse(neither & ~person, t._fallback, t._anon_id),
                     _signed_id=ibis.ifelse(person, t._fallback, t._signed_id), _fell=neither).drop("_fallback")
    else:
        t = t.mutate(_fell=ibis.literal(False))
    known = t.filter(t._anon_id.notnull() & t._signed_id.notnull())
    people = known.group_by(_anon_key=known._anon_id).aggregate(_people=known._signed_id.nunique(),
                                                               _person=known._signed_id.min())
    joined = t.left_join(people, t._anon_id == people._anon_key)
    theirs = ibis.ifelse(joined._people == 1, joined._person, ibis.null("string"))
    everyone = t.filter(t._signed_id.notnull()).select("_signed_id").distinct()
    clash = (joined._signed_id.isnull() & joined._anon_id.notnull() & theirs.isnull()
             & joined._anon_id.isin(everyone._signed_id)).fill_null(False)
    joined = joined.mutate(_clash=clash)
    number = 1 if backend is None else apart_number_in_engine(backend, joined, column)
    anonymous_one = ibis.ifelse(joined._clash, apart_id(joined._anon_id, column, number), joined._anon_id)
    return joined.mutate(_customer=ibis.coalesce(joined._signed_id, theirs, anonymous_one))


def apart_number_in_engine(backend, t, column: str) -> int:
    """`apart_number` over a table of stitched_expr (its _anon_id, _signed_id, _clash): the least number whose
    set-apart ids are no id of the table. One query when nothing is set apart or none is written so already."""
    clashes = t.filter(t._clash).select(v=t._anon_id).distinct()
    ids = t.select(v=t._anon_id).union(t.select(v=t._signed_id)).filter(lambda s: s.v.notnull()).distinct()
    number = 1
    while int(backend.execute(clashes.aggregate(
            n=apart_id(clashes.v, column, number).isin(ids.v).cast("int64").sum()))["n"].fillna(0).iloc[0]):
        number += 1
    return number


def joined_in_engine(backend, table) -> Joined:
    """`Joined` counted in the engine from `stitched_expr`'s joined table (its _anon_id, _signed_id, _people)."""
    t = table
    unsigned = t._signed_id.isnull() & t._anon_id.notnull()
    device = (t._people == 1) & (t._anon_id != t._person)  # not the person's own id (module docstring)
    row = backend.execute(t.aggregate(
        devices=t._anon_id.nunique(where=device),
        events=unsigned.cast("int64").sum(where=device),
        shared=t._anon_id.nunique(where=t._people > 1),
        shared_events=unsigned.cast("int64").sum(where=t._people > 1),
    )).iloc[0]
    on_one = t.filter(device & t._signed_id.notnull())
    per_person = on_one.group_by("_signed_id").aggregate(n=on_one._anon_id.nunique())
    several = backend.execute(per_person.filter(per_person.n > 1).order_by("_signed_id").select("_signed_id"))
    example = None
    if len(several):
        person = str(several["_signed_id"].iloc[0])
        ids = backend.execute(on_one.filter(on_one._signed_id == person).select("_anon_id").distinct()
                              .order_by("_anon_id").limit(3))
        example = (person, tuple(map(str, ids["_anon_id"])))
    selves = t.filter((t._people == 1) & (t._anon_id == t._person)).select(_own=t._person).distinct()
    owners = selves.filter(selves._own.isin(per_person._signed_id))
    owned = backend.execute(owners.aggregate(n=owners.count(), first=owners._own.min())).iloc[0]
    clashes = backend.execute(t.aggregate(n=t._anon_id.nunique(where=t._clash), first=t._anon_id.min(where=t._clash),
                                          written=t._customer.argmin(t._anon_id, where=t._clash),
                                          fell=t._fell.cast("int64").sum(),
                                          fell_people=(t._fell & t._signed_id.notnull()).cast("int64").sum(),
                                          fell_first=t._signed_id.min(where=t._fell))).iloc[0]
    return Joined(devices=_count(row["devices"]), events=_count(row["events"]),
                  people_on_several=int(len(several)), shared=_count(row["shared"]),
                  shared_events=_count(row["shared_events"]), example=example,
                  own_ids=_count(owned["n"]), own_example=str(owned["first"]) if _count(owned["n"]) else None,
                  clashes=_count(clashes["n"]),
                  clash_example=(str(clashes["first"]), str(clashes["written"])) if _count(clashes["n"]) else None,
                  fallback_events=_count(clashes["fell"]), fallback_people=_count(clashes["fell_people"]),
                  fallback_example=str(clashes["fell_first"]) if _count(clashes["fell_people"]) else None)


def _count(value) -> int:
    """A count the engine returned: a sum over no rows is null (NaN once in pandas), which is 0."""
    return 0 if value is None or pd.isna(value) else int(value)


def note(joined: Joined, anonymous: str, signed: str, fallback: str | None = None, *, placeholders: int = 0) -> str:
    """The Data page's note: what the signed-in column joined (and the fallback id, `fallen_back`), with an example,
    and how to undo it. `placeholders`: the rows whose signed-in column wrote NO_ONE's placeholder (a form's responses
    by respondents who did not sign in: `signed_in_beside_placeholders`), said as responses."""
    if placeholders:
        said = (f"{signed!r} names who signed in, and writes {' or '.join(map(repr, sorted(NO_ONE)))} on the "
                f"{money.counted(placeholders, 'row')} of respondents who did not: a row signed in is its person's")
        if joined.people_on_several:
            person, ids = joined.example
            shown = ", ".join(repr(i) for i in ids[:-1]) + f" and {ids[-1]!r}"
            said += f" (such as {person!r} on {anonymous} {shown}: one respondent, not one per row)"
        return (said + f", and each other row a respondent of its own, keyed by {anonymous!r}. To count every row as "
                "a respondent of its own, choose none as the signed-in id on the Data page.")
    said = (f"{signed!r} names who signed in, {anonymous!r} the browser or device: an event is the person's who "
            "signed in on its browser or device. ")
    if joined.devices:
        events = money.counted(joined.events, "event")
        said += (f"{_devices(joined.devices)} had one person signing in: {events} there "
                 f"without signing in {'is' if joined.events == 1 else 'are'} that person's. ")
    if joined.people_on_several:
        person, ids = joined.example
        shown = ", ".join(repr(i) for i in ids[:-1]) + f" and {ids[-1]!r}"
        said += (f"{_people(joined.people_on_several)} used several (such as {person!r} on {shown}): one customer, "
                 "not one per browser or device. ")
    if joined.own_ids:
        said += (f"After signing in, {_people(joined.own_ids)} (such as {joined.own_example!r}) had their signed-in id "
                 f"written as {anonymous!r} too, as Mixpanel does: one customer with the browser or device they "
                 "signed in on, not two. ")
    if joined.shared:
        said += (f"{_devices(joined.shared)} had several people signing in (shared): "
                 f"{money.counted(joined.shared_events, 'event')} there without signing in "
                 f"{'stays' if joined.shared_events == 1 else 'stay'} with {'it' if joined.shared == 1 else 'them'}. ")
    if joined.clashes:
        written, counted = joined.clash_example
        one = joined.clashes == 1
        said += (f"{_devices(joined.clashes)} where nobody signed in {'has' if one else 'have'} the id "
                 f"of a person who did (such as {written!r}): written {counted!r}, a visitor of "
                 f"{'its' if one else 'their'} own, not that person"
                 + ("" if counted == apart_id(written, anonymous) else
                    f" (numbered: the file already has an id written {apart_id(written, anonymous)!r})") + ". ")
    if fallback and joined.fallback_events:
        n, people = joined.fallback_events, joined.fallback_people
        parts = []
        if people:
            parts.append(f"{money.counted(people, 'event')} of a person who signed in with that id on other events "
                         f"(such as {joined.fallback_example!r}) {'is' if people == 1 else 'are'} that person's")
        if n - people:
            parts.append(f"{money.counted(n - people, 'event')} {'is' if n - people == 1 else 'are'} read as a "
                         "browser or device id")
        said += (f"{money.counted(n, 'event')} with neither {signed!r} nor {anonymous!r} (tracked by a server, "
                 f"say) {'is' if n == 1 else 'are'} read by {fallback!r}: " + "; ".join(parts) + ". ")
    return said + "To count browsers and devices instead, choose none as the signed-in id on the Data page."


def _devices(n: int) -> str:
    return f"{n:,} browser or device" if n == 1 else f"{n:,} browsers or devices"


def _people(n: int) -> str:
    return f"{n:,} person" if n == 1 else f"{n:,} people"


def one_person_devices(pairs: pd.DataFrame) -> pd.Series:
    """Anonymous id -> the one person who signed in there, from (anonymous, signed) pairs (a device where several
    people signed in is left out)."""
    pairs = pairs.dropna().drop_duplicates()
    people = pairs.groupby("anonymous", sort=False)["signed"].agg(["nunique", "first"])
    return people.loc[people["nunique"] == 1, "first"]


def shared_devices(pairs: pd.DataFrame) -> pd.Index:
    """The anonymous ids where several people signed in, from (anonymous, signed) pairs."""
    people = pairs.dropna().drop_duplicates().groupby("anonymous", sort=False)["signed"].nunique()
    return people.index[people > 1]


def shared_note(column: str, n: int, example: str, files: list[str]) -> str:
    """A note of a file with only the anonymous id: its events on a browser or device where several people signed in
    in `files` stay with it (`across_files` joins them to no one)."""
    named = ", ".join(repr(f) for f in files)
    return (f"{money.counted(n, 'event')} of this file's {column!r} (such as {example!r}) {'is' if n == 1 else 'are'} "
            f"on a browser or device where several people signed in, in {named} (shared): "
            f"{'it stays' if n == 1 else 'they stay'} with it, none of those people's.")


def across_files(ids: pd.Series, devices: pd.Series, signed: set, column: str, number: int = 1
                 ) -> tuple[pd.Series, int, tuple[str, str] | None, int]:
    """(ids of a file with only the anonymous id, each the person's who signed in on it in another file, and one
    that is also the id of a person who signed in but not there written apart (`apart_id`, with `number`); how many
    events moved; an example (anonymous id, person); how many events were written apart)."""
    out, clash, _ = _by_devices(ids, pd.Series(pd.NA, index=ids.index, dtype="string"), devices, signed, column,
                                number)
    moved = (out != ids.astype("string")).fillna(False).astype(bool) & ~clash
    example = (str(ids[moved].iloc[0]), str(out[moved].iloc[0])) if moved.any() else None
    return out, int(moved.sum()), example, int(clash.sum())


def across_note(column: str, moved: int, example: tuple[str, str], files: list[str]) -> str:
    """A note of a file whose anonymous ids another file joined to people (`across_files`)."""
    anonymous, person = example
    named = ", ".join(repr(f) for f in files)
    return (f"{money.counted(moved, 'event')} of this file's {column!r} {'is' if moved == 1 else 'are'} the person's who "
            f"signed in on that browser or device in {named} (such as {anonymous!r}: {person!r}): one customer across "
            "the files. To count browsers and devices instead, choose none as the signed-in id of that file.")


def restitched(anonymous: pd.Series, signed: pd.Series, customers: pd.Series, devices: pd.Series, everyone: set,
               column: str, number: int = 1) -> tuple[pd.Series, int, tuple[str, str] | None]:
    """The customers of a file that names who signed in, by the rule over several such files (`devices`: each
    anonymous id's one person over them all; `everyone`: their signed-in ids; `number`: apart_id's over them all):
    (customers, how many events changed, an example (anonymous id, now its customer))."""
    now, _, _ = _by_devices(anonymous, signed, devices, everyone, column, number)
    changed = (now != customers.astype("string")).fillna(False).astype(bool)
    example = (str(anonymous[changed].iloc[0]), str(now[changed].iloc[0])) if changed.any() else None
    return now.where(changed, customers).astype("string"), int(changed.sum()), example


def restitched_note(column: str, changed: int, example: tuple[str, str], files: list[str]) -> str:
    """A note of a file that names who signed in, whose events the sign-ins of other files read with it moved."""
    anonymous, now = example
    named = ", ".join(repr(f) for f in files)
    return (f"Read with {named}, whose sign-ins on the same browsers or devices count too: {money.counted(changed, 'event')} "
            f"of this file without signing in {'is' if changed == 1 else 'are'} another customer's than this file alone "
            f"says (such as {anonymous!r}: now {now!r}; a device where people signed in across the files keeps its "
            "visits when they were several).")



@dataclass(frozen=True)
class SignIns:
    """The sign-ins of the files that name who signed in, read with a customers file keyed by their anonymous id
    (`described`): `devices` each anonymous id's one person, `shared` the anonymous ids where several people signed
    in, `everyone` every signed-in id (as text), `columns` each anonymous column's leaf -> its name in the first such
    file (the set-apart ids are written by it, as the events are), `numbers` that column's apart_id number, `files`
    their names."""

    devices: pd.Series
    shared: pd.Index
    everyone: set
    columns: dict
    numbers: dict
    files: list


def sign_ins(pairs: list, numbers) -> SignIns:
    """SignIns from parse_files' pairs ((anonymous, signed) of each file's events, its anonymous column, its name, its
    slot); `numbers(column)`: the apart_id number of the events' set-apart ids."""
    both = pd.concat([p for p, *_ in pairs], ignore_index=True)
    columns = {}
    for _, column, _, _ in pairs:
        columns.setdefault(_leaf(column), column)
    return SignIns(devices=one_person_devices(both), shared=shared_devices(both),
                   everyone=set(both["signed"].dropna()), columns=columns,
                   numbers={leaf: numbers(column) for leaf, column in columns.items()},
                   files=list(dict.fromkeys(name for _, _, name, _ in pairs)))


def described(keys: pd.Series, column: str, signs: SignIns) -> tuple[pd.Series, str] | None:
    """A customers file keyed by the anonymous id of files that name who signed in (its key named as theirs, once
    normalised): (its keys, each row the person's who signed in on that browser or device when exactly one did, a
    browser where nobody signed in whose id is a person's written apart as the events write it (`apart_id`), a shared
    one left as written; the note saying so). None when no key is such a browser or device (the key is no
    anonymous id: read as written)."""
    leaf = _leaf(column)
    if leaf not in signs.columns:
        return None
    events_column, number = signs.columns[leaf], signs.numbers[leaf]
    out, moved, _, apart = across_files(keys, signs.devices, signs.everyone, events_column, number)
    on_shared = (keys.isin(signs.shared) & keys.notna()).fillna(False).astype(bool)
    if not (moved or apart or on_shared.any()):
        return None
    changed = (out != keys.astype("string")).fillna(False).astype(bool) & keys.isin(signs.devices.index)
    first = keys[changed].astype(str).sort_values()
    example = (first.iloc[0], str(out[first.index[0]])) if len(first) else None
    shared = keys[on_shared].astype(str).sort_values()
    return out, described_note(column, int(changed.sum()), example, len(shared),
                               shared.iloc[0] if len(shared) else None, apart,
                               apart_id("<id>", events_column, number), signs.files)


def described_note(column: str, moved: int, example: tuple[str, str] | None, shared: int, shared_example: str | None,
                   apart: int, written: str, files: list[str], whose: str = "this file's", twice: int = 0) -> str:
    """The note of customers keyed by the anonymous id (`described`, and the same read in place): how many rows now
    describe the one person who signed in on their browser or device (an example, the least), how many name a
    shared one (none of its people), how many a browser set apart (`written`: how such an id is written); `twice`:
    rows left out as naming a person another row names (read in place; an upload rejects them, each with its
    reason)."""
    named = ", ".join(repr(f) for f in files)
    said = ""
    if moved:
        anonymous, person = example
        said += (f"{money.counted(moved, 'row')} of {whose} {column!r} {'is' if moved == 1 else 'are'} a browser or "
                 f"device where one person signed in, in {named} (such as {anonymous!r}: {person!r}): "
                 f"{'its' if moved == 1 else 'their'} columns describe that person. ")
    if shared:
        said += (f"{money.counted(shared, 'row')} (such as {shared_example!r}) {'is' if shared == 1 else 'are'} a "
                 f"browser or device where several people signed in (shared): "
                 f"{'it describes' if shared == 1 else 'they describe'} none of them, only the visits there without "
                 "signing in. ")
    if apart:
        said += (f"{money.counted(apart, 'row')} where nobody signed in {'has' if apart == 1 else 'have'} the id of a "
                 f"person who did: written as {written!r}, a visitor of its own, as the events write it. ")
    if twice:
        said += (f"{money.counted(twice, 'row')} {'names' if twice == 1 else 'name'} a person another row names too "
                 "(one person on several browsers or devices): left out, the row of the least id kept. ")
    return said + f"To describe browsers and devices instead, choose none as the signed-in id of {named}."


def described_in_engine(backend, t, customers, column: str, name: str):
    """`described` for a customers table read in place beside events read with a signed-in id: (the table, each key
    the person who signed in on that browser or device when exactly one did, a browser set apart written as the
    events write it, a shared one as written, one row per customer (of several rows now naming one person, the one
    of the least key); the note, `described_note`), or (`customers`, None) when the table is not keyed by the
    anonymous id. `t`: stitched_expr's table (its _anon_id, _signed_id, _people, _person, _clash); `column`: its
    anonymous column; `name`: the events' name. Which id a key is, no column name tells here: the table is keyed by
    the anonymous id when more of its keys are browsers or devices than people (a key both is counted as neither)."""
    anon = t.filter(t._anon_id.notnull())
    devices = anon.group_by(_key=anon._anon_id).aggregate(_n=anon._people.max(), _one=anon._person.max())
    persons = t.filter(t._signed_id.notnull()).select(_p=t._signed_id).distinct()
    key = customers.customer_id
    device, person = key.isin(devices._key).fill_null(False), key.isin(persons._p).fill_null(False)
    seen = backend.execute(customers.aggregate(devices=(device & ~person).cast("int64").sum(),
                                               people=(person & ~device).cast("int64").sum())).iloc[0]
    if _count(seen["devices"]) <= _count(seen["people"]):
        return customers, None
    number = apart_number_in_engine(backend, t, column)
    j = customers.left_join(devices, customers.customer_id == devices._key)
    one = ibis.ifelse(j._n == 1, j._one, ibis.null("string"))
    apart = one.isnull() & j.customer_id.isin(persons._p).fill_null(False)
    now = ibis.coalesce(one, ibis.ifelse(apart, apart_id(j.customer_id, column, number), j.customer_id))
    j = j.mutate(_now=now, _moved=(one.notnull() & (one != j.customer_id)).fill_null(False), _apart=apart,
                 _shared=(j._n > 1).fill_null(False))
    counts = backend.execute(j.aggregate(moved=j._moved.cast("int64").sum(), apart=j._apart.cast("int64").sum(),
                                         shared=j._shared.cast("int64").sum(),
                                         first=j.customer_id.min(where=j._moved),
                                         person=j._now.argmin(j.customer_id, where=j._moved),
                                         shared_first=j.customer_id.min(where=j._shared),
                                         rows=j.count(), customers=j._now.nunique())).iloc[0]
    moved, shared, apart_rows = _count(counts["moved"]), _count(counts["shared"]), _count(counts["apart"])
    if not (moved or shared or apart_rows):
        return customers, None
    kept = j.mutate(_rank=ibis.row_number().over(group_by=j._now, order_by=j.customer_id))
    kept = kept.filter(kept._rank == 0)
    others = [c for c in customers.columns if c != "customer_id"]
    table = kept.select(customer_id=kept._now, **{c: kept[c] for c in others})
    said = described_note("customer_id", moved, (str(counts["first"]), str(counts["person"])) if moved else None,
                          shared, str(counts["shared_first"]) if shared else None, apart_rows,
                          apart_id("<id>", column, number), [name], whose="the customers table's",
                          twice=_count(counts["rows"]) - _count(counts["customers"]))
    return table, said
