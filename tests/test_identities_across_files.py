"""A file that writes only the anonymous id, read with one that names who signed in on it (cjm.data.identities across
files). Expected customers are worked out by hand beside each example."""

from __future__ import annotations

from cjm.data.dataset import SourceFile, parse_files
from tests.helpers import parsed_rows

WEB = ("anonymousId,userId,timestamp,event\n"
       "a1,,2024-03-01T09:00:00Z,page_view\n"
       "a1,u1,2024-03-01T09:01:00Z,login\n"
       "s1,u2,2024-03-01T09:02:00Z,login\n"
       "s1,u3,2024-03-01T09:03:00Z,login\n")


def _customers(*files: tuple[str, str]) -> dict:
    parsed = parse_files([SourceFile(name, text.encode()) for name, text in files])
    return parsed, parsed_rows(parsed)["customer_id"].value_counts().sort_index().to_dict()


def test_an_app_file_joins_the_person_who_signed_in_on_its_device_and_says_so():
    # app a1 events: u1's (only u1 signed in on a1) -> u1 has web 2 + app 2 = 4 events; a9 never signed in: stays
    app = "anonymousId,timestamp,event\na1,2024-03-02T10:00:00Z,add_to_cart\na1,2024-03-02T10:05:00Z,purchase\n" \
          "a9,2024-03-02T11:00:00Z,page_view\n"
    parsed, customers = _customers(("web.csv", WEB), ("app.csv", app))
    assert customers == {"a9": 1, "u1": 4, "u2": 1, "u3": 1}
    note = ("2 events of this file's 'anonymousId' are the person's who signed in on that browser or device in "
            "'web.csv' (such as 'a1': 'u1'): one customer across the files.")
    assert any(note in n for n in parsed.files[1].notes)
    assert not any("across the files" in n for n in parsed.files[0].notes)


def test_a_device_where_several_people_signed_in_keeps_the_other_files_events():
    # s1: u2 and u3 signed in there (shared): the app's s1 event stays with s1
    app = "anonymousId,timestamp,event\ns1,2024-03-02T10:00:00Z,page_view\n"
    parsed, customers = _customers(("web.csv", WEB), ("app.csv", app))
    assert customers == {"s1": 1, "u1": 2, "u2": 1, "u3": 1}
    assert not any("across the files" in n for n in parsed.files[1].notes)


def test_a_crm_file_keyed_by_customer_ids_is_not_read_as_devices():
    # the CRM's customer 'a1' is a customer id, not Segment's anonymous a1: it stays 'a1' (the columns differ in kind)
    crm = "customer_id,timestamp,event\na1,2024-03-02T10:00:00Z,call\n"
    _, customers = _customers(("web.csv", WEB), ("crm.csv", crm))
    assert customers["a1"] == 1 and customers["u1"] == 2


def test_a_device_two_files_give_to_different_people_is_shared_for_every_file():
    # web: u1 signs in on a1; mobile (its own signed-in column): a1 browses, then u7 signs in on a1. Over the files a1
    # had two people (shared): its visits stay a1 in every file (web's, mobile's and the app's), as the rule over one
    # export would read them. a1 3, u1 1, u2 1, u3 1, u7 1.
    mobile = "anonymousId,userId,timestamp,event\na1,,2024-03-02T07:00:00Z,page_view\na1,u7,2024-03-02T08:00:00Z,login\n"
    app = "anonymousId,timestamp,event\na1,2024-03-02T10:00:00Z,page_view\n"
    parsed, customers = _customers(("web.csv", WEB), ("mobile.csv", mobile), ("app.csv", app))
    assert customers == {"a1": 3, "u1": 1, "u2": 1, "u3": 1, "u7": 1}
    assert any("Read with 'mobile.csv'" in n and "1 event of this file without signing in is another customer's" in n
               for n in parsed.files[0].notes)


# Cookie 1001 never signs in; customer 1001 signs in on cookie 1002; customer 2002 on cookie 1003 (review 29's example).
COOKIES = ("cookie_id,customer_id,timestamp,event\n1001,,2024-03-01 09:00,view\n"
           "1002,1001,2024-03-01 09:01,view\n1002,,2024-03-01 09:02,view\n1003,2002,2024-03-01 09:03,view\n")


def test_a_cookie_numbered_like_another_customer_is_written_apart_and_the_note_says_so():
    # by hand: '1001 (cookie_id)' 1 event (the visitor), 1001: 2 events (row 2, and row 3 on cookie 1002), 2002: 1
    parsed = parse_files([SourceFile("shop.csv", COOKIES.encode())])
    customers = parsed_rows(parsed)["customer_id"].value_counts().sort_index().to_dict()
    assert customers == {"1001": 2, "1001 (cookie_id)": 1, "2002": 1}
    note = ("1 browser or device where nobody signed in has the id of a person who did (such as '1001'): written "
            "'1001 (cookie_id)', a visitor of its own, not that person.")
    assert any(note in n for n in parsed.files[0].notes)


def test_the_same_cookies_read_in_place_give_the_same_customers_and_note(tmp_path):
    from cjm import engine
    from cjm.data.source import dataset_from_files

    parsed = parse_files([SourceFile("shop.csv", COOKIES.encode())])
    path = tmp_path / "shop.csv"
    path.write_text(COOKIES)
    dataset = dataset_from_files(path, mapping=parsed.files[0].mapping)
    customers = engine.execute(dataset.events.select("customer_id"))["customer_id"].value_counts().sort_index()
    assert customers.to_dict() == {"1001": 2, "1001 (cookie_id)": 1, "2002": 1}
    assert [n for n in dataset.files[0].notes if "signed in" in n] == [n for n in parsed.files[0].notes
                                                                       if "signed in" in n]


def test_an_app_cookie_numbered_like_a_customer_of_the_website_is_a_visitor_of_its_own():
    # web: u1 signs in on a1. app: cookie 'u1' (nobody signed in on it anywhere) is not customer u1: 'u1 (anonymousId)'
    app = "anonymousId,timestamp,event\nu1,2024-03-02T10:00:00Z,page_view\n"
    parsed, customers = _customers(("web.csv", WEB), ("app.csv", app))
    assert customers == {"u1": 2, "u1 (anonymousId)": 1, "u2": 1, "u3": 1}
    assert any("1 event of this file's 'anonymousId' where nobody signed in has the id of a person" in n
               for n in parsed.files[1].notes)
