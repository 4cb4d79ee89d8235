"""A CRM's deals pipeline in one row per deal (Salesforce opportunities, HubSpot and Pipedrive deals, Maven's
CRM sales pipeline): the deal's stage says how its close date ended.

A wide export with a close date column ("close_date", "Close Date", "closedate") and a deal stage column
holding won / lost values ("Won", "Closed Won", "closedwon", "Lost", "Closed Lost") names each deal's close
event after its outcome: "deal won" (conversion) or "deal lost", never one "close" event for both. A won deal's
value counts on the day it was won (cjm.data.money.record_values_once), not on the day the deal began. An open
deal's close date (a forecast while it is open) keeps its column's name. A won or lost deal whose close date is
empty is closed on its latest known date (undated_closes).

A long export whose rows are deal stages (a stage history: one row per stage a deal entered, its amount on each;
or a deal list with one date) reads its deal stage column as the event (stage_event_column), and a deal's amount
is revenue once, on its first won row (history_money).
"""

from __future__ import annotations

import pandas as pd

from cjm.data.columns import normalise

# A stage numbered in the pipeline ("6 - Closed Won", "Stage 7: Closed Lost"), a reason after it in brackets
# ("Closed Lost (No Decision)"), closed and won written with a slash ("Closed/Won").
_NUMBERED, _REASON, _SEP = r"(?:(?:stage\s*)?\d+\s*[-.:)]?\s*)?", r"(?:\s*\(.*\))?", r"[\s_/-]*"
WON = _NUMBERED + rf"(?:(?:closed?{_SEP}|deal{_SEP})?won|gewonnen|gagn[ée]e?|ganad[oa]|ganho|vinto)" + _REASON
LOST = _NUMBERED + rf"(?:(?:closed?{_SEP}|deal{_SEP})?lost|verloren|perdue?|perdid[oa]|perdido|pers[oa])" + _REASON
STAGE_NAMES = {"deal_stage", "dealstage", "stage", "stage_name", "stagename", "deal_status", "status",
               "opportunity_stage", "pipeline_stage", "outcome", "result"}
# A flag saying the deal was won (Salesforce's "Won" / IsWon, HubSpot's "Is Closed Won"), and one saying it is closed.
WON_FLAGS = {"won", "is_won", "iswon", "closed_won", "is_closed_won", "hs_is_closed_won"}
CLOSED_FLAGS = {"closed", "is_closed", "isclosed", "hs_is_closed"}
TRUE, FALSE = r"true|yes|y|1(?:\.0)?|x", r"false|no|n|0(?:\.0)?"
CLOSE_WORDS = {"close", "closed", "closing", "closedate"}
# An order's, a payment's, a shipment's or a ticket's status: beside one, "lost" is a parcel lost in transit and "won"
# a dispute won, not a deal (a deal's open stages are Prospecting, Negotiation, Contract Sent, open ...).
NOT_DEAL = (r"(?:partially[\s_-]*)?(?:delivered|shipped|in[\s_-]*transit|out[\s_-]*for[\s_-]*delivery|paid|unpaid|"
            r"pending|processing|completed?|fulfilled|unfulfilled|refunded|cancell?ed|returned|failed|declined|"
            r"authori[sz]ed|captured|voided|solved|resolved|closed|on[\s_-]*hold)")


# Words of a column dating a stage rather than the deal's close (HubSpot's 'Date entered "Closed Won (Sales Pipeline)"').
STAGE_DATE_WORDS = {"won", "lost", "entered", "exited", "stage", "pipeline"}


def outcome_date(column: str) -> bool:
    """A date column of one outcome (Pipedrive's "Won time", "Lost time"; HubSpot's 'Date entered "Closed Won"'):
    beside the close column it dates the same moment the close's 'deal won' / 'deal lost' already does."""
    return bool(set(normalise(column).split("_")) & {"won", "lost"})


def close_column(events: list[str]) -> str | None:
    """The wide export's close date column, if it has one: "Close Date" before a column dating when a deal entered a
    closed stage (HubSpot writes one per closed stage: only won deals fill "Closed Won"'s)."""
    named = [c for c in events if set(normalise(c).split("_")) & CLOSE_WORDS]
    plain = [c for c in named if not set(normalise(c).split("_")) & STAGE_DATE_WORDS]
    return (plain or named or [None])[0]


def outcomes(frame: pd.DataFrame, taken: set[str]) -> pd.Series | None:
    """Per row "won", "lost" or missing (open), from the first deal stage column that names at least one won or lost
    deal and holds no order, payment, shipment or ticket status (NOT_DEAL), else from a won flag (IsWon true /
    false, Won yes / no); None when there is neither."""
    for column in frame.columns:
        if column in taken or normalise(str(column)) not in STAGE_NAMES:
            continue
        out = stage_outcomes(frame[column])
        if out is not None:
            return out
    return _flagged(frame, taken)


def stage_outcomes(stages: pd.Series) -> pd.Series | None:
    """Per row "won", "lost" or missing (open) of one deal stage column; None when it names no won or lost deal or
    holds an order, payment, shipment or ticket status (NOT_DEAL)."""
    values = stages.astype("string").str.strip().str.lower()
    won = values.str.fullmatch(WON).fillna(False)
    lost = values.str.fullmatch(LOST).fillna(False)
    if not (won.any() or lost.any()) or values.str.fullmatch(NOT_DEAL).fillna(False).any():
        return None
    out = pd.Series(pd.NA, index=stages.index, dtype="string")
    out[won] = "won"
    out[lost] = "lost"
    return out


def _flag(frame: pd.DataFrame, taken: set[str], names: set[str]) -> pd.Series | None:
    """A yes / no column named one of `names`: True, False or missing per row."""
    for column in frame.columns:
        if column in taken or normalise(str(column)) not in names:
            continue
        values = frame[column].astype("string").str.strip().str.lower()
        yes, no = values.str.fullmatch(TRUE).fillna(False), values.str.fullmatch(FALSE).fillna(False)
        if yes.any() and (yes | no | values.isna()).all():
            return pd.Series(pd.NA, index=frame.index, dtype="boolean").mask(yes, True).mask(no, False)
    return None


def _flagged(frame: pd.DataFrame, taken: set[str]) -> pd.Series | None:
    """Outcomes from a won flag when there is no deal stage column: a won deal is won; one not won is lost when a
    closed flag says it is closed, else open (without one, a lost deal cannot be told from an open one)."""
    won = _flag(frame, taken, WON_FLAGS)
    if won is None:
        return None
    closed = _flag(frame, taken, CLOSED_FLAGS)
    out = pd.Series(pd.NA, index=frame.index, dtype="string")
    out[won.eq(True).fillna(False)] = "won"
    if closed is not None:
        out[(won.eq(False) & closed.eq(True)).fillna(False)] = "lost"
    return out


# A deal's own id (Pipedrive's "Deal - ID", Salesforce's "Opportunity ID", HubSpot's "Record ID" is any record's).
DEAL_ID_NAMES = {"deal_id", "dealid", "deal", "deal_number", "opportunity_id", "opportunityid", "opportunity",
                 "opportunity_number"}


def deal_column(frame: pd.DataFrame, taken: set[str]) -> str | None:
    """The column naming each row's deal, if the export has one."""
    return next((c for c in frame.columns if c not in taken and normalise(str(c)) in DEAL_ID_NAMES), None)


def undated_closes(outcome: pd.Series, stamps: pd.DataFrame, close: str) -> tuple[pd.Series, pd.Series]:
    """(date, column it comes from) of each won or lost deal whose `close` date is empty: its latest known date
    among its filled date columns (`stamps`, one per column), the last thing known to have happened to it; missing
    for every other deal (open, or dated by its close)."""
    undated = outcome.notna() & stamps[close].isna() & stamps.notna().any(axis=1)
    latest = pd.Series(pd.NaT, index=stamps.index, dtype=stamps[close].dtype)
    column = pd.Series(pd.NA, index=stamps.index, dtype="string")
    if undated.any():
        dated = stamps.loc[undated]
        latest[undated] = dated.max(axis=1)
        # the first column holding that latest date (columns in the export's order)
        column[undated] = dated.eq(latest[undated], axis=0).idxmax(axis=1).astype("string")
    return latest, column


def stage_event_column(frame: pd.DataFrame, columns: dict[str, str]) -> str | None:
    """A long export with a customer id, a date and no event column whose deal stage column (STAGE_NAMES) names won
    or lost deals: that column is its event (the stage each row's deal entered), not one 'purchase' a row. Without
    a date it stays an attribute (an accounts list with its status is a customers file)."""
    if "event" in columns or "customer_id" not in columns or "timestamp" not in columns:
        return None
    taken = set(columns.values())
    for column in frame.columns:
        if column not in taken and normalise(str(column)) in STAGE_NAMES and stage_outcomes(frame[column]) is not None:
            return column
    return None


def history_money(frame: pd.DataFrame, out: pd.DataFrame, event_column: str | None, taken: set[str],
                  kept: pd.Series) -> str | None:
    """In a long export whose event column is a deal stage (STAGE_NAMES, naming won or lost deals), a deal's amount
    is revenue once, on its first won row (by time, then row; a deal is a value of its deal id column, else each row
    is a deal of its own); every other row's amount (an earlier stage's, a lost or open deal's) counts none.
    Sets `out`'s revenue in place; returns the note saying so, or None when the rule does not apply.
    `kept`: the rows the load keeps (only those can carry the money)."""
    if event_column is None or "revenue" not in out or normalise(str(event_column)) not in STAGE_NAMES:
        return None
    outcome = stage_outcomes(frame[event_column])
    if outcome is None:
        return None
    deal = deal_column(frame, taken | {event_column})
    won = outcome.eq("won").fillna(False) & kept & out["timestamp"].notna()
    keys = (frame[deal].astype("string").str.strip() if deal else
            pd.Series(range(len(frame)), index=frame.index).astype("string"))
    order = out.loc[won].assign(_deal=keys[won]).sort_values(["timestamp"], kind="stable")
    first = order.index[~order["_deal"].duplicated() | order["_deal"].isna()]
    money = out["revenue"].notna()
    out.loc[money & ~out.index.isin(first), "revenue"] = 0.0
    n_won, n_rows = len(first), int((money & kept).sum())
    per_deal = f"once per {deal!r}, on its first won row" if deal else "on its row"
    return (f"Deal stages: {event_column!r} is each row's event (the stage its deal entered); only won deals' amounts "
            f"are revenue, {per_deal} ({n_won:,} won deal{'' if n_won == 1 else 's'}), so the amounts written on "
            f"the other {max(n_rows - n_won, 0):,} rows (earlier stages, lost and open deals) count none.")
