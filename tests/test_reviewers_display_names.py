"""A review export keyed by display names ("Amit Kumar"): names many people share are no customer id. Google
Play keeps one review per account and app, so every review is one reviewer. Expected values worked by hand."""

from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis

PLAY = ("userName,score,at,content\n"
        "Amit Kumar,5,2023-10-13 02:31:22,Great voice feature\n"
        "Matt Larson,4,2023-10-12 01:00:00,Useful\n"
        "Amit Kumar,1,2023-10-11 09:15:00,Keeps logging me out\n"
        ",3,2023-10-10 08:00:00,ok\n"
        "Amit Kumar,2,2023-10-09 07:00:00,Slow\n")


def test_every_review_signed_with_a_display_name_is_one_reviewer():
    # 5 reviews, 3 signed "Amit Kumar", 1 unsigned: 5 reviewers (before: 3 customers, Amit with 3 "visits", and the
    # unsigned review rejected for a missing customer id)
    parsed = load(PLAY)
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used, parsed.accounting.rows_rejected) == (5, 5, 0)
    assert kpis(parsed)["customers"] == 5
    assert rows(parsed)["customer_id"].tolist() == ["Amit Kumar (row 2)", "Matt Larson (row 3)", "Amit Kumar (row 4)",
                                                    "row 5", "Amit Kumar (row 6)"]


def test_the_data_page_note_names_the_column_and_the_most_shared_name():
    notes = load(PLAY).files[0].notes
    assert ("'userName' holds the names reviewers show, not ids: 3 reviews share a name with another ('Amit Kumar' "
            "signs 3 reviews), and people share names. Each review is one reviewer (an app store keeps one review per "
            "account and app), named by its row. Map an id column on the Data page if the file has one.") in notes


def test_handles_name_one_account_each_and_keep_their_reviews_together():
    # airline tweets' 'name' holds Twitter handles: jnardino's 2 tweets are one customer; 2 customers
    parsed = load("name,airline_sentiment,text,tweet_created\njnardino,negative,late again,2015-02-24 11:35:52\n"
                  "jnardino,positive,thanks,2015-02-24 12:00:00\nkbosspotter,neutral,ok,2015-02-24 13:00:00\n")
    assert kpis(parsed)["customers"] == 2
    assert not any("holds the names reviewers show" in n for n in parsed.files[0].notes)


def test_names_in_an_events_export_still_name_customers():
    # a payments export's 'Name' (no score or comment: not a review export): Ann Lee paid twice, one customer
    parsed = load("Date,Name,Type,Gross\n2024-01-02,Ann Lee,Payment,20.00\n2024-01-05,Ann Lee,Payment,30.00\n"
                  "2024-01-06,Bo Chan,Payment,10.00\n")
    assert kpis(parsed)["customers"] == 2


def test_two_review_exports_keep_their_reviewers_apart():
    # row 2 of each file is "Amit Kumar (row 2)": two reviewers, named with their file; 10 in all
    from cjm.data.dataset import SourceFile, parse_files

    parsed = parse_files([SourceFile("oct.csv", PLAY.encode()), SourceFile("nov.csv", PLAY.replace("2023-10", "2023-11").encode())])
    assert kpis(parsed)["customers"] == 10
    assert rows(parsed)["customer_id"].tolist()[:2] == ["oct.csv: Amit Kumar (row 2)", "oct.csv: Matt Larson (row 3)"]
