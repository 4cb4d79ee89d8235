"""Reviews by a hidden reviewer: an app store's placeholder name ("A Google user") is no one person.

`apart` makes each such review one respondent ("A Google user (row 12)") and says so in the file's report
(`report.notes`, `report.hidden_reviewers`).
"""

from __future__ import annotations

import pandas as pd

from cjm.data import money


# What app stores and shops write for a reviewer who hid their name (Google Play in English, Indonesian, German,
# French, Spanish, Portuguese, Italian, Dutch, Turkish, Russian, Vietnamese, Japanese; Amazon): a placeholder.
HIDDEN_REVIEWER = frozenset({
    "a google user", "google user", "pengguna google", "ein google-nutzer", "un utilisateur de google",
    "un usuario de google", "um usuário do google", "un utente google", "een google-gebruiker",
    "bir google kullanıcısı", "пользователь google", "một người dùng google", "google ユーザー",
    "amazon customer", "kindle customer",  # Amazon's default name for a reviewer who set none
})


def apart(ids: pd.Series, lines: pd.Series, report) -> pd.Series:
    """Ids with each review by a hidden reviewer ("A Google user") made one respondent of its own: thousands of
    reviews by the placeholder are thousands of people, not one customer with thousands of events."""
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
