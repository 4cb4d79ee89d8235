"""PayPal activity exports ("Aktivitäten" / "Activity" → CSV) in German and the other languages PayPal writes them
in, tried on a real public German export and here on a few invented rows in their real shape.

Real export tried: a firm's German PayPal export of 11 transactions, 41 columns (github replikativ/kontor,
modules/bank-de/test/resources/paypal.csv): "Datum" 18.06.2025, "Uhrzeit" 07:47:30, "Zeitzone" CEST, "Name",
"Typ" (PayPal Express-Zahlung, Rückbuchung allgemeiner Einbehaltung, ...), "Brutto" / "Gebühr" / "Netto" written
"-6,19". Wrong before: no event column and no revenue were found (the event of every row was the constant 'datum',
the name of the date column), and every transaction sat at midnight, its time of day in 'Uhrzeit' left unread. After:
'Typ' the event, 'Brutto' the revenue (net sum -24.77, as plain pandas sums the column: it is a buyer's export, every
payment out negative), each transaction at its date and time. The same shape in English ("Date", "Time", "Type",
"Gross") lost its times of day too.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.source import dataset_from_table
from cjm.errors import MappingError
from tests.helpers import parsed_rows, parsed_text, report_kpis

# A shop's PayPal export: Ann pays 50 and 20, Bo pays 30 and is refunded the 30 three days later.
GERMAN = (
    '"Datum","Uhrzeit","Zeitzone","Name","Typ","Status","Währung","Brutto","Gebühr","Netto",'
    '"Absender E-Mail-Adresse","Empfänger E-Mail-Adresse","Transaktionscode","Guthaben"\n'
    '"03.01.2024","09:15:02","MEZ","Ann Lee","Website-Zahlung","Abgeschlossen","EUR","50,00","-1,75","48,25",'
    '"ann@x.com","shop@me.de","1AA","48,25"\n'
    '"03.01.2024","17:40:10","MEZ","Bo Ray","Website-Zahlung","Abgeschlossen","EUR","30,00","-1,17","28,83",'
    '"bo@x.com","shop@me.de","1AB","77,08"\n'
    '"05.01.2024","11:00:00","MEZ","Ann Lee","Website-Zahlung","Abgeschlossen","EUR","20,00","-0,88","19,12",'
    '"ann@x.com","shop@me.de","1AC","96,20"\n'
    '"06.01.2024","08:30:00","MEZ","Bo Ray","Rückzahlung","Abgeschlossen","EUR","-30,00","1,17","-28,83",'
    '"shop@me.de","bo@x.com","1AD","67,37"\n')

ENGLISH = (
    '"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","From Email Address",'
    '"To Email Address","Transaction ID"\n'
    '"01/03/2024","09:15:02","PST","Ann Lee","Website Payment","Completed","USD","50.00","-1.75","48.25","ann@x.com",'
    '"shop@me.com","1AA"\n'
    '"01/03/2024","17:40:10","PST","Bo Ray","Website Payment","Completed","USD","30.00","-1.17","28.83","bo@x.com",'
    '"shop@me.com","1AB"\n'
    '"01/05/2024","11:00:00","PST","Ann Lee","Website Payment","Completed","USD","20.00","-0.88","19.12","ann@x.com",'
    '"shop@me.com","1AC"\n'
    '"01/06/2024","08:30:00","PST","Bo Ray","Payment Refund","Completed","USD","-30.00","1.17","-28.83",'
    '"shop@me.com","bo@x.com","1AD"\n')


def test_a_german_paypal_export_reads_typ_as_the_event_and_brutto_as_the_revenue():
    # Revenue 50 + 30 + 20 - 30 = 70 (decimal commas read: "50,00" is 50). Bo's 30 is refunded whole, so he bought
    # nothing: orders are Ann's two, AOV 70 / 2 = 35, repeat buyers 1 of 1. Before: the event of every row was the
    # constant 'datum' and there was no revenue at all.
    parsed = parsed_text(GERMAN, "Download.CSV")
    mapping = parsed.files[0].mapping
    assert (mapping.columns["event"], mapping.columns["revenue"], mapping.columns["customer_id"]) == \
        ("Typ", "Brutto", "Name")
    assert parsed_rows(parsed)["revenue"].tolist() == [50, 30, 20, -30]
    kpis = report_kpis(parsed)
    assert kpis["revenue"] == pytest.approx(70)
    assert kpis["average_order_value"] == pytest.approx(35)
    assert kpis["repeat_purchase_rate"] == pytest.approx(1.0)


# 03.01.2024 (day-first, dotted) / 01/03/2024 (month-first, slashed) at 09:15:02 and 17:40:10; 5 Jan 11:00; 6 Jan
# 08:30, wall times in the zone of 'Zeitzone' / 'TimeZone' (cjm.data.zones): MEZ is UTC+1, so 1 hour earlier in UTC;
# PST is UTC-8, so 8 hours later (17:40:10 PST is 01:40:10 UTC the next day). Before: 00:00 on each day, the time in
# its own column unread; then (until the zone column was read) the wall times taken for UTC.
IN_UTC = {
    "Datum+Uhrzeit": ["2024-01-03 08:15:02", "2024-01-03 16:40:10", "2024-01-05 10:00:00", "2024-01-06 07:30:00"],
    "Date+Time": ["2024-01-03 17:15:02", "2024-01-04 01:40:10", "2024-01-05 19:00:00", "2024-01-06 16:30:00"],
}


@pytest.mark.parametrize("text,name", [(GERMAN, "Datum+Uhrzeit"), (ENGLISH, "Date+Time")], ids=list(IN_UTC))
def test_a_paypal_exports_time_of_day_column_completes_its_dates(text, name):
    parsed = parsed_text(text, "Download.CSV")
    assert parsed.files[0].mapping.time_of_day in ("Uhrzeit", "Time")
    assert parsed_rows(parsed)["timestamp"].tolist() == [pd.Timestamp(t, tz="UTC") for t in IN_UTC[name]]
    assert any("complete the dates" in note for note in parsed.files[0].notes)


@pytest.mark.parametrize("names", [
    ("Date", "Heure", "Nom", "Type", "Brut"),  # French
    ("Fecha", "Hora", "Nombre", "Tipo", "Bruto"),  # Spanish
    ("Data", "Orario", "Nome", "Tipo", "Lordo"),  # Italian
])
def test_paypal_exports_in_french_spanish_and_italian_find_the_customer_event_revenue_and_time(names):
    # Lia pays 12,50 and 7,50 on 2 Feb 2024 at 10:05 and 18:30, Ugo 4,00 on 3 Feb: 12.5, 7.5, 4.0. Before: refused,
    # no customer id found ('Nom', 'Nombre', 'Nome' unknown), nor revenue ('Brut', 'Bruto', 'Lordo').
    date, time, name, kind, gross = names
    text = (f'"{date}","{time}","{name}","{kind}","{gross}"\n'
            '"02/02/2024","10:05:00","Lia Moro","Pago","12,50"\n'
            '"02/02/2024","18:30:00","Lia Moro","Pago","7,50"\n'
            '"03/02/2024","09:00:00","Ugo Neri","Pago","4,00"\n')
    parsed = parsed_text(text, "paypal.csv")
    mapping = parsed.files[0].mapping
    assert mapping.columns == {"customer_id": name, "timestamp": date, "event": kind, "revenue": gross}
    assert mapping.time_of_day == time
    rows = parsed_rows(parsed)
    assert rows["revenue"].tolist() == [12.5, 7.5, 4.0]
    assert rows["timestamp"].iloc[1] == pd.Timestamp("2024-02-02 18:30", tz="UTC")


def test_dates_written_with_their_times_take_no_time_of_day_column():
    # 'created_at' carries its times: a 'time' column beside it (a duration, a time zone) is left an attribute.
    text = ("customer_id,created_at,time,event\n"
            "a,2024-01-01 10:00:00,12:30,view\n"
            "b,2024-01-02 11:00:00,08:15,view\n")
    parsed = parsed_text(text, "events.csv")
    assert parsed.files[0].mapping.time_of_day is None
    assert parsed_rows(parsed)["timestamp"].iloc[0] == pd.Timestamp("2024-01-01 10:00", tz="UTC")


def test_a_row_without_a_time_of_day_keeps_its_date():
    # 'b' has no time: its event is on 2 Jan at 00:00; 'a' at 10:05.
    text = "customer_id,date,time,event\na,2024-01-01,10:05,view\nb,2024-01-02,,view\nc,2024-01-03,9:30 PM,view\n"
    rows = parsed_rows(parsed_text(text, "events.csv"))
    assert rows["timestamp"].tolist() == [pd.Timestamp("2024-01-01 10:05", tz="UTC"),
                                          pd.Timestamp("2024-01-02 00:00", tz="UTC"),
                                          pd.Timestamp("2024-01-03 21:30", tz="UTC")]


def test_a_saved_mapping_keeps_its_time_of_day_column_and_refuses_a_wrong_one():
    mapping = ColumnMapping(columns={"customer_id": "Name", "timestamp": "Date", "event": "Type"}, time_of_day="Time")
    assert ColumnMapping.from_dict(mapping.to_dict()).time_of_day == "Time"
    assert mapping.describe()["timestamp"] == "Date + Time"
    with pytest.raises(MappingError, match="'time_of_day' must be the name of a column"):
        ColumnMapping.from_dict({"columns": {}, "time_of_day": 5})


def test_a_table_read_in_place_completes_its_dates_with_its_time_of_day_column():
    # The same two columns in a warehouse table: 3 Jan 09:15:02 and 17:40:10; a row without a time stays at 00:00.
    backend = engine.local()
    backend.register(pd.DataFrame({"Name": ["Ann", "Bo", "Cy"], "Date": ["2024-01-03", "2024-01-03", "2024-01-04"],
                                   "Time": ["09:15:02", "17:40:10", None], "Type": ["payment"] * 3}), name="paypal")
    mapping = ColumnMapping(columns={"customer_id": "Name", "timestamp": "Date", "event": "Type"}, time_of_day="Time")
    events = engine.execute(dataset_from_table(backend, "paypal", mapping=mapping).events).sort_values("customer_id")
    assert events["timestamp"].tolist() == [pd.Timestamp("2024-01-03 09:15:02", tz="UTC"),
                                            pd.Timestamp("2024-01-03 17:40:10", tz="UTC"),
                                            pd.Timestamp("2024-01-04 00:00", tz="UTC")]


# --- the app ------------------------------------------------------------------------------------------------------

def test_the_data_page_shows_the_time_of_day_column_and_choosing_none_reads_the_dates_alone():
    from tests.apptest import open_app

    at = open_app("app_pages/data.py", files={"Download.CSV": ENGLISH.encode()})
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.selectbox(key="cjm.map.Download.CSV.time").value == "Time"
    assert at.session_state["cjm.spec"].mappings.get("Download.CSV") is None  # the guess stands, untouched
    assert any("complete the dates" in c.value for c in at.caption)
    at.selectbox(key="cjm.map.Download.CSV.time").set_value("— none —").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["cjm.spec"].mappings["Download.CSV"].time_of_day is None
    assert not any("complete the dates" in c.value for c in at.caption)
