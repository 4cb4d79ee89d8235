"""Reviews whose reviewer names no one person: an app store's placeholder name ("A Google user"), or a column
of display names ("Amit Kumar") in a review export.

`apart` makes each such review one respondent ("A Google user (row 12)") and says so in the file's report
(`report.notes`, `report.hidden_reviewers`; `report.names_apart` when every review of the file is apart).
"""

from __future__ import annotations

import pandas as pd

from cjm.data import money
from cjm.data.columns import normalise
from cjm.data.io.table import shortened


# What app stores and shops write for a reviewer who hid their name (Google Play in English, Indonesian, German,
# French, Spanish, Portuguese, Italian, Dutch, Turkish, Russian, Vietnamese, Japanese; Amazon): a placeholder.
HIDDEN_REVIEWER = frozenset({
    "a google user", "google user", "pengguna google", "ein google-nutzer", "un utilisateur de google",
    "un usuario de google", "um usuário do google", "un utente google", "een google-gebruiker",
    "bir google kullanıcısı", "пользователь google", "một người dùng google", "google ユーザー",
    "amazon customer", "kindle customer",  # Amazon's default name for a reviewer who set none
})

# Columns of a review export that hold the reviewer's name as the store shows it (google-play-scraper's
# 'userName', Trustpilot's 'Reviewer name', Google Business Profile's 'displayName'), normalised.
NAME_COLUMNS = frozenset({
    "username", "user_name", "name", "author", "author_name", "reviewer", "reviewer_name", "display_name",
    "customer_name", "reviewed_by", "nom", "nombre", "nome", "ユーザー名",
})
# The columns of NAME_COLUMNS a CRM or a survey tool names its contacts by as well: a review export only when the
# file says it holds reviews (`review_export`), else each name is one contact.
CONTACT_NAMES = frozenset({"name", "customer_name", "nom", "nombre", "nome"})
SPACED_SHARE = 0.5  # display names have a first and last name; handles (@jnardino) and emails never a space
# A full name in a script written without a space between family and given name (Chinese 王小明, Japanese 田中太郎,
# Korean 김민수; a transliteration's middle dot 约翰·史密斯): a display name too, as "Amit Kumar" is. Handles are
# written in ASCII letters and digits.
_FULL_NAME = r"\S\s+\S|^[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u00b7\u30fb]{2,}$"


# Columns only google-play-scraper writes (its 'thumbsUpCount', 'reviewCreatedVersion'): a Google Play export, whose
# every review is one account's whatever name the account shows ("Sarah", "Mike", "😎").
PLAY_COLUMNS = frozenset({"thumbs_up_count", "review_created_version"})


# Words that say a file or a column holds reviews (a file 'reviews.csv', Trustpilot's 'Review Stars', Amazon's
# 'reviewText', google-play-scraper's 'reviewId'), normalised, in English, German, French, Spanish, Italian,
# Portuguese, Russian and Arabic.
REVIEW_WORDS = frozenset({
    "review", "reviews", "reviewed", "reviewer", "reviewers", "rezension", "rezensionen", "avis", "resena", "reseña",
    "resenas", "reseñas", "recensione", "recensioni", "avaliacao", "avaliação", "avaliacoes", "avaliações", "отзыв",
    "отзывы", "مراجعة", "مراجعات",
})


def review_export(name: str, columns, mapping) -> bool:
    """Whether every row of a file is one review (a review export: what the KPI 'Reviews received' counts): the
    file has no event column, so each row is one touchpoint, and is read one row per touchpoint (not wide), with a
    score or a comment and no money (`default_event_name`'s 'feedback'); and its name or one of its columns' says
    review ('reviews.csv', 'Review Stars', 'reviewText'), or it is a Google Play export (`PLAY_COLUMNS`). A survey's
    answers or tweets to a brand ('airline_tweets.csv': name, text, tweet_created) are feedback, not reviews."""
    cols = mapping.columns
    if "event" in cols or "revenue" in cols or mapping.revenue_from or mapping.shape == "wide" or not (
            {"score", "text"} & cols.keys()):
        return False
    stem = str(name).rsplit("/", 1)[-1].split(".", 1)[0]
    words = {w for c in [stem, *map(str, columns)] for w in normalise(c).split("_")}
    return bool(words & REVIEW_WORDS or PLAY_COLUMNS & {normalise(str(c)) for c in columns})


def display_names(ids: pd.Series, column: str, columns=()) -> bool:
    """Whether a review export's id column holds display names, which many people share: its name says it is a
    name and at least half of its names (each once, placeholders aside) are two words or more ("Amit Kumar") or a
    full name in a script written without spaces ("王小明"); or the file is a Google Play export (`PLAY_COLUMNS`
    among `columns`, the file's), whatever its names. A handle or an account id ("jnardino", "u123") does name one
    person and is left alone."""
    if normalise(column) not in NAME_COLUMNS:
        return False
    if PLAY_COLUMNS & {normalise(c) for c in columns}:
        return True
    names = pd.Series(ids.dropna().str.strip().unique(), dtype="string")
    names = names[(names != "") & ~names.str.lower().isin(HIDDEN_REVIEWER)]  # each name once, placeholders aside
    return len(names) > 0 and names.str.contains(_FULL_NAME).mean() >= SPACED_SHARE


# A review's own id in a review export (google-play-scraper's 'reviewId', Trustpilot's 'Review ID'), normalised: one
# review per id, whatever file holds it (two monthly exports that overlap hold some reviews twice).
REVIEW_ID_COLUMNS = frozenset({"review_id", "review_uuid"})


def review_id_column(columns) -> str | None:
    """The review export's column of review ids, if it has one."""
    return next((c for c in columns if normalise(str(c)) in REVIEW_ID_COLUMNS), None)


def apart(ids: pd.Series, lines: pd.Series, report, *, names_column: str | None = None, columns=()) -> pd.Series:
    """Ids with each review by a hidden reviewer ("A Google user") made one respondent of its own: thousands of
    reviews by the placeholder are thousands of people, not one customer with thousands of events.

    names_column: the id column of a review export; when it holds display names (`display_names`) every review
    is one respondent ("Amit Kumar (row 12)"; "row 12" when the name is empty): Google Play keeps one review per
    account and app, and eight reviews signed "Amit Kumar" are eight people. columns: the file's (`display_names`)."""
    if (names_column is not None and normalise(names_column) in CONTACT_NAMES
            and not review_export(report.name, columns, report.mapping)):
        names_column = None  # a CRM's contacts by 'Name' (its quarterly survey): its records, no app store's reviewers
    if names_column is not None and display_names(ids, names_column, columns):
        return _every_review_apart(ids, lines, report, names_column)
    hidden = ids.str.lower().isin(HIDDEN_REVIEWER).fillna(False).to_numpy(dtype=bool)
    if not hidden.any():
        return ids
    report.hidden_reviewers = int(hidden.sum())
    placeholders = " or ".join(repr(p) for p in pd.unique(ids[hidden])[:3])
    ids = ids.copy()
    ids[hidden] = ids[hidden] + " (row " + lines[hidden].astype("string") + ")"
    report.notes.append(f"{money.counted(int(hidden.sum()), 'row')} by {placeholders} (what the store writes for a "
                        "reviewer who hid their name) are each one respondent, not one customer.")
    return ids


def _every_review_apart(ids: pd.Series, lines: pd.Series, report, column: str) -> pd.Series:
    report.hidden_reviewers = len(ids)
    report.names_apart = True  # the note is said by `names_note`, on the reviews kept
    row = "row " + lines.astype("string")
    named = ids.str.strip()
    named = named.where(named != "")
    return (named + " (" + row + ")").fillna(row).astype("string")


def names_note(ids: pd.Series, column: str) -> str:
    """The Data page's words on a review export keyed by display names (`apart` made every review one reviewer),
    counted on the reviews kept (ids as written, of the rows not set aside: a duplicate row or an undated review
    signs nothing). A name is compared without case and spaces around it ("amit kumar " is "Amit Kumar"); the
    store's placeholder ("A Google user") is no name people share, and is said apart."""
    written = ids.str.strip()
    key = written.str.lower()
    hidden = key.isin(HIDDEN_REVIEWER).fillna(False)
    signed = key.notna() & (key != "") & ~hidden
    counts = key[signed].value_counts(sort=False)
    shared = counts[counts > 1]
    top = first = None
    if len(shared):
        top = shared[shared == shared.max()].index[0]  # the most shared name, the first of a tie as written first
        first = written[signed & (key == top)].iloc[0]
    return names_sentence(column, int(shared.sum()), int(shared.max()) if len(shared) else 0, first,
                          int(hidden.sum()), list(pd.unique(written[hidden])[:3]))


def names_sentence(column: str, shared: int, most: int, first: str | None, hidden: int, placeholders: list) -> str:
    """`names_note`'s words from its counts: `shared` reviews share a name with another, the most shared name
    (`first`, as first written) signs `most`; `hidden` reviews are by the store's placeholders (their first three
    spellings)."""
    said = ""
    if shared:
        example = f" ({shortened(first)!r} signs {money.counted(most, 'review')})"  # a cell may be 200,000 characters
        said = f"{money.counted(shared, 'review')} share a name with another{example}, and people share names. "
    if hidden:
        named = " or ".join(repr(shortened(p)) for p in placeholders)
        each = "is one reviewer" if hidden == 1 else "are each one reviewer"
        said += (f"{money.counted(hidden, 'review')} by {named} (what the store writes for a "
                 f"reviewer who hid their name) {each} too. ")
    return (f"{column!r} holds the names reviewers show, not ids: {said}Each review is one reviewer (an app store "
            "keeps one review per account and app), named by its row. Map an id column on the Data page if the file "
            "has one.")


def customers_note(files: list[str], column: str) -> str:
    """The note of a customers file that joins no one, read beside review exports keyed by display names (`apart`):
    their reviewers are each one review, so no customer can be told among them."""
    named = ", ".join(repr(f) for f in files)
    return (f"No customer of this file has an event: the reviews of {named} are each one reviewer, as the names "
            f"reviewers show name no one person ('Amit Kumar' signs reviews of several people), so no customer of "
            f"{column!r} can be told among them. Its columns reach no reviewer (segments, personas). Map an id column "
            "of the review export that this file writes too (an e-mail, a customer id) on the Data page, if it has one.")

