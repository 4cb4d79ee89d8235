"""A CSV read in place gives the figures its upload gives: tweet times with a spaced offset, sentiment labels and star
words as scores, and events at one moment in the file's order. Expected figures are worked out by hand beside them."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.source import dataset_from_files
from cjm.journey.paths import PathParams, compute_variants
from cjm.report import build_report
from cjm.data.dataset import DUPLICATE, build_dataset
from cjm.voice.sentiment import SentimentParams, compute_overall, compute_signals
from tests.helpers import parsed_rows, parsed_text, real_file


def _uploaded(text: str, name: str = "export.csv"):
    return build_dataset(parsed_text(text, name))


def _in_place(tmp_path, text: str, name: str = "export.csv"):
    path = tmp_path / name
    path.write_text(text)
    return dataset_from_files(path)


TWEETS = ("tweet_id,airline_sentiment,name,text,tweet_created\n"
          "1,negative,ann,@air my bag is lost,2015-02-24 11:35:52 -0800\n"
          "2,positive,bob,@air thanks for the upgrade,2015-02-24 09:00:00 +0100\n"
          "3,neutral,ann,@air what time is boarding,2015-02-25 08:00:00 -0800\n"
          "4,N/A,cat,@air hello,2015-02-25 10:00:00 +0000\n")


def test_tweet_times_with_a_spaced_utc_offset_read_in_place_as_uploaded(tmp_path):
    # 11:35:52 -0800 = 19:35:52 UTC; 09:00 +0100 = 08:00 UTC; 08:00 -0800 = 16:00 UTC; 10:00 +0000 = 10:00 UTC
    dataset = _in_place(tmp_path, TWEETS)
    rows = engine.execute(dataset.events.select("customer_id", "timestamp")).sort_values("timestamp")
    expected = ["2015-02-24 08:00:00", "2015-02-24 19:35:52", "2015-02-25 10:00:00", "2015-02-25 16:00:00"]
    assert [str(t.tz_convert("UTC").tz_localize(None)) for t in rows["timestamp"]] == expected
    assert dataset.accounting.rows_rejected == 0
    uploaded = parsed_rows(parsed_text(TWEETS)).sort_values("timestamp")
    assert [str(t.tz_convert("UTC").tz_localize(None)) for t in uploaded["timestamp"]] == expected


def test_sentiment_labels_read_in_place_are_scores_on_the_polarity_scale_as_uploaded(tmp_path):
    # negative -1, positive +1, neutral 0, N/A no score: mean of 3 scores = 0.0; as the upload reads them
    dataset = _in_place(tmp_path, TWEETS)
    scores = engine.execute(dataset.events.select("score")).sort_values("score")["score"].tolist()
    assert scores[:3] == [-1.0, 0.0, 1.0] and scores[3] != scores[3]
    assert dataset.score_scale == "polarity"
    placed, uploaded = (compute_overall(compute_signals(d, params=SentimentParams())) for d in (dataset, _uploaded(TWEETS)))
    assert (placed["n"], placed["mean"], placed["scale"]) == (3, 0.0, "polarity")
    assert (uploaded["n"], uploaded["mean"], uploaded["scale"]) == (3, 0.0, "polarity")


def test_star_words_read_in_place_are_stars_as_uploaded(tmp_path):
    # Google Business Profile's starRating: FIVE 5, ONE 1, FOUR 4; STAR_RATING_UNSPECIFIED no stars
    text = ("customer_id,starRating,createTime,comment\n"
            "r1,FIVE,2024-01-01T10:00:00Z,great\nr2,ONE,2024-01-02T10:00:00Z,awful\n"
            "r3,FOUR,2024-01-03T10:00:00Z,good\nr4,STAR_RATING_UNSPECIFIED,2024-01-04T10:00:00Z,ok\n")
    mapping = parsed_text(text).files[0].mapping
    assert mapping.columns["score"] == "starRating"
    path = tmp_path / "reviews.csv"
    path.write_text(text)
    dataset = dataset_from_files(path, mapping=mapping)
    scores = engine.execute(dataset.events.select("customer_id", "score")).sort_values("customer_id")["score"].tolist()
    assert scores[:3] == [5.0, 1.0, 4.0] and scores[3] != scores[3]
    assert parsed_rows(parsed_text(text)).sort_values("customer_id")["score"].tolist()[:3] == [5.0, 1.0, 4.0]
    assert not [n for n in dataset.files[0].notes if "not a number" in n]


def test_a_score_column_of_words_that_are_not_labels_stays_unread_with_its_note(tmp_path):
    # 'great', 'bad', 'fine': 1 of 3 is a label (bad), far under 95%: no scores, and a note counts 3 words
    text = ("customer_id,timestamp,event,score\nc1,2024-01-01 10:00:00,visit,great\n"
            "c2,2024-01-01 11:00:00,visit,bad\nc3,2024-01-01 12:00:00,visit,fine\n")
    from cjm.data.columns import ColumnMapping

    path = tmp_path / "x.csv"
    path.write_text(text)
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event",
                                     "score": "score"})
    dataset = dataset_from_files(path, mapping=mapping)
    assert engine.execute(dataset.events.select("score"))["score"].isna().all()
    assert any("3 values in 'score' are not a number" in n for n in dataset.files[0].notes)


# c2 views a page and buys in the same second, written in that order; c1 too, written purchase first. By hand, as
# uploaded (ties keep the file's order): c2 consideration -> conversion, c1 conversion -> consideration.
TIES = ("customer_id,timestamp,event\n"
        "c2,2024-03-01 09:00:00,page_view\nc2,2024-03-01 09:00:00,purchase\n"
        "c1,2024-03-01 10:00:00,purchase\nc1,2024-03-01 10:00:00,page_view\n")


def test_events_at_one_moment_keep_the_files_order_read_in_place_as_uploaded(tmp_path):
    params = PathParams(split_by=None)
    placed = compute_variants(_in_place(tmp_path, TIES), params=params)
    uploaded = compute_variants(_uploaded(TIES), params=params)
    paths = sorted(map(tuple, placed[["path", "customers"]].values.tolist()))
    assert paths == [("consideration → conversion", 1), ("conversion → consideration", 1)]
    assert paths == sorted(map(tuple, uploaded[["path", "customers"]].values.tolist()))


def test_a_rejected_row_read_in_place_names_its_line_in_the_file(tmp_path):
    # line 1 is the header; the row without a customer id is on line 3, as the upload says
    text = "customer_id,timestamp,event\nc1,2024-03-01 09:00:00,visit\n,2024-03-01 10:00:00,visit\n"
    rejected = _in_place(tmp_path, text).accounting.rejected
    assert rejected["line"].tolist() == [3] == parsed_text(text).accounting.rejected["line"].tolist()


def test_the_airline_tweets_read_in_place_give_the_uploads_customers_and_sentiment(tmp_path):
    path = real_file("airline_tweets.csv")  # skips when ../shared/data is absent
    placed = dataset_from_files(path)
    uploaded = build_report(_uploaded(path.read_text(encoding="utf-8"), "airline_tweets.csv"))
    report = build_report(placed)
    # 14,640 rows, of which 36 exact duplicates are set aside in place as on upload: 14,640 - 36 = 14,604 used
    assert report["rows"]["used"] == uploaded["rows"]["used"] == 14_604
    assert report["rows"]["rejected"] == 36 == uploaded["rows"]["rejected"]
    assert placed.accounting.reasons == {DUPLICATE: 36}
    assert report["sentiment"]["overall"]["scale"] == uploaded["sentiment"]["overall"]["scale"] == "polarity"
    assert report["sentiment"]["overall"]["mean"] == pytest.approx(uploaded["sentiment"]["overall"]["mean"], abs=0.01)


# Berlin: CET (UTC+1) until 31 March 2024 02:00, CEST (UTC+2) until 27 October 03:00. By hand: 01 March 09:00 CET = 08:00
# UTC; 31 March 02:30 does not exist (moved to the end of the gap: 03:00 CEST = 01:00 UTC); 27 October 02:30 happens
# twice (read in summer time: 00:30 UTC); 1 July 12:00 CEST = 10:00 UTC; '2024-07-01 12:00:00+00:00' is an instant
# already: 12:00 UTC.
BERLIN = ("customer_id,timestamp,event\na,2024-03-01 09:00:00,view\nb,2024-03-31 02:30:00,view\n"
          "c,2024-10-27 02:30:00,view\nd,2024-07-01 12:00:00,view\ne,2024-07-01 12:00:00+00:00,view\n")


def test_times_without_a_zone_read_in_place_in_the_mappings_time_zone_as_uploaded(tmp_path):
    from cjm.data.columns import ColumnMapping

    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"},
                            timezone="Europe/Berlin")
    path = tmp_path / "berlin.csv"
    path.write_text(BERLIN)
    rows = engine.execute(dataset_from_files(path, mapping=mapping).events.select("customer_id", "timestamp"))
    placed = {c: str(t.tz_convert("UTC").tz_localize(None)) for c, t in zip(rows["customer_id"], rows["timestamp"])}
    expected = {"a": "2024-03-01 08:00:00", "b": "2024-03-31 01:00:00", "c": "2024-10-27 00:30:00",
                "d": "2024-07-01 10:00:00", "e": "2024-07-01 12:00:00"}
    assert placed == expected
    from cjm.data.dataset import SourceFile, parse_files

    uploaded = parsed_rows(parse_files([SourceFile("berlin.csv", BERLIN.encode())], mappings={"berlin.csv": mapping}))
    assert {c: str(pd.Timestamp(t).tz_convert("UTC").tz_localize(None))
            for c, t in zip(uploaded["customer_id"], uploaded["timestamp"])} == expected


@pytest.mark.postgres
def test_a_postgresql_table_of_wall_times_reads_them_in_the_mappings_time_zone(postgres_url):
    # the same Berlin times as a `timestamp` (without time zone) column, and as text with the instant 'e'
    import sqlalchemy

    from cjm.data.columns import ColumnMapping
    from cjm.data.source import dataset_from_table

    rows = [line.split(",") for line in BERLIN.splitlines()[1:]]
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE berlin_walls (customer_id text, ts timestamp, written text, event text)")
        for customer, written, event in rows:
            wall = written[:19] if customer != "e" else None
            con.exec_driver_sql("INSERT INTO berlin_walls VALUES (%s, %s, %s, %s)", (customer, wall, written, event))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        for column, expected in (("ts", {"a": "2024-03-01 08:00:00", "b": "2024-03-31 01:00:00",
                                         "c": "2024-10-27 00:30:00", "d": "2024-07-01 10:00:00"}),
                                 ("written", {"a": "2024-03-01 08:00:00", "b": "2024-03-31 01:00:00",
                                              "c": "2024-10-27 00:30:00", "d": "2024-07-01 10:00:00",
                                              "e": "2024-07-01 12:00:00"})):
            mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": column, "event": "event"},
                                    timezone="Europe/Berlin")
            dataset = dataset_from_table(backend, "berlin_walls", mapping=mapping)
            rows_read = backend.execute(dataset.events.select("customer_id", "timestamp"))
            assert {c: str(pd.Timestamp(t).tz_convert("UTC").tz_localize(None))
                    for c, t in zip(rows_read["customer_id"], rows_read["timestamp"])} == expected
    finally:
        backend.close()


def test_a_customer_list_read_in_place_keeps_its_columns_as_customer_attributes_as_uploaded(tmp_path):
    # one row per customer (iFood's marketing_campaign layout): the spend columns add up to each one's spend, as
    # uploaded: c1 10 + 5 = 15, c2 0 + 40 = 40, c3 7 + 0 = 7
    from cjm.customers.features import compute_customer_features

    text = ("ID;Dt_Customer;MntWines;MntFruits;Education\n1;2012-09-04;10;5;PhD\n2;2013-03-08;0;40;Basic\n"
            "3;2014-01-02;7;0;PhD\n")
    path = tmp_path / "marketing.csv"
    path.write_text(text)
    placed = dataset_from_files(path, mapping=parsed_text(text, "marketing.csv").files[0].mapping)
    assert placed.customers is not None
    assert any("Each customer appears once" in n for n in placed.files[0].notes)
    spend = compute_customer_features(placed).set_index("customer_id")["monetary"].to_dict()
    uploaded = compute_customer_features(_uploaded(text, "marketing.csv")).set_index("customer_id")["monetary"]
    assert spend == {"1": 15.0, "2": 40.0, "3": 7.0} == uploaded.to_dict()


def test_a_file_lined_up_with_spaces_read_in_place_says_to_upload_it(tmp_path):
    from cjm.errors import CJMError

    path = tmp_path / "cdnow.txt"
    path.write_text(" customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n 00002 19970112  1   12.00\n")
    with pytest.raises(CJMError, match="lined up with spaces, which only an upload reads. Upload the file"):
        dataset_from_files(path)


# Windows-1252 bytes: ü FC, é E9, the dash '–' 96 and '€' 80 (the last two are control characters in Latin-1)
LATIN = ("customer_id,timestamp,event,name,note\n"
         "c1,2024-01-01 10:00:00,visit,Müller,5 €\n"
         "c2,2024-01-02 10:00:00,visit,café,tea – hot\n"
         "c1,2024-01-03 10:00:00,purchase,Müller,\n").encode("cp1252")


def test_a_windows_1252_file_read_in_place_gives_the_uploads_numbers_and_names(tmp_path):
    # 3 rows, all used; customers c1 (2 events) and c2 (1): 2 customers; the names and notes as written
    from cjm.data.dataset import SourceFile, parse_files

    path = tmp_path / "latin.csv"
    path.write_bytes(LATIN)
    placed = dataset_from_files(path)
    uploaded = build_dataset(parse_files([SourceFile("latin.csv", LATIN)]))
    assert uploaded.files[0].encoding == "cp1252" == placed.files[0].encoding
    for dataset in (placed, uploaded):
        rows = engine.execute(dataset.events.select("customer_id", "event", "name", "text")).sort_values(
            ["customer_id", "event"], ignore_index=True)
        assert rows["name"].tolist() == ["Müller", "Müller", "café"]
        assert rows["text"].fillna("").tolist() == ["", "5 €", "tea – hot"]  # the note is read as the comment
        report = build_report(dataset)
        assert (report["rows"]["in"], report["rows"]["used"], report["rows"]["rejected"]) == (3, 3, 0)
        assert report["quality"]["customers"] == 2 and report["quality"]["events"] == 3


def test_a_windows_1252_byte_far_down_a_file_read_in_place_is_read_as_uploaded(tmp_path):
    # DuckDB's sniffer reads the first rows only: 'Müller' on line 30,002 fails the scan, not the sniff
    # each row at its own second (no two rows alike: an exact duplicate would be set aside, as on upload)
    rows = [f"c{i % 50},2024-01-01 {i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d},visit,x" for i in range(30_000)]
    text = "customer_id,timestamp,event,name\n" + "\n".join(rows) + "\nc1,2024-01-02 10:00:00,visit,Müller\n"
    path = tmp_path / "late.csv"
    path.write_bytes(text.encode("cp1252"))
    placed = dataset_from_files(path)
    assert (placed.accounting.rows_in, placed.accounting.rows_used) == (30_001, 30_001)
    names = engine.execute(placed.events.filter(placed.events.name != "x").select("name"))["name"].tolist()
    assert names == ["Müller"]


def test_a_file_of_utf8_and_windows_1252_lines_read_in_place_says_to_upload_it(tmp_path):
    from cjm.errors import CJMError

    path = tmp_path / "mixed.csv"
    path.write_bytes("customer_id,timestamp,event,name\nc1,2024-01-01 10:00:00,visit,José\n".encode()
                     + "c2,2024-01-02 10:00:00,visit,Müller\n".encode("cp1252"))
    with pytest.raises(CJMError, match="mixes text encodings: some lines are UTF-8, others cp1252. Only an upload "
                                       "reads such a file"):
        dataset_from_files(path)


def test_a_csv_of_column_names_without_rows_read_in_place_says_it_has_no_rows_as_uploaded(tmp_path):
    from cjm.errors import CJMError

    text = "customer_id,timestamp,event\n"
    path = tmp_path / "empty.csv"
    path.write_text(text)
    said = ("'empty.csv' has column names (customer_id, timestamp, event) but no rows. Export the data again "
            "including the rows (check the date range or filters of the export) and ")
    with pytest.raises(CJMError) as placed:
        dataset_from_files(path)
    assert str(placed.value) == said + "read it in place again."
    with pytest.raises(CJMError) as uploaded:
        parsed_text(text, "empty.csv")
    assert str(uploaded.value) == said + "upload it again."


def test_a_csv_with_no_text_at_all_read_in_place_says_it_is_empty_as_uploaded(tmp_path):
    from cjm.errors import CJMError

    path = tmp_path / "blank.csv"
    path.write_text("\n  \n")
    with pytest.raises(CJMError, match="^'blank.csv' is empty: it has no text at all. Check that you exported the "
                                       "right file and that the export finished, then read it in place again.$"):
        dataset_from_files(path)


PLAY = ("reviewId,userName,userImage,content,score,thumbsUpCount,reviewCreatedVersion,at,replyContent,repliedAt,"
        "appVersion\n"
        "gp:1,Sarah,https://x/a.png,Love it,5,3,1.2.0,2023-10-13 02:31:22,,,1.2.0\n"
        "gp:2,Sarah,https://x/b.png,Crashes,1,0,1.2.0,2023-10-12 02:31:22,,,1.2.0\n"
        "gp:3,Mike,https://x/c.png,Good,4,0,,2023-10-11 02:31:22,,,\n"
        "gp:4,Amit Kumar,https://x/d.png,Nice,5,0,1.1.0,2023-10-10 02:31:22,,,1.1.0\n"
        "gp:5,A Google user,https://x/e.png,meh,3,0,1.1.0,2023-10-09 02:31:22,,,1.1.0\n")


def test_a_google_play_export_read_in_place_makes_every_review_one_reviewer_as_uploaded(tmp_path):
    # google-play-scraper's columns: every review is one account's, whatever name it shows: 5 reviews (lines 2-6),
    # 5 reviewers ('Sarah' twice is 2). Stars 5, 1, 4, 5, 3: CSAT (4 or 5 stars) 3 / 5 = 0.6 of 5 scores.
    # Before: 4 customers in place ('Sarah' one customer with 2 reviews)
    path = tmp_path / "play.csv"
    path.write_text(PLAY)
    placed, uploaded = dataset_from_files(path), _uploaded(PLAY, "play.csv")
    ids = ["A Google user (row 6)", "Amit Kumar (row 5)", "Mike (row 4)", "Sarah (row 2)", "Sarah (row 3)"]
    note = ("'userName' holds the names reviewers show, not ids: 2 reviews share a name with another ('Sarah' signs 2 "
            "reviews), and people share names. 1 review by 'A Google user' (what the store writes for a reviewer who "
            "hid their name) is one reviewer too. Each review is one reviewer")
    for dataset in (placed, uploaded):
        assert sorted(engine.execute(dataset.events.select("customer_id"))["customer_id"]) == ids
        report = build_report(dataset)
        assert report["quality"]["customers"] == 5
        overall = report["sentiment"]["overall"]
        assert (overall["scale"], overall["scores"], overall["csat_n"], overall["csat"]) == ("rating5", 5, 5, 0.6)
        assert [n for n in dataset.files[0].notes if n.startswith(note)]
    assert build_report(placed)["sentiment"]["overall"] == build_report(uploaded)["sentiment"]["overall"]


def test_reviews_by_a_hidden_reviewer_read_in_place_are_each_one_respondent_as_uploaded(tmp_path):
    # handles name one person each ('jnardino' twice is one customer); 'A Google user' on lines 4 and 5 are 2
    # respondents: 3 customers, as uploaded
    text = ("reviewer,rating,comment,date\njnardino,5,great,2024-01-01\njnardino,4,good,2024-01-02\n"
            "A Google user,1,bad,2024-01-03\nA Google user,2,meh,2024-01-04\n")
    path = tmp_path / "reviews.csv"
    path.write_text(text)
    ids = ["A Google user (row 4)", "A Google user (row 5)", "jnardino", "jnardino"]
    note = ("2 rows by 'A Google user' (what the store writes for a reviewer who hid their name) are each one "
            "respondent, not one customer.")
    for dataset in (dataset_from_files(path), _uploaded(text, "reviews.csv")):
        assert sorted(engine.execute(dataset.events.select("customer_id"))["customer_id"]) == ids
        assert build_report(dataset)["quality"]["customers"] == 3
        assert note in dataset.files[0].notes


def test_a_play_export_with_reply_dates_read_in_place_says_to_upload_it(tmp_path):
    # the developer replied to one review: 'at' and 'repliedAt' are both dates, each filled one an event (an upload
    # reads 6 events of 5 reviewers); before, in place said no column was the timestamp
    from cjm.errors import CJMError

    text = PLAY.replace("gp:2,Sarah,https://x/b.png,Crashes,1,0,1.2.0,2023-10-12 02:31:22,,,",
                        "gp:2,Sarah,https://x/b.png,Crashes,1,0,1.2.0,2023-10-12 02:31:22,Sorry!,2023-10-13 01:00:00,")
    path = tmp_path / "play.csv"
    path.write_text(text)
    with pytest.raises(CJMError, match=r"^play.csv has a date column per step \('at', 'repliedAt'\): each filled date "
                                       r"is an event of its row .* Upload the file, or pass a mapping that names one "
                                       r"timestamp column to read it in place.$"):
        dataset_from_files(path)


def test_a_review_export_without_a_reviewer_column_read_in_place_makes_each_review_one_respondent_as_uploaded(tmp_path):
    # Google Play Console's reviews export names no reviewer: each review is one respondent, 'row 2', 'row 3' (its
    # line); stars 5 and 1: CSAT 1 / 2 = 0.5 of 2 scores. Before: 'needs columns for customer_id' in place
    from cjm.data.dataset import ANONYMOUS_NOTE

    text = ("Review Submit Date and Time,Star Rating,Review Title,Review Text,Reviewer Language\n"
            "2024-01-02T10:00:00Z,5,Great,Love it,en\n2024-01-03T10:00:00Z,1,Bad,Crashes,en\n")
    path = tmp_path / "reviews_console.csv"
    path.write_text(text)
    placed, uploaded = dataset_from_files(path), _uploaded(text, "reviews_console.csv")
    for dataset in (placed, uploaded):
        assert sorted(engine.execute(dataset.events.select("customer_id"))["customer_id"]) == ["row 2", "row 3"]
        overall = build_report(dataset)["sentiment"]["overall"]
        assert (overall["scale"], overall["scores"], overall["csat_n"], overall["csat"]) == ("rating5", 2, 2, 0.5)
        assert ANONYMOUS_NOTE in dataset.files[0].notes
    assert build_report(placed)["sentiment"]["overall"] == build_report(uploaded)["sentiment"]["overall"]


def test_a_mappings_quantity_times_unit_price_read_in_place_is_the_uploads_money(tmp_path):
    # revenue_from ('Quantity' x 'Unit Price', no revenue column): a 2 x 10.00 = 20, then -1 x 10.00 = -10 (a return
    # line, 'return'); b 3 x 5.50 = 16.50 whose status says refunded counts 0 ('return'); c 1 x 7.00 = 7. 4 in, 4 used,
    # 3 customers, revenue 20 - 10 + 0 + 7 = 17 on upload and in place (before, in place: no money at all, revenue
    # None, a's -1 line a 'purchase').
    from cjm.data.columns import ColumnMapping
    from cjm.data.dataset import load_dataset
    from tests.export_files import assert_in_place_as_uploaded, csv_text, events_in_file_order

    path = tmp_path / "items.csv"
    path.write_text(csv_text(["Customer ID", "Date", "Event", "Quantity", "Unit Price", "Status"],
                             [["a", "2026-03-01 10:00", "purchase", "2", "10.00", "Paid"],
                              ["a", "2026-03-02 10:00", "purchase", "-1", "10.00", "Paid"],
                              ["b", "2026-03-03 10:00", "purchase", "3", "$5.50", "Refunded"],
                              ["c", "2026-03-04 10:00", "purchase", "1", "7.00", "Paid"]]))
    mapping = ColumnMapping.from_dict({"columns": {"customer_id": "Customer ID", "timestamp": "Date", "event": "Event"},
                                       "revenue_from": ["Quantity", "Unit Price"]})
    uploaded, in_place = load_dataset([path], mappings={path.name: mapping}), dataset_from_files(path, mapping=mapping)
    assert_in_place_as_uploaded(uploaded, in_place, (4, 4, {}, 3, 17.0))
    events = events_in_file_order(in_place)
    assert list(zip(events["event"], events["revenue"])) == [("purchase", 20.0), ("return", -10.0), ("return", 0.0),
                                                             ("purchase", 7.0)]
    assert "Revenue is 'Quantity' x 'Unit Price' (there is no revenue column)." in in_place.files[0].notes
