"""Files read in place: identifiers and text are cleaned in the engine exactly as the mapping promises
(trimmed, empty is missing, the missing-value tokens are missing, nothing else is)."""

from __future__ import annotations

import pandas as pd

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.source import MISSING_TOKENS, dataset_from_files


def test_ids_and_events_are_trimmed_and_only_whole_missing_tokens_count_as_missing(tmp_path):
    ids = [" c1 ", "N/A", "", "nan", "NULL", "None-of-these", "NAN", "?", "c2\t", "  "]
    events = ["view ", "view", "view", "view", "view", "buy", " - ", "view", "buy", "view"]
    frame = pd.DataFrame({"who": ids, "when": pd.date_range("2024-01-01", periods=10, freq="h", tz="UTC"),
                          "what": events, "where": [" web", "", "app", None, "web", "web ", "-", "x", "y", "z"]})
    path = tmp_path / "events.parquet"
    frame.to_parquet(path)
    mapping = ColumnMapping(columns={"customer_id": "who", "timestamp": "when", "event": "what", "channel": "where"})
    dataset = dataset_from_files(path, mapping=mapping)
    # N/A, "", nan, NULL, ? and the blank id are missing; "NAN" (not a token) and "None-of-these" are ids
    assert dataset.accounting.reasons == {"missing customer id": 6, "missing event": 1}
    used = engine.execute(dataset.events.order_by("row_id").select("customer_id", "event", "channel"))
    assert used["customer_id"].tolist() == ["c1", "None-of-these", "c2"]
    assert used["event"].tolist() == ["view", "buy", "buy"]
    # text columns are trimmed and empty is missing, but a token is kept as text ("-" is a value there)
    assert used["channel"].tolist() == ["web", "web", "y"]
    assert "NAN" not in MISSING_TOKENS and "nan" in MISSING_TOKENS
