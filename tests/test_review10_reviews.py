"""Review 10: a Google Play review export (google-play-scraper: at, userName, score, content). Reviewers who
hid their name are all written "Pengguna Google" ("A Google user" in English, "Ein Google-Nutzer" in German):
a placeholder, not a person. Every expected value is worked out by hand; names and texts are made up."""

from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis

PLAY_REVIEWS = ("at,userName,score,content\n"
                "2024-11-22 03:25:50,Pengguna Google,5,kopinya enak\n"
                "2024-11-21 17:58:03,Budi Santoso,4,aplikasinya bagus\n"
                "2024-11-21 15:30:17,Pengguna Google,1,pesanan saya belum sampai\n"
                "2024-11-20 05:45:10,Pengguna Google,2,pembayaran gagal terus\n"
                "2024-11-19 11:26:24,Budi Santoso,5,mantap\n")


def test_a_play_store_export_maps_the_reviewer_the_rating_the_comment_and_the_review_time():
    parsed = load(PLAY_REVIEWS)
    assert parsed.files[0].mapping.columns == {"customer_id": "userName", "timestamp": "at", "score": "score",
                                               "text": "content"}
    assert rows(parsed)["score"].tolist() == [5, 4, 1, 2, 5]


def test_reviews_by_the_anonymous_google_user_placeholder_are_different_people():
    # The 3 placeholder reviews are 3 respondents. So are Budi Santoso's 2: Google Play keeps one review per
    # account and app, so two reviews signed with one display name are two accounts (changed deliberately in
    # stop 28: they were one customer, and a real Play export got a false segment of 444 "loyal repeaters").
    parsed = load(PLAY_REVIEWS)
    assert kpis(parsed)["customers"] == 5
    assert rows(parsed)["customer_id"].tolist() == ["Pengguna Google (row 2)", "Budi Santoso (row 3)",
                                                    "Pengguna Google (row 4)", "Pengguna Google (row 5)",
                                                    "Budi Santoso (row 6)"]
    # 'Pengguna Google' is the store's placeholder, no name people share: 2 reviews share a name (Budi Santoso's, rows
    # 3 and 6), and the 3 placeholder reviews (rows 2, 4, 5) are said apart (changed deliberately in review 28: the
    # note said "5 reviews share a name with another ('Pengguna Google' signs 3 reviews)", counting the placeholder).
    assert any("'userName' holds the names reviewers show, not ids: 2 reviews share a name with another "
               "('Budi Santoso' signs 2 reviews), and people share names. 3 reviews by 'Pengguna Google' (what the "
               "store writes for a reviewer who hid their name) are each one reviewer too." in note
               for note in parsed.files[0].notes)


def test_a_reviewer_whose_name_only_contains_google_is_one_person():
    # handles, not display names (one word each): a handle names one account, so "Google User Group"'s 2 reviews
    # are 1 customer, not 2 placeholder reviews; with budi_s, amit99 and jnardino 4 customers in all
    parsed = load("at,userName,score,content\n2024-11-22 03:25:50,Google User Group,5,ok\n"
                  "2024-11-23 03:25:50,Google User Group,4,fine\n2024-11-23 04:00:00,budi_s,4,fine\n"
                  "2024-11-23 05:00:00,amit99,3,ok\n2024-11-23 06:00:00,jnardino,5,great\n")
    assert kpis(parsed)["customers"] == 4


def test_indonesian_complaints_keep_their_shorthand_negation_and_drop_shorthand_fillers():
    from tests.test_review5_painpoints import themes

    found = themes(["pesanan yg ga sampai sih", "pesanan ga sampai yg sekarang sih", "udah bayar pesanan ga sampai yg",
                    "aplikasi error terus yg sih", "aplikasi error saat bayar udah", "aplikasi error udah"])
    # ("sampai", arrived, is in the stop-words package's Indonesian list, as "llegó" is in its Spanish one)
    assert sorted(zip(found["theme"], found["count"])) == [("aplikasi error", 3), ("pesanan ga", 3)]
    names = set(found["theme"])
    assert not any(word in n.split() for n in names for word in ("yg", "sih", "udah"))
