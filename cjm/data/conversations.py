"""A conversation export: one row per message, the customers' and the company's alike, and a column saying which
messages came in (Kaggle's "Customer Support on Twitter" twcs.csv: inbound True / False, author_id, tweet_id,
in_response_to_tweet_id; a help desk's or chat tool's messages: direction inbound / outbound).

The rule: the customer is the author of the inbound messages; a company reply (not inbound) belongs to the customer
of the message it answers (followed up a chain of replies), is the event 'support reply' (a follow-up, never a support
contact of its own), and its words are the company's, not the customer's voice: they are kept as the attribute
'reply_text', never scored for sentiment nor read for pain points (nor is a score on that row). A reply that answers
no customer's message in the file is set aside ("company reply to no customer message in the file"). A company row
with no words (Intercom's 'assignment' or 'close' of a conversation: nothing was written to the customer) is no reply:
set aside too (WORDLESS), when the file has a text column to tell and no event column names its rows; so is the
company's internal note (a message type column, Intercom's "message_type", saying 'note': words for the team, never
sent to the customer: INTERNAL_NOTE).

Imports only cjm.data.cells and cjm.errors: cjm.data.columns asks it which columns hold the conversation (`detect`),
cjm.data.dataset applies it to a file's rows (`apply`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjm.data.cells import to_id_strings
from cjm.errors import MappingError

# Column names (normalised, as cjm.data.columns.normalise writes them), best first.
INBOUND_NAMES = ("inbound", "is_inbound", "incoming", "is_incoming", "from_customer", "direction",
                 "message_direction",
                 # who wrote each message, by kind: Intercom's conversations export ("message_author_type": user,
                 # lead, admin, bot)
                 "message_author_type", "author_type", "sender_type")
AUTHOR_NAMES = ("author_id", "author", "sender_id", "sender", "from_id", "from", "from_user", "user_screen_name",
                "message_author_email", "author_email", "sender_email")
# The conversation each message belongs to (Intercom's "conversation_id"): a company reply is the customer's whose
# messages the conversation holds, when no column links a reply to the message it answers.
THREAD_NAMES = ("conversation_id", "thread_id", "chat_id")
MESSAGE_ID_NAMES = ("tweet_id", "message_id", "status_id", "comment_id", "post_id", "id")
REPLY_TO_NAMES = ("in_response_to_tweet_id", "in_response_to", "in_response_to_id", "in_reply_to",
                  "in_reply_to_id", "in_reply_to_status_id", "in_reply_to_message_id", "reply_to", "reply_to_id",
                  "parent_id", "parent_message_id")
# What a cell of the inbound column says: the customer wrote it (True) or the company did (False).
CAME_IN = {"true": True, "t": True, "yes": True, "y": True, "1": True, "inbound": True, "incoming": True,
           "in": True, "received": True,
           "false": False, "f": False, "no": False, "n": False, "0": False, "outbound": False, "outgoing": False,
           "out": False, "sent": False,
           # an author's kind (Intercom: a signed-in user, a lead, or the company's admin or bot)
           "user": True, "lead": True, "contact": True, "customer": True, "visitor": True,
           "admin": False, "bot": False, "agent": False, "teammate": False, "operator": False}
REPLY_EVENT = "support reply"
REPLY_TEXT = "reply_text"
UNANSWERED = "company reply to no customer message in the file"
WORDLESS = "company row with no words (an assignment or a close of the conversation: no reply to the customer)"
INTERNAL_NOTE = "company's internal note (never sent to the customer: no reply)"
# A column naming each message's kind (Intercom's "message_type": conversation_message, comment, note, assignment,
# close, ...), and the kinds that are the team's notes to itself
MESSAGE_TYPE_NAMES = ("message_type", "part_type", "conversation_part_type", "message_kind")
NOTE_TYPES = {"note", "internal_note", "note_and_reopen", "private_note"}
MAX_CHAIN = 20  # replies to replies followed back this far to the customer's message


def came_in(values: pd.Series) -> pd.Series:
    """True where the customer wrote the message, False where the company did, missing where the cell says neither."""
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean")
    text = values.astype("string").str.strip().str.lower()
    return text.map(CAME_IN, na_action="ignore").astype("boolean")


def detect(frame: pd.DataFrame, names: dict) -> dict[str, str] | None:
    """{"inbound": column, "author": column, "message_id": column, "reply_to": column} of a conversation export,
    from `names` (column -> normalised name, of the columns not taken yet), or None. An inbound column whose filled
    cells all read as in / out, and an author column, are needed; the message id and reply links are optional."""
    def first(candidates) -> str | None:
        ranked = sorted((candidates.index(n), i, c) for i, (c, n) in enumerate(names.items()) if n in candidates)
        return ranked[0][2] if ranked else None

    inbound, author = first(INBOUND_NAMES), first(AUTHOR_NAMES)
    if inbound is None or author is None:
        return None
    cells = frame[inbound].iloc[:5000]
    read = came_in(cells)
    if not cells.notna().any() or read.notna().sum() < cells.notna().sum():
        return None
    found = {"inbound": inbound, "author": author}
    message_id, reply_to = first(MESSAGE_ID_NAMES), first(REPLY_TO_NAMES)
    if message_id is not None and reply_to is not None:
        found |= {"message_id": message_id, "reply_to": reply_to}
    elif (thread := first(THREAD_NAMES)) is not None:
        found["thread"] = thread
    return found


def apply(frame: pd.DataFrame, out: pd.DataFrame, conversation: dict, *, customer_column: str | None,
          event_column: bool, notes: list[str]) -> tuple[pd.Series, pd.Series]:
    """Make `out` (the file's rows in canonical columns) read the conversation's way (see the module's rule); the
    rows to set aside as UNANSWERED (a boolean mask) and as no reply at all (the reason of each, WORDLESS or
    INTERNAL_NOTE, None elsewhere). `customer_column`: the column the customer ids came from
    (the author's, unless the user mapped another); `event_column`: whether a column names the events."""
    missing = [c for c in conversation.values() if c not in frame.columns]
    if missing:
        raise MappingError(f"The mapping reads a conversation from column(s) {missing}, which this file does not have. "
                           f"Its columns are {list(frame.columns)[:30]}. Choose them again on the Data page.")
    inbound = came_in(frame[conversation["inbound"]]).fillna(True).to_numpy(dtype=bool)  # unsaid: the customer's
    # the company's rows with no words (an assignment, a close): no reply, set aside when a text column can tell and
    # no event column names them otherwise (then each keeps its name: the analyst's 'close' is no 'support reply')
    wordless = ~inbound & (out["text"].isna().to_numpy(dtype=bool) if "text" in out and not event_column else False)
    # the team's internal notes (a message type 'note'): words never sent to the customer, no reply either
    kind = next((c for c in frame.columns if str(c).strip().lower().replace(" ", "_") in MESSAGE_TYPE_NAMES), None)
    noted = ~inbound & ~wordless & (frame[kind].astype("string").str.strip().str.lower().isin(NOTE_TYPES)
                                    .fillna(False).to_numpy(dtype=bool) if kind is not None and not event_column
                                    else False)
    wordless = wordless | noted  # set aside as no reply (the reason told apart below)
    replies = ~inbound & ~wordless
    unanswered = pd.Series(False, index=frame.index)
    if not (~inbound).any():
        return unanswered, pd.Series(None, index=frame.index, dtype=object)
    authored = customer_column == conversation["author"]
    if authored:  # the author is the customer only of the messages that came in: a reply is its answer's customer
        out["customer_id"] = _customers_answered(frame, out["customer_id"], inbound, conversation)
        unanswered = pd.Series(replies & out["customer_id"].isna().to_numpy(dtype=bool), index=frame.index)
    if "text" in out:
        reply_text = out["text"].where(replies)
        if reply_text.notna().any() and REPLY_TEXT not in frame.columns:
            out[REPLY_TEXT] = reply_text.astype("string")
        out["text"] = out["text"].where(inbound)
    if "score" in out:
        out["score"] = out["score"].where(inbound)
    if not event_column:
        out["event"] = out["event"].where(inbound, REPLY_EVENT).astype("string")
    notes.append(_note(frame, conversation, replies, int(unanswered.sum()), authored,
                       wordless=int((wordless & ~noted).sum()), noted=int(np.sum(noted))))
    return unanswered, pd.Series(np.where(noted, INTERNAL_NOTE, np.where(wordless, WORDLESS, None)), index=frame.index)


def _note(frame: pd.DataFrame, conversation: dict, replies: np.ndarray, unanswered: int, authored: bool, *,
          wordless: int = 0, noted: int = 0) -> str:
    """What the Data page says: how many rows were the company's replies, and what was done with them."""
    writers = ", ".join(repr(str(a)) for a in pd.unique(frame.loc[replies, conversation["author"]].dropna())[:3])
    link = f" ({conversation['reply_to']!r})" if "reply_to" in conversation else ""
    kept = int(replies.sum()) - unanswered
    parts = [f"Conversation export: {_count(int(replies.sum()), 'row')} of {len(frame):,} are the company's replies "
             f"({conversation['inbound']!r} says they did not come in; written by {writers or 'the company'})."]
    if wordless:
        parts.append(f"{_count(wordless, 'row')} of the company with no words (an assignment or a close of the "
                     f"conversation) {'is' if wordless == 1 else 'are'} no reply to the customer: set aside.")
    if noted:
        parts.append(f"{_count(noted, 'internal note')} of the team (never sent to the customer) "
                     f"{'is' if noted == 1 else 'are'} no reply either: set aside.")
    if authored:
        parts.append(f"The customer is the author of the inbound messages ({conversation['author']!r}), and "
                     f"{_count(kept, 'reply')} {'is a' if kept == 1 else 'are'} {REPLY_EVENT!r} "
                     f"event{'' if kept == 1 else 's'} of the customer whose message {'it answers' if kept == 1 else 'they answer'}"
                     f"{link}.")
        if unanswered:
            parts.append(f"{_count(unanswered, 'reply')} answering no customer message in the file "
                         f"{'is' if unanswered == 1 else 'are'} set aside.")
    else:
        parts.append(f"Each reply is a {REPLY_EVENT!r} event of the customer its row names.")
    parts.append(f"The replies' words are the company's, not the customer's: kept in {REPLY_TEXT!r}, not scored for "
                 "sentiment, not read for pain points.")
    return " ".join(parts)


def _customers_answered(frame: pd.DataFrame, authors: pd.Series, inbound: np.ndarray, conversation: dict) -> pd.Series:
    """Each message's customer: its author when it came in; else the customer of the message it answers, followed
    back through replies to replies (at most MAX_CHAIN); missing when no customer's message is found."""
    owner = authors.where(inbound)
    if "thread" in conversation:  # the customer whose messages the conversation holds, when it holds one's only
        threads = to_id_strings(frame[conversation["thread"]])
        theirs = pd.DataFrame({"thread": threads, "owner": owner}).dropna().drop_duplicates()
        one = theirs.groupby("thread")["owner"].agg(["first", "size"])
        return owner.fillna(threads.map(one.loc[one["size"].eq(1), "first"]).where(~inbound)).astype("string")
    if "message_id" not in conversation:
        return owner
    ids, answers = _message_ids(frame[conversation["message_id"]]), _message_ids(frame[conversation["reply_to"]])
    first = ~ids.duplicated() & ids.notna()
    for _ in range(MAX_CHAIN):
        by_message = pd.Series(owner[first].to_numpy(), index=ids[first].to_numpy())
        found = owner.fillna(answers.map(by_message).where(~inbound))
        if found.isna().sum() == owner.isna().sum():
            break
        owner = found
    return owner.astype("string")


def _message_ids(values: pd.Series) -> pd.Series:
    """Message ids as text, a whole number written with ".0" read as that number: a column of ids with blanks that
    pandas saved as floats writes 3.0 for the message 3 (Kaggle's twcs.csv samples)."""
    return to_id_strings(values).str.replace(r"^(\d+)\.0+$", r"\1", regex=True)


def _count(n: int, noun: str) -> str:
    """"1 row", "2 rows", "1 reply", "2 replies"."""
    return f"{n:,} {noun if n == 1 else {'reply': 'replies'}.get(noun, noun + 's')}"
