"""Which column names a customer in exports of other sectors (cjm.data.columns._ID_WHO): the person a record is
about, written with an id word. Every expected value is worked out by hand from the literal CSV above it."""

from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm import engine


def parse(name: str, text: str):
    return parse_files([SourceFile(name, text.encode())])


def customers(parsed) -> int:
    events = build_dataset(parsed).events
    return int(engine.execute(events.aggregate(n=events.customer_id.nunique()))["n"].iloc[0])


def test_a_servicenow_incident_export_is_keyed_by_its_caller():
    # 3 incidents: Abel twice, Beth once -> 2 customers; the incident number is not the customer.
    parsed = parse("incident.csv", "number,caller_id,opened_at,resolved_at,short_description\n"
                                   "INC001,Abel Tuter,2024-01-02 09:00:00,2024-01-02 15:00:00,VPN down\n"
                                   "INC002,Beth Anglin,2024-01-03 09:00:00,,Mail full\n"
                                   "INC003,Abel Tuter,2024-01-05 09:00:00,2024-01-06 10:00:00,VPN again\n")
    assert parsed.files[0].mapping.columns["customer_id"] == "caller_id"
    assert customers(parsed) == 2


def test_an_insurers_claims_export_is_keyed_by_its_policyholder_not_its_claim():
    # 3 claims of 2 policyholders (P1 twice) -> 2 customers.
    parsed = parse("claims.csv", "Claim ID,Policyholder ID,Reported Date,Amount\n"
                                 "C1,P1,2024-02-01,500\nC2,P2,2024-02-03,200\nC3,P1,2024-03-01,50\n")
    assert parsed.files[0].mapping.columns["customer_id"] == "Policyholder ID"
    assert customers(parsed) == 2


def test_a_named_customer_column_still_wins_over_a_sector_word():
    # customer_id is an exact alias: it is the key even beside a patient_id (the person treated, not the payer).
    parsed = parse("visits.csv", "customer_id,patient_id,timestamp,event\n"
                                 "c1,p1,2024-01-01 10:00,visit\nc1,p2,2024-01-02 10:00,visit\n")
    assert parsed.files[0].mapping.columns["customer_id"] == "customer_id"
    assert customers(parsed) == 1
