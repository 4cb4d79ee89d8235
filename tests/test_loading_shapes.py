"""Real export shapes load truly: fractional seconds, row accounting (DESIGN.md section 3)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cjm import engine, report
from cjm.data.columns import ColumnMapping
from cjm.report.build import EXPECTED
from tests.helpers import real_file
from cjm.data.dataset import SourceFile, build_dataset, load_dataset, parse_files
from tests.helpers import parsed_rows as rows, parsed_text as load

JOURNEY = ["ad_click", "product_view", "add_to_cart", "checkout_started", "purchase", "repeat_purchase"]
COMMENTS = ["slow delivery and rude support, terrible", "great product, love it", "terrible slow delivery, awful",
            "awful checkout, slow delivery", "excellent service, very happy", "horrible rude support, bad",
            "bad experience, rude support"]


def fractional_export() -> bytes:
    """60 customers, 1..6 journey steps each, timestamps with milliseconds, every optional column filled."""
    lines = ["customer_id,timestamp,event,channel,device,department,revenue,score,comment,variant"]
    for c in range(60):
        for step, event in enumerate(JOURNEY[: 1 + c % 6]):
            day = 1 + (c % 20) + step * 2
            ts = f"2022-12-{day:02d} 01:{c % 60:02d}:{(c * 7 + step) % 60:02d}.{(c * 37 + step * 101) % 1000:03d}"
            revenue = f"{10 + c % 7}.5" if "purchase" in event else ""
            score = str(1 + (c + step) % 5) if step % 2 == 0 else ""
            comment = f"\"{COMMENTS[(c + step) % 7]}\"" if step % 2 == 1 else ""
            lines.append(f"C{c},{ts},{event},{['web', 'email', 'store'][c % 3]},{['mobile', 'desktop'][step % 2]},"
                         f"{['marketing', 'sales', 'support'][step % 3]},{revenue},{score},{comment},{'AB'[c % 2]}")
    return ("\n".join(lines) + "\n").encode()


def test_fractional_second_timestamps_run_through_every_report_section():
    dataset = build_dataset(parse_files([SourceFile("frac.csv", fractional_export())]))
    result = report.build_report(dataset)
    json.dumps(result, allow_nan=False, default=str)
    assert result["rows"]["in"] == result["rows"]["used"] == sum(1 + c % 6 for c in range(60))
    for key in EXPECTED:
        assert key in result, (key, result["skipped"])
    errors = {k: v for k, v in result["skipped"].items() if "could not" in v.lower() or "error" in v.lower()}
    assert errors == {}
    assert result["segments"]


def test_missing_id_tokens_are_rejected_as_missing_never_one_customer_called_na():
    text = "customer_id,timestamp,event\nA,2024-01-01,view\nNA,2024-01-02,view\nN/A,2024-01-02,view\n" \
           "#N/A,2024-01-02,view\nnull,2024-01-02,view\nNone,2024-01-02,view\nnan,2024-01-02,view\n" \
           "-,2024-01-02,view\n?,2024-01-02,view\n ,2024-01-02,view\nB,2024-01-03,view\n"
    parsed = load(text)
    assert parsed.accounting.reasons == {"missing customer id": 9}
    assert sorted(rows(parsed)["customer_id"]) == ["A", "B"]
    assert parsed.accounting.rows_in == parsed.accounting.rows_used + parsed.accounting.rows_rejected == 11


def test_invoice_line_items_are_kept_and_only_rows_equal_in_every_column_are_duplicates():
    text = ("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
            "536365,85123A,6,2010-12-01 08:26,2.55,17850\n"
            "536365,71053,6,2010-12-01 08:26,3.39,17850\n"
            "536365,84406B,8,2010-12-01 08:26,2.75,17850\n"
            "536365,84406B,8,2010-12-01 08:26,2.75,17850\n"
            "C536379,D,-1,2010-12-01 09:41,27.50,14527\n"
            "536380,22961,24,2010-12-01 09:41,1.45,14527\n")
    parsed = load(text)
    assert parsed.accounting.reasons == {"duplicate row (every column equals an earlier row)": 1}
    assert parsed.accounting.rejected["line"].tolist() == [5]
    events = rows(parsed)
    # revenue = quantity x unit price: 6 x 2.55, 6 x 3.39, 8 x 2.75, -1 x 27.50, 24 x 1.45
    assert events["revenue"].round(2).tolist() == [15.3, 20.34, 22.0, -27.5, 34.8]
    assert events["event"].tolist() == ["purchase", "purchase", "purchase", "cancellation", "purchase"]
    assert any("'Quantity' x 'UnitPrice'" in n for n in parsed.files[0].notes)
    assert parsed.files[0].mapping.describe()["revenue"] == "= Quantity x UnitPrice"


def test_returns_by_status_or_negative_amount_are_their_own_events_and_money_is_net():
    text = ("customer_id,timestamp,event,amount,status\nA,2024-01-01,purchase,50,complete\n"
            "A,2024-01-05,purchase,50,refunded\nB,2024-01-02,purchase,-20,complete\n"
            "B,2024-01-03,purchase,30,Canceled\n")
    events = rows(load(text))
    assert events["event"].tolist() == ["purchase", "return", "return", "cancellation"]
    # A's second purchase was refunded and B's 30 cancelled: each row is the purchase and its reversal at once,
    # so it counts no money (it counted -50 and -30 before, as if a purchase had been reversed twice). B's -20
    # is a return line of its own: negative.
    assert events["revenue"].tolist() == [50.0, 0.0, -20.0, 0.0]
    assert events["revenue"].sum() == 30.0  # net: 50 kept, 20 returned


def test_unreadable_numbers_stay_mapped_as_empty_cells_and_are_counted():
    text = ("customer_id,timestamp,event,revenue\nA,2024-01-01,purchase,10\nA,2024-01-02,purchase,inf\n"
            "B,2024-01-02,purchase,n/a\nB,2024-01-03,purchase,NaN\nC,2024-01-03,purchase,abc\n"
            "C,2024-01-04,purchase,-Infinity\nD,2024-01-04,purchase,5\n"
            + "".join(f"E,2024-02-{d:02d},purchase,1\n" for d in range(1, 11)))
    parsed = load(text)
    assert parsed.files[0].mapping.columns["revenue"] == "revenue"
    assert parsed.files[0].unreadable == {"revenue": 5}  # inf, n/a, NaN, abc, -Infinity
    events = rows(parsed)
    assert events["revenue"].sum() == 25.0 and events["revenue"].notna().sum() == 12
    result = report.build_report(build_dataset(parsed))
    json.dumps(result, allow_nan=False, default=str)


def test_dates_that_cannot_be_represented_reject_their_row_with_a_reason():
    text = ("customer_id,timestamp,event\nA,0001-01-01,view\nA,2024-01-02,view\nB,1500-03-01,view\n"
            "B,9999-12-31 23:59:59,view\nC,2024-01-03,view\n")
    parsed = load(text)
    assert parsed.accounting.reasons == {"timestamp out of range (before 1900 or after 2100)": 3}
    assert parsed.accounting.rows_used == 2


def test_id_synonyms_and_headers_in_other_languages_are_mapped():
    from cjm.data.columns import suggest_mapping
    from cjm.data.timestamps import looks_like_timestamps
    import pandas as pd

    cases = {
        ("Household Key", "Date", "Action"): ("Household Key", "Date", "Action"),
        ("anonymousId", "timestamp", "event"): ("anonymousId", "timestamp", "event"),
        ("Клиент", "Дата", "Событие"): ("Клиент", "Дата", "Событие"),
        ("شناسه مشتری", "تاریخ", "رویداد"): ("شناسه مشتری", "تاریخ", "رویداد"),
        ("معرف العميل", "التاريخ", "الحدث"): ("معرف العميل", "التاريخ", "الحدث"),
        ("cliente", "fecha", "evento"): ("cliente", "fecha", "evento"),
        ("Subscriber ID", "data", "evento"): ("Subscriber ID", "data", "evento"),
        ("Kundennummer", "Bestelldatum", "Aktion"): ("Kundennummer", "Bestelldatum", "Aktion"),
        ("Numéro client", "Date commande", "Événement"): ("Numéro client", "Date commande", "Événement"),
        ("codice_cliente", "data_ordine", "azione"): ("codice_cliente", "data_ordine", "azione"),
    }
    for header, (who, when, what) in cases.items():
        frame = pd.DataFrame([["x1", "2024-01-01", "view"], ["x2", "2024-01-02", "buy"]], columns=list(header))
        columns = suggest_mapping(frame, timestamp_score=looks_like_timestamps).columns
        assert (columns.get("customer_id"), columns.get("timestamp"), columns.get("event")) == (who, when, what)
    frame = pd.DataFrame([["a", "2024-01-01", "web"]], columns=["Клиент", "Дата", "Канал"])
    assert suggest_mapping(frame, timestamp_score=looks_like_timestamps).columns["channel"] == "Канал"


def test_written_dates_load_in_every_listed_style():
    text = ("customer_id,timestamp,event\nA,31-Jul-18,view\nB,31-Jul-2018,view\nC,\"Jul 31, 2018\",view\n"
            "D,31 July 2018,view\nE,31 de julho de 2018,view\nF,31 июля 2018,view\nG,٣١ يوليو ٢٠١٨,view\n"
            "H,۳۱ ژوئیه ۲۰۱۸,view\n")
    events = rows(load(text))
    assert events["timestamp"].dt.strftime("%Y-%m-%d").unique().tolist() == ["2018-07-31"]
    assert len(events) == 8


def test_a_wide_order_export_becomes_one_event_per_filled_timestamp_with_on_time_attributes():
    text = ("order_id,customer_id,order_purchase_timestamp,order_approved_at,order_delivered_customer_date,"
            "order_estimated_delivery_date\n"
            "o1,c1,2018-01-01 10:00,2018-01-01 11:00,2018-01-05 09:00,2018-01-10\n"
            "o2,c2,2018-01-02 10:00,,2018-01-20 09:00,2018-01-10\n"
            "o3,c1,2018-02-01 10:00,2018-02-01 12:00,,2018-02-10\n")
    parsed = load(text)
    mapping = parsed.files[0].mapping
    assert mapping.shape == "wide"
    assert mapping.wide_events == ["order_purchase_timestamp", "order_approved_at", "order_delivered_customer_date"]
    assert mapping.wide_due == ["order_estimated_delivery_date"]
    events = rows(parsed)
    assert len(events) == 7 and parsed.accounting.rows_used == 3
    assert events.groupby("event").size().to_dict() == {"order purchase": 3, "order approved": 2,
                                                         "order delivered customer": 2}
    status = events.drop_duplicates("order_id").set_index("order_id")["order_estimated_delivery_status"]
    assert (status["o1"], status["o2"], status.isna()["o3"]) == ("on time", "late", True)


def test_anonymous_reviews_make_each_row_one_respondent():
    text = "review text,stars\nGreat phone and fast shipping to my house,5\nBroke after two days of use,1\n"
    parsed = load(text)
    assert parsed.files[0].mapping.shape == "anonymous"
    assert parsed.files[0].mapping.describe()["customer_id"] == "= each row is one respondent"
    events = rows(parsed)
    assert events["customer_id"].tolist() == ["row 2", "row 3"]
    assert events["text"].notna().all() and events["score"].tolist() == [5.0, 1.0]


def test_the_report_counts_missing_ids_duplicates_and_unreadable_numbers_in_quality():
    text = ("customer_id,timestamp,event,revenue\nA,2024-01-01,view,\nNA,2024-01-02,view,\nnull,2024-01-02,view,\n"
            "A,2024-01-03,purchase,abc\nA,2024-01-03,purchase,abc\nB,2024-01-04,purchase,12\n"
            + "".join(f"C{i},2024-02-{i:02d},purchase,{i}\n" for i in range(1, 9)))
    result = report.build_report(build_dataset(load(text)))
    quality = result["quality"]
    assert quality["rows_missing_customer_id"] == 2 and quality["rows_missing_customer_id_share"] == round(2 / 14, 4)
    assert quality["rows_duplicate"] == 1
    assert quality["unreadable_numbers"] == {"revenue": 1}  # 'abc' on a kept row; its duplicate is set aside
    assert result["rows"]["in"] == result["rows"]["used"] + result["rows"]["rejected"] == 14


def test_lines_in_another_encoding_are_counted_and_warned_and_never_a_second_spelling():
    head = "customer_id,timestamp,event\n" + "".join(f"A{i},2024-01-{i % 28 + 1:02d},café visit\n" for i in range(30))
    data = head.encode("utf-8") + "B1,2024-02-01,café visit\n".encode("cp1252") + "C1,2024-02-02,café visit\n".encode()
    parsed = parse_files([SourceFile("mixed.csv", data)])
    assert rows(parsed)["event"].unique().tolist() == ["café visit"]
    assert parsed.files[0].encoding == "utf-8" and parsed.files[0].other_encoding_lines == 1
    assert "line(s) of this UTF-8 file are not UTF-8 (lines 32)" in parsed.files[0].warnings[0]
    quality = report.build_report(build_dataset(parsed))["quality"]
    assert quality["lines_in_another_encoding"] == 1


def test_money_figures_are_net_of_cancellations_in_kpis_rfm_and_customer_features():
    from cjm.customers.features import compute_customer_features
    from cjm.customers.rfm import compute_rfm
    from cjm.journey.kpis import compute_kpis

    text = ("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
            "536365,85123A,6,2010-12-01 08:26,2.50,17850\n"   # 15.00
            "536366,71053,2,2010-12-02 08:26,10.00,17850\n"   # 20.00
            "C536367,71053,-1,2010-12-03 09:41,10.00,17850\n"  # -10.00: a cancellation, not a purchase
            "536380,22961,4,2010-12-01 09:41,5.00,14527\n"    # 20.00
            + "".join(f"5364{i},1,1,2010-12-02 10:00,1.00,1000{i}\n" for i in range(3)))  # 3 x 1.00
    dataset = build_dataset(load(text))
    features = compute_customer_features(dataset).set_index("customer_id")
    assert features.loc["17850", "monetary"] == 25.0 and features.loc["14527", "monetary"] == 20.0
    assert features.loc["17850", "purchases"] == 2
    rfm = compute_rfm(dataset).set_index("customer_id")
    assert rfm.loc["17850", "monetary"] == 25.0
    kpis = compute_kpis(dataset, period="all").set_index("name")
    assert kpis.loc["revenue", "value"] == 48.0  # 15 + 20 - 10 + 20 + 3


def test_a_long_free_text_column_is_found_by_content_when_its_name_says_nothing():
    notes = ["o produto chegou antes do prazo e funciona muito bem", "veio quebrado e ninguém respondeu",
             "entrega rápida, recomendo a loja para todos", "não recebi o pedido até agora, péssimo"]
    text = "customer_id,timestamp,event,campo_livre,sku\n" + "".join(
        f"C{i},2024-01-{i + 1:02d},order,\"{notes[i % 4]} ({i})\",SKU-{i}\n" for i in range(12))
    mapping = load(text).files[0].mapping
    assert mapping.columns["text"] == "campo_livre"
    assert "sku" not in mapping.columns.values()


def test_a_report_on_undated_responses_skips_time_analyses_with_a_plain_reason():
    reviews = ["Great phone and fast shipping to my house", "Broke after two days of use, very bad"]
    text = "review text,stars\n" + "".join(f"\"{reviews[i % 2]} ({i})\",{5 - 4 * (i % 2)}\n" for i in range(20))
    result = report.build_report(build_dataset(load(text)))
    assert result["rows"] == {"in": 20, "used": 20, "rejected": 0, "reasons": {}}
    assert result["mapping"]["customer_id"] == "= each row is one respondent"
    assert result["skipped"]["gaps"].startswith("needs dates: this export has no date column")
    assert result["kpis"]["customers"] == 20  # KPIs cover all rows when there are no dates to cut periods
    assert result["quality"]["first_event"] is None and result["quality"]["customers"] == 20
    overall = result["sentiment"]["overall"]
    assert (overall["scores"], overall["texts"]) == (20, 20)  # one star rating and one comment per respondent


def test_identical_anonymous_responses_are_two_respondents_not_a_duplicate(tmp_path):
    # a survey export without ids: each row is one respondent, and two people can give the same answers
    path = tmp_path / "survey.csv"
    path.write_text("rating,comment\n5,great\n5,great\n2,slow delivery\n", encoding="utf-8")
    data = load_dataset([path])
    assert (data.accounting.rows_in, data.accounting.rows_used, data.accounting.rows_rejected) == (3, 3, 0)
    assert any("identical rows are kept" in note for note in data.files[0].notes)


def test_the_online_shoppers_sessions_are_all_kept():
    # 12,330 anonymous sessions; 125 of them repeat an earlier one cell for cell (one-page bounces alike)
    data = load_dataset([real_file("online_shoppers_intention.csv")])
    assert (data.accounting.rows_in, data.accounting.rows_used) == (12330, 12330)


def test_identical_rows_are_kept_as_separate_events_when_the_mapping_says_so(tmp_path):
    # CDNOW-like: no order id, the same customer buys the same CD twice on one day
    path = tmp_path / "orders.csv"
    path.write_text("customer,date,event,amount\n00001,1997-01-01,purchase,11.77\n00001,1997-01-01,purchase,11.77\n"
                    "00002,1997-01-02,purchase,5.00\n", encoding="utf-8")
    strict = load_dataset([path])
    assert (strict.accounting.rows_used, strict.accounting.rows_rejected) == (2, 1)
    mapping = ColumnMapping.from_dict({**strict.files[0].mapping.to_dict(), "keep_identical": True})
    kept = load_dataset([path], mappings={"orders.csv": mapping})
    assert (kept.accounting.rows_used, kept.accounting.rows_rejected) == (3, 0)
    revenue = engine.execute(kept.events.aggregate(r=kept.events.revenue.sum()))["r"].iloc[0]
    assert revenue == pytest.approx(28.54)


def test_a_saved_mapping_without_the_identical_rows_setting_still_loads_and_sets_them_aside():
    mapping = ColumnMapping.from_dict({"columns": {"customer_id": "customer", "timestamp": "date"}})
    assert mapping.keep_identical is False
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping


def test_a_wide_records_money_is_counted_once_and_a_cancellation_date_takes_it_back():
    # Shopify's order columns: o1 placed, paid, fulfilled (1500); o2 placed and cancelled (900); o3 placed (200).
    text = ("Name,Email,Created at,Paid at,Fulfilled at,Cancelled at,Total\n"
            "#1,a@x.com,2026-04-05 21:06:21 +0400,2026-04-06 10:00:00 +0400,2026-04-08 10:00:00 +0400,,1500.00\n"
            "#2,b@x.com,2026-04-05 22:00:00 +0400,,,2026-04-06 12:00:00 +0400,900.00\n"
            "#3,a@x.com,2026-04-07 09:00:00 +0400,,,,200.00\n")
    parsed = load(text)
    mapping = parsed.files[0].mapping
    assert mapping.shape == "wide" and mapping.columns["customer_id"] == "Email"
    events = rows(parsed).sort_values(["Name", "timestamp"])
    money = dict(zip(events["Name"] + " " + events["event"], events["revenue"]))
    assert money["#1 created"] == 1500 and pd.isna(money["#1 paid"]) and pd.isna(money["#1 fulfilled"])
    assert (money["#2 created"], money["#2 cancelled"], money["#3 created"]) == (900, -900, 200)
    kpis = report.build_report(build_dataset(parsed))["kpis"]
    assert kpis["revenue"] == 1500 + 200  # net: o2's 900 placed and taken back; before, 1500 x 3 + 900 x 2 + 200
    # a@x.com bought twice (o1, o3); b@x.com's only order (o2) was cancelled in full, so b bought nothing (the rule
    # of test_review5_wide_money.test_a_cancelled_second_order_is_not_a_repeat_purchase): 1 repeat buyer of 1.
    # Before: 0.5, counting b as a buyer of the order that was cancelled.
    assert kpis["repeat_purchase_rate"] == 1.0


def test_a_wide_records_score_and_comment_are_on_its_review_event_or_else_its_last():
    text = ("ticket_id,customer_id,created_at,resolved_at,survey_answered_at,csat,comment\n"
            "t1,r1,2024-03-01 09:00,2024-03-02 09:00,2024-03-03 09:00,5,Quick and kind\n"
            "t2,r2,2024-03-01 10:00,2024-03-04 10:00,,2,Took three days to answer\n")
    events = rows(load(text)).set_index(["ticket_id", "event"]).sort_index()
    scored = events[events["score"].notna()]
    assert list(scored.index) == [("t1", "survey answered"), ("t2", "resolved")]
    assert list(scored["score"]) == [5, 2] and list(scored["text"]) == ["Quick and kind", "Took three days to answer"]
    assert events["text"].notna().sum() == 2  # one comment per ticket, not one per event


def test_a_help_desks_requester_is_the_customer_not_the_ticket_id():
    from cjm.data.columns import suggest_mapping
    from cjm.data.timestamps import looks_like_timestamps

    frame = pd.DataFrame([["101", "Ana Ruiz", "2024-03-01 09:00", "2024-03-02 09:00"],
                          ["102", "Ben Ode", "2024-03-01 10:00", "2024-03-04 10:00"]],
                         columns=["Id", "Requester", "Created at", "Solved at"])
    mapping = suggest_mapping(frame, timestamp_score=looks_like_timestamps)
    assert mapping.columns["customer_id"] == "Requester" and mapping.shape == "wide"


def test_an_id_most_rows_lack_gives_way_to_one_every_row_has():
    from cjm.data.columns import suggest_mapping
    from cjm.data.timestamps import looks_like_timestamps

    # GA4: user_id only for signed-in users (2 of 10 events), user_pseudo_id on every event
    frame = pd.DataFrame({"event_date": ["20240101"] * 10, "event_name": ["page_view"] * 10,
                          "user_id": ["u1", "u2"] + [None] * 8, "user_pseudo_id": [f"p{i % 4}" for i in range(10)]})
    assert suggest_mapping(frame, timestamp_score=looks_like_timestamps).columns["customer_id"] == "user_pseudo_id"
    frame["user_id"] = [f"u{i % 3}" for i in range(5)] + [None] * 5  # half the rows: the named id stays
    assert suggest_mapping(frame, timestamp_score=looks_like_timestamps).columns["customer_id"] == "user_id"


def test_a_crm_record_id_stays_the_customer_when_some_contacts_have_no_email():
    from cjm.data.columns import suggest_mapping
    from cjm.data.timestamps import looks_like_timestamps

    # HubSpot contacts: every contact has a Record ID, 2 of 3 an email
    frame = pd.DataFrame({"Record ID": ["101", "102", "103"], "Email": ["a@x.com", None, "c@x.com"],
                          "Create Date": ["2024-01-01 10:00", "2024-01-02 10:00", "2024-01-03 10:00"]})
    assert suggest_mapping(frame, timestamp_score=looks_like_timestamps).columns["customer_id"] == "Record ID"


def test_a_german_shop_export_maps_amount_channel_and_comment_and_reads_decimal_commas():
    # Betrag 19,99 + 5,00 = 24.99 revenue; Kanal and Kommentar mapped without a hand.
    from tests.helpers import parsed_text, report_kpis

    parsed = parsed_text("Kundennummer;Bestelldatum;Aktion;Betrag;Kanal;Kommentar\n"
                         "K1;01.03.2024;purchase;19,99;E-Mail;Schnell geliefert\n"
                         "K2;02.03.2024;purchase;5,00;Suche;zu teuer\n")
    columns = parsed.files[0].mapping.columns
    assert (columns["revenue"], columns["channel"], columns["text"]) == ("Betrag", "Kanal", "Kommentar")
    assert report_kpis(parsed)["revenue"] == 24.99
