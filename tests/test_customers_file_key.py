"""A customers file's key is the column whose values are the events' customer ids (joins.key_joining).

Two-file uploads in the shapes of real exports; the joined customers are read off each by hand."""

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, build_dataset, parse_files

CUSTOMERS = "id,Email,Name,Plan\ncus_1,a@x.com,A,gold\ncus_2,b@x.com,B,free\ncus_3,c@x.com,C,gold\n"
PAYMENTS = ("id,Customer ID,Created (UTC),Amount,Status\nch_1,cus_1,2024-01-01 10:00,10,Paid\n"
            "ch_2,cus_2,2024-01-02 10:00,20,Paid\nch_3,cus_1,2024-01-03 10:00,15,Paid\n")


def parse(*files, mappings=None):
    return parse_files([SourceFile(name, text.encode()) for name, text in files], mappings=mappings)


def customers_table(parsed):
    return engine.execute(build_dataset(parsed).customers).sort_values("customer_id").reset_index(drop=True)


def test_the_customers_files_id_that_the_payments_use_is_its_key_and_the_data_page_says_why():
    parsed = parse(("payments.csv", PAYMENTS), ("customers.csv", CUSTOMERS))
    report = next(f for f in parsed.files if f.name == "customers.csv")
    assert report.role == "customers" and report.mapping.columns["customer_id"] == "id"
    assert any("'id' is the customer id" in note and "'Email'" in note for note in report.notes)
    table = customers_table(parsed)
    # cus_3 has no payment: still a customer of the customers file; the e-mail stays an attribute
    assert list(table["customer_id"]) == ["cus_1", "cus_2", "cus_3"]
    assert list(table["Email"]) == ["a@x.com", "b@x.com", "c@x.com"]
    assert list(table["Plan"]) == ["gold", "free", "gold"]


def test_the_customers_file_may_come_first():
    parsed = parse(("customers.csv", CUSTOMERS), ("payments.csv", PAYMENTS))
    assert [f.role for f in parsed.files] == ["customers", "events"]
    assert list(customers_table(parsed)["customer_id"]) == ["cus_1", "cus_2", "cus_3"]
    assert parsed.accounting.rows_in == 6 and parsed.accounting.rows_used == 6


def test_a_customers_file_keyed_by_the_e_mail_the_events_use_keeps_it():
    events = "email,timestamp,event\na@x.com,2024-01-01 10:00,signup\nb@x.com,2024-01-02 10:00,signup\n"
    parsed = parse(("events.csv", events), ("customers.csv", CUSTOMERS))
    report = next(f for f in parsed.files if f.name == "customers.csv")
    assert report.mapping.columns["customer_id"] == "Email"
    assert not any("is the customer id" in note for note in report.notes)
    assert list(customers_table(parsed)["customer_id"]) == ["a@x.com", "b@x.com", "c@x.com"]


def test_a_key_the_user_chose_is_kept_even_when_it_joins_nothing():
    chosen = ColumnMapping(columns={"customer_id": "Email"})
    parsed = parse(("payments.csv", PAYMENTS), ("customers.csv", CUSTOMERS), mappings={"customers.csv": chosen})
    report = next(f for f in parsed.files if f.name == "customers.csv")
    assert report.mapping.columns["customer_id"] == "Email"
    assert list(customers_table(parsed)["customer_id"]) == ["a@x.com", "b@x.com", "c@x.com"]


def test_a_customers_file_with_no_column_of_the_events_ids_keeps_its_own_key():
    # 1 of 3 e-mails joins (33%); no other column joins half its rows: nothing better to take.
    events = "email,timestamp,event\na@x.com,2024-01-01 10:00,signup\nz@x.com,2024-01-02 10:00,signup\n"
    parsed = parse(("events.csv", events), ("customers.csv", CUSTOMERS))
    report = next(f for f in parsed.files if f.name == "customers.csv")
    assert report.mapping.columns["customer_id"] == "Email"


def test_a_zip_code_with_its_leading_zero_stays_text_and_a_plain_number_stays_a_number():
    customers = "id,Zip,Age\ncus_1,01001,34\ncus_2,94103,51\n"
    table = customers_table(parse(("payments.csv", PAYMENTS), ("customers.csv", customers)))
    assert list(table["Zip"]) == ["01001", "94103"]
    assert list(table["Age"]) == [34.0, 51.0]


def test_a_wide_customers_file_keeps_its_zero_padded_codes_as_text_too():
    # more than 100 attribute columns are typed in one stacked step: the same rule
    header = "id," + ",".join(f"a{i}" for i in range(101))
    lines = [f"cus_{n}," + ",".join(["0100" + str(n)] + [str(n * i) for i in range(1, 101)]) for n in (1, 2)]
    table = customers_table(parse(("payments.csv", PAYMENTS), ("customers.csv", "\n".join([header, *lines]) + "\n")))
    assert list(table["a0"]) == ["01001", "01002"]
    assert list(table["a3"]) == [3.0, 6.0]


def test_e_mail_ids_written_with_capitals_are_one_customer_and_the_data_page_says_so():
    # Ann@X.com and ann@x.com: one mailbox, one customer (2 events); bob@x.com another: 2 customers
    from tests.helpers import report_kpis as kpis

    parsed = parse(("events.csv", "email,timestamp,event\nAnn@X.com,2024-01-01 10:00,open\n"
                                  "ann@x.com,2024-01-02 10:00,click\nbob@x.com,2024-01-02 10:00,open\n"))
    assert kpis(parsed)["customers"] == 2
    assert "E-mail addresses in 'email' are compared in lower case (Ann@X.com is ann@x.com): 1 row wrote them " \
           "with capitals." in parsed.files[0].notes


def test_ids_that_are_not_e_mails_keep_their_case():
    # Salesforce ids differ by case: 001A and 001a are two accounts
    from tests.helpers import report_kpis as kpis

    parsed = parse(("events.csv", "account,timestamp,event\n001A,2024-01-01 10:00,open\n001a,2024-01-02 10:00,open\n"))
    assert kpis(parsed)["customers"] == 2
