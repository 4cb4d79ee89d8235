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

from cjm.data.cells import yes_no
from cjm.data.names import normalise

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
        flags = yes_no(frame[column])  # cjm.data.cells: TRUE/FALSE, yes/no, 1/0 ...
        if flags is not None and flags.eq(True).any():
            return flags
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


# Else its name (HubSpot's "Deal Name", Salesforce's "Opportunity Name", Pipedrive's "Deal - Title"): one deal of
# its account (two accounts' deals may share a name).
DEAL_NAME_NAMES = {"deal_name", "dealname", "deal_title", "opportunity_name", "opportunityname"}


def deal_column(frame: pd.DataFrame, taken: set[str]) -> str | None:
    """The column naming each row's deal, if the export has one: its id, else its name."""
    free = [c for c in frame.columns if c not in taken]
    return next((c for names in (DEAL_ID_NAMES, DEAL_NAME_NAMES) for c in free if normalise(str(c)) in names), None)


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
    """In a long export whose event column is a deal stage (STAGE_NAMES, naming won or lost deals), a deal whose
    latest outcome is won (its latest won or lost row) is revenue once: its latest amount written while won (a
    history writes the amount on each row; one raised while won is the deal's worth), on its first won row, the day
    it was won. Rows are ordered by time, then row; at one time a won or lost row follows the open stages. A deal is
    a value of its deal id column, else of its name within its account, else each row is a deal of its own. Every
    other row's amount counts none: an earlier stage's, a lost or open deal's, a deal's won, reopened and lost in the
    end. A stage after a win with no outcome (reopened, or a post-sale "Onboarding") takes nothing back.
    Sets `out`'s revenue in place; returns the note saying so, or None when the rule does not apply.
    `kept`: the rows the load keeps (only those can carry the money)."""
    if event_column is None or "revenue" not in out or normalise(str(event_column)) not in STAGE_NAMES:
        return None
    outcome = stage_outcomes(frame[event_column])
    if outcome is None:
        return None
    deal = deal_column(frame, taken | {event_column})
    dated = kept & out["timestamp"].notna()
    keys = frame[deal].astype("string").str.strip() if deal else pd.Series(pd.NA, index=frame.index, dtype="string")
    # a deal of its account (a name may be two accounts'); no id nor name: a deal of its own
    keys = (out["customer_id"].astype("string") + "\0" + keys).fillna(
        "\0row " + pd.Series(frame.index.astype(str), index=frame.index))
    # by time; on one day a deal's won or lost row comes after its open stages (a report listing the newest first)
    history = (out.loc[dated, ["timestamp", "revenue"]]
               .assign(_deal=keys[dated], _won=outcome[dated].eq("won").fillna(False), _ended=outcome[dated].notna())
               .sort_values(["timestamp", "_ended"], kind="stable"))
    ends = history[history["_ended"]]
    latest_won = ends.groupby("_deal", sort=False)["_won"].last()  # its latest won or lost row is a won one
    wins = history[history["_won"] & history["_deal"].map(latest_won).fillna(False).astype(bool)]
    first = wins.groupby("_deal", sort=False).head(1)
    worth = wins.groupby("_deal", sort=False)["revenue"].last()  # the latest amount written while won
    money = out["revenue"].notna()
    out.loc[money, "revenue"] = 0.0
    out.loc[first.index, "revenue"] = first["_deal"].map(worth).to_numpy(dtype=float)
    n_won, n_rows = len(first), int((money & kept).sum())
    per_deal = (f"once per {deal!r}, its latest amount on its first won row, unless it was lost in the end" if deal
                else "on its row")
    return (f"Deal stages: {event_column!r} is each row's event (the stage its deal entered); only won deals' amounts "
            f"are revenue, {per_deal} ({n_won:,} won deal{'' if n_won == 1 else 's'}), so the amounts written on "
            f"the other {max(n_rows - n_won, 0):,} rows (earlier stages, lost and open deals, deals reopened and lost) "
            "count none.")
