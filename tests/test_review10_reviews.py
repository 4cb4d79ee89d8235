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
    # Budi Santoso wrote 2 reviews: 1 customer; the 3 placeholder reviews are 3 respondents: 4 in all.
    parsed = load(PLAY_REVIEWS)
    assert kpis(parsed)["customers"] == 4
    assert rows(parsed)["customer_id"].tolist() == ["Pengguna Google (row 2)", "Budi Santoso", "Pengguna Google (row 4)",
                                                    "Pengguna Google (row 5)", "Budi Santoso"]
    assert any("3 rows by 'Pengguna Google'" in note for note in parsed.files[0].notes)


def test_a_reviewer_whose_name_only_contains_google_is_one_person():
    parsed = load("at,userName,score,content\n2024-11-22 03:25:50,Google User Group,5,ok\n"
                  "2024-11-23 03:25:50,Google User Group,4,fine\n")
    assert kpis(parsed)["customers"] == 1


def test_indonesian_complaints_keep_their_shorthand_negation_and_drop_shorthand_fillers():
    from tests.test_review5_painpoints import themes

    found = themes(["pesanan yg ga sampai sih", "pesanan ga sampai yg sekarang sih", "udah bayar pesanan ga sampai yg",
                    "aplikasi error terus yg sih", "aplikasi error saat bayar udah", "aplikasi error udah"])
    # ("sampai", arrived, is in the stop-words package's Indonesian list, as "llegó" is in its Spanish one)
    assert sorted(zip(found["theme"], found["count"])) == [("aplikasi error", 3), ("pesanan ga", 3)]
    names = set(found["theme"])
    assert not any(word in n.split() for n in names for word in ("yg", "sih", "udah"))
