"""Review 28: the display-name rule (cjm.data.reviewers: a review export keyed by the names reviewers show makes
every review one reviewer) on review exports in the column layouts of real tools: google-play-scraper
(reviewId, userName, userImage, content, score, thumbsUpCount, reviewCreatedVersion, at, replyContent, repliedAt,
appVersion), app-store-scraper (date, review, rating, isEdited, title, userName, developerResponse), Yelp
(review_id, user_id, name, ...), Trustpilot. Every file here is a small hand-made excerpt in that shape (names and
texts made up); every expected figure is worked out by hand in the comment beside it."""

import pytest

from cjm.data.dataset import SourceFile, parse_files
from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis

PLAY_HEADER = ("reviewId,userName,userImage,content,score,thumbsUpCount,reviewCreatedVersion,at,replyContent,"
               "repliedAt,appVersion\n")


def accounting(parsed):
    a = parsed.accounting
    assert a.rows_in == a.rows_used + a.rows_rejected  # rows in = rows used + rows rejected, always
    return a.rows_in, a.rows_used, a.rows_rejected


def names_note(parsed, position=0):
    notes = [n for n in parsed.files[position].notes if "holds the names reviewers show" in n]
    assert len(notes) <= 1
    return notes[0] if notes else None


# --- google-play-scraper's own layout ------------------------------------------------------------------------------

def test_a_play_export_whose_developer_replied_to_a_review_still_makes_every_review_one_reviewer():
    # google-play-scraper's columns as pd.DataFrame(result).to_csv writes them; the developer answered row 3, so 'at'
    # and 'repliedAt' both hold dates and the file is read as a wide export (one event per filled date), not as a
    # feedback file. It is still a review export: Amit Kumar's 2 reviews (rows 2, 3) are 2 accounts, Matt Larson 1:
    # 3 reviewers (cjm gave 2: 'Amit Kumar' was one customer with 2 reviews). Events: 3 review dates + 1 reply
    # date = 4; the reply (row 3) is the event of that review's reviewer, 'Amit Kumar (row 3)'.
    parsed = load(PLAY_HEADER +
                  "gp:1,Amit Kumar,https://x/a.png,Love it,5,3,1.2.0,2023-10-13 02:31:22,,,1.2.0\n"
                  "gp:2,Amit Kumar,https://x/b.png,Crashes,1,0,1.2.0,2023-10-12 02:31:22,Sorry! Fixed in 1.2.1,"
                  "2023-10-13 01:00:00,1.2.0\n"
                  "gp:3,Matt Larson,https://x/c.png,Good,4,0,,2023-10-11 02:31:22,,,\n")
    assert accounting(parsed) == (3, 3, 0)
    assert kpis(parsed)["customers"] == 3
    assert rows(parsed)["customer_id"].tolist() == ["Amit Kumar (row 2)", "Amit Kumar (row 3)", "Amit Kumar (row 3)",
                                                    "Matt Larson (row 4)"]
    # 2 reviews share a name (rows 2 and 3, 'Amit Kumar')
    assert names_note(parsed).startswith("'userName' holds the names reviewers show, not ids: 2 reviews share a name "
                                         "with another ('Amit Kumar' signs 2 reviews), and people share names.")


def test_a_help_desk_export_with_a_resolved_date_keeps_a_requesters_tickets_together():
    # a wide export with a satisfaction score and a comment but no reply date: tickets, not reviews. Ann Lee opened
    # 2 tickets (rows 2, 4), Bo Chan 1: 2 customers, each ticket 2 events (Created, Resolved): 6 events
    parsed = load("Name,Created,Resolved,Satisfaction,Comment\nAnn Lee,2024-01-02,2024-01-03,5,ok\n"
                  "Bo Chan,2024-01-03,2024-01-05,2,slow\nAnn Lee,2024-02-05,2024-02-06,4,good\n")
    assert accounting(parsed) == (3, 3, 0)
    assert kpis(parsed)["customers"] == 2
    assert rows(parsed)["customer_id"].tolist() == ["Ann Lee", "Ann Lee", "Bo Chan", "Bo Chan", "Ann Lee", "Ann Lee"]
    assert names_note(parsed) is None


def test_a_play_export_whose_reviewers_show_one_word_names_makes_every_review_one_reviewer():
    # google-play-scraper's layout with no reply: a feedback file. Google Play keeps one review per account and app,
    # whatever name the account shows: 'Sarah' (rows 2, 3), 'Mike', 'Amit Kumar' and '😎' are 5 reviews, 5
    # reviewers. Only 1 of the 4 names has two words (1/4 < 1/2): cjm read them as handles, 4 customers ('Sarah'
    # one with 2 reviews); the scraper's own columns (thumbsUpCount, reviewCreatedVersion) say it is Google Play.
    parsed = load(PLAY_HEADER +
                  "gp:1,Sarah,https://x/a.png,Love it,5,3,1.2.0,2023-10-13 02:31:22,,,1.2.0\n"
                  "gp:2,Sarah,https://x/b.png,Crashes,1,0,1.2.0,2023-10-12 02:31:22,,,1.2.0\n"
                  "gp:3,Mike,https://x/c.png,Good,4,0,,2023-10-11 02:31:22,,,\n"
                  "gp:4,Amit Kumar,https://x/d.png,Nice,5,0,1.1.0,2023-10-10 02:31:22,,,1.1.0\n"
                  "gp:5,😎,https://x/e.png,meh,3,0,1.1.0,2023-10-09 02:31:22,,,1.1.0\n")
    assert accounting(parsed) == (5, 5, 0)
    assert kpis(parsed)["customers"] == 5
    assert rows(parsed)["customer_id"].tolist()[:2] == ["Sarah (row 2)", "Sarah (row 3)"]
    # 2 reviews share a name: Sarah's
    assert "2 reviews share a name with another ('Sarah' signs 2 reviews)" in names_note(parsed)


def test_one_word_names_beside_columns_no_play_export_has_are_still_handles():
    # the same names without google-play-scraper's columns (userName, score, at, content: no thumbsUpCount): 1 of 4
    # names has two words, so they are handles: 'Sarah' 1 customer with 2 reviews, 4 customers
    parsed = load("userName,score,at,content\nSarah,5,2023-10-13,a\nSarah,1,2023-10-12,b\nMike,4,2023-10-11,c\n"
                  "Amit Kumar,5,2023-10-10,d\n😎,3,2023-10-09,e\n")
    assert kpis(parsed)["customers"] == 4
    assert names_note(parsed) is None


# --- names the rule misread ----------------------------------------------------------------------------------------

def test_chinese_display_names_written_without_spaces_are_display_names_not_handles():
    # 王小明 (rows 2, 3) and 李华 (row 4): full names in a script written without a space between family and given
    # name, as "Amit Kumar" is in Latin letters; a Chinese Play export's 2 reviews by 王小明 are 2 accounts:
    # 3 reviewers (cjm gave 2, reading the names as handles)
    parsed = load("userName,score,at,content\n王小明,5,2023-10-13,很好用\n王小明,1,2023-10-12,总是闪退\n"
                  "李华,4,2023-10-11,还可以\n")
    assert accounting(parsed) == (3, 3, 0)
    assert kpis(parsed)["customers"] == 3
    assert rows(parsed)["customer_id"].tolist() == ["王小明 (row 2)", "王小明 (row 3)", "李华 (row 4)"]
    assert "2 reviews share a name with another ('王小明' signs 2 reviews)" in names_note(parsed)


def test_korean_and_japanese_display_names_without_spaces_are_display_names_too():
    # 김민수 (rows 2, 4), 田中太郎 (row 3), and one handle, minsu_88 (row 5): 2 of the 3 distinct names are full
    # names (2/3 >= 1/2): every review is one reviewer, 4 in all
    parsed = load("userName,score,at,content\n김민수,5,2023-10-13,좋아요\n田中太郎,4,2023-10-12,便利です\n"
                  "김민수,1,2023-10-11,별로\nminsu_88,3,2023-10-10,ok\n")
    assert accounting(parsed) == (4, 4, 0)
    assert kpis(parsed)["customers"] == 4


def test_ascii_handles_of_one_word_still_keep_their_reviews_together():
    # the CJK rule is about scripts without spaces: ASCII handles (wangxm 2 reviews, li_hua 1) are handles, 2 customers
    parsed = load("userName,score,at,content\nwangxm,5,2023-10-13,good\nwangxm,1,2023-10-12,bad\n"
                  "li_hua,4,2023-10-11,ok\n")
    assert kpis(parsed)["customers"] == 2


# --- the Data page note's figures ----------------------------------------------------------------------------------

def test_the_note_counts_a_name_written_in_another_case_or_with_spaces_around_as_the_same_name():
    # 'Amit Kumar', 'amit kumar ' and ' AMIT KUMAR' are one name written three ways: 3 reviews share it (cjm's note
    # said no review shared a name); 'Jo Li' signs 1. Still 4 reviewers, one per review.
    parsed = load("userName,score,at,content\nAmit Kumar,5,2023-10-13,a\namit kumar ,1,2023-10-12,b\n"
                  " AMIT KUMAR,4,2023-10-11,c\nJo Li,3,2023-10-10,d\n")
    assert accounting(parsed) == (4, 4, 0)
    assert kpis(parsed)["customers"] == 4
    assert "3 reviews share a name with another ('Amit Kumar' signs 3 reviews)" in names_note(parsed)


def test_the_note_does_not_count_the_stores_placeholder_as_a_name_people_share():
    # 3 reviews by the placeholder 'A Google user' (rows 2-4), 'Jo Li' and 'sam' once each: no name is shared (cjm's
    # note said "3 reviews share a name with another ('A Google user' signs 3 reviews)"); the 3 placeholder reviews
    # are said as such. 5 reviewers.
    parsed = load("userName,score,at,content\nA Google user,5,2023-10-13,a\nA Google user,1,2023-10-12,b\n"
                  "A Google user,4,2023-10-11,c\nJo Li,3,2023-10-10,d\nsam,3,2023-10-09,e\n")
    assert accounting(parsed) == (5, 5, 0)
    assert kpis(parsed)["customers"] == 5
    note = names_note(parsed)
    assert "share a name" not in note
    assert ("3 reviews by 'A Google user' (what the store writes for a reviewer who hid their name) are each one "
            "reviewer too.") in note


def test_the_note_says_one_placeholder_review_in_the_singular():
    # 1 review by 'A Google user' (row 3) beside Amit Kumar's (row 2): "1 review ... is one reviewer too"
    # (cjm wrote "1 review by 'A Google user' (...) are each one reviewer too"); 2 reviewers
    parsed = load("userName,score,at,content\nAmit Kumar,5,2023-10-13,a\nA Google user,1,2023-10-12,b\n")
    assert kpis(parsed)["customers"] == 2
    assert ("1 review by 'A Google user' (what the store writes for a reviewer who hid their name) is one reviewer "
            "too.") in names_note(parsed)


def test_the_note_counts_only_the_reviews_kept():
    # 6 rows: row 4 repeats row 2 exactly (a scrape's overlapping pages): a duplicate, set aside; row 5 has no date:
    # set aside. Kept: Amit Kumar rows 2 and 7, Matt Larson row 3, Jo Li row 6 = 4 reviews, 4 reviewers.
    # Amit Kumar signs 2 of the kept reviews (cjm's note said 4: rows 2, 4, 5, 7).
    parsed = load("reviewId,userName,content,score,at\ngp:1,Amit Kumar,Great,5,2023-10-13 02:31:22\n"
                  "gp:2,Matt Larson,Ok,4,2023-10-12 01:00:00\ngp:1,Amit Kumar,Great,5,2023-10-13 02:31:22\n"
                  "gp:3,Amit Kumar,Slow,2,\ngp:4,Jo Li,Fine,4,2023-10-10 01:00:00\n"
                  "gp:5,Amit Kumar,Better,4,2023-10-09 01:00:00\n")
    assert accounting(parsed) == (6, 4, 2)
    assert parsed.accounting.reasons == {"duplicate row (every column equals an earlier row)": 1,
                                         "missing timestamp": 1}
    assert kpis(parsed)["customers"] == 4
    assert "2 reviews share a name with another ('Amit Kumar' signs 2 reviews)" in names_note(parsed)


def test_the_note_quotes_a_long_display_name_shortened():
    # a 56-character name signs rows 2 and 3: the note quotes 40 characters, as every note quotes a file's cells:
    # "Muhammad " 9 + "Abdullah " 18 + "bin " 22 + "Abdul " 28 + "Rahman " 35 + "Al-H" 39, then '…'.
    # 2 reviews share it; with 'Jo Li' 3 reviewers
    long = "Muhammad Abdullah bin Abdul Rahman Al-Hashimi Al-Qurashi"
    parsed = load(f"userName,score,at,content\n{long},5,2023-10-13,a\n{long},1,2023-10-12,b\nJo Li,3,2023-10-10,d\n")
    assert kpis(parsed)["customers"] == 3
    assert ("2 reviews share a name with another ('Muhammad Abdullah bin Abdul Rahman Al-H…' signs 2 reviews)"
            in names_note(parsed))


# --- other real layouts --------------------------------------------------------------------------------------------

def test_an_app_store_export_makes_every_review_one_reviewer():
    # app-store-scraper's columns; 2 of the 3 nicknames have two words or more: every review is one reviewer, 3
    parsed = load("date,review,rating,isEdited,title,userName,developerResponse\n"
                  "2023-10-13T02:31:22-07:00,Love it,5,False,Great,Happy camper 22,\n"
                  "2023-10-12T02:31:22-07:00,Bad,1,False,Bad,jdoe,\n"
                  "2023-10-11T02:31:22-07:00,Ok,3,True,Ok,Not happy anymore,\n")
    assert accounting(parsed) == (3, 3, 0)
    assert parsed.files[0].role == "feedback"
    assert kpis(parsed)["customers"] == 3


def test_a_yelp_export_keys_reviews_by_user_id_and_keeps_one_users_reviews_together():
    # Yelp's review_id, user_id, name: user_id is the customer id. u1 wrote 2 reviews (rows 2, 3) signed 'John S.',
    # u2 1 also signed 'John S.' (another person), u3 1: 3 customers
    parsed = load("review_id,user_id,name,business_id,stars,text,date\nr1,u1,John S.,b1,5,Great,2024-01-01\n"
                  "r2,u1,John S.,b2,4,Good,2024-02-01\nr3,u2,John S.,b1,1,Bad,2024-03-01\n"
                  "r4,u3,Mary Ann,b1,3,ok,2024-03-02\n")
    assert parsed.files[0].mapping.columns["customer_id"] == "user_id"
    assert accounting(parsed) == (4, 4, 0)
    assert kpis(parsed)["customers"] == 3
    assert names_note(parsed) is None


def test_a_trustpilot_export_keys_reviews_by_the_reviewer_id():
    # Trustpilot-style columns with a reviewer id: c1 wrote 2 reviews (rows 2, 3), c2 1, all signed 'Amit Kumar':
    # 'Reviewer id' is the customer id, 2 customers (cjm mapped no customer id: 3 anonymous respondents), and
    # 'Review Content' is the comment (cjm read no comment)
    parsed = load("Date,Rating,Review title,Review Content,Reviewer name,Reviewer id\n"
                  "2024-01-02,5,Great service,Fast delivery and the parcel was well packed,Amit Kumar,c1\n"
                  "2024-02-02,4,Good,Second order arrived on time again but the box was dented,Amit Kumar,c1\n"
                  "2024-02-03,1,Bad,Late again and nobody answered my emails for a week,Amit Kumar,c2\n")
    assert accounting(parsed) == (3, 3, 0)
    assert parsed.files[0].mapping.columns == {"customer_id": "Reviewer id", "timestamp": "Date", "score": "Rating",
                                               "text": "Review Content"}
    assert kpis(parsed)["customers"] == 2
    assert names_note(parsed) is None


def test_a_trustpilot_export_with_its_consumer_id_and_review_stars_is_read():
    # Trustpilot's business export names: 'Review Created (UTC)', 'Review Stars', 'Review Content', 'Consumer ID'.
    # c1's 2 reviews are 1 customer, c2 1: 2 customers (cjm stopped: "this file does not supply customer id")
    parsed = load("Review Created (UTC),Review ID,Review Stars,Review Title,Review Content,Reviewer Name,Consumer ID\n"
                  "2024-01-02,t1,5,Great service,Fast delivery and the parcel was well packed,Amit Kumar,c1\n"
                  "2024-02-02,t2,4,Good,Second order arrived on time again but the box was dented,Amit Kumar,c1\n"
                  "2024-02-03,t3,1,Bad,Late again and nobody answered my emails for a week,Amit Kumar,c2\n")
    assert accounting(parsed) == (3, 3, 0)
    assert parsed.files[0].mapping.columns == {"customer_id": "Consumer ID", "timestamp": "Review Created (UTC)",
                                               "score": "Review Stars", "text": "Review Content"}
    assert kpis(parsed)["customers"] == 2


def test_a_judge_me_export_keys_reviews_by_the_reviewers_email():
    # Judge.me (Shopify product reviews): reviewer_name and reviewer_email. ann@x.com wrote 2 reviews (rows 2, 3),
    # ann2@y.com 1, all signed 'Ann Lee': 2 customers, keyed by e-mail so they can join the shop's orders (cjm
    # mapped no customer id: 3 anonymous respondents)
    parsed = load("title,body,rating,review_date,source,reviewer_name,reviewer_email,product_handle\n"
                  "Great,Love this mug,5,2024-01-01,web,Ann Lee,ann@x.com,mug\n"
                  "Ok,The tee shrank a little,3,2024-02-01,web,Ann Lee,ann@x.com,tee\n"
                  "Bad,Torn on arrival,1,2024-02-02,web,Ann Lee,ann2@y.com,tee\n")
    assert accounting(parsed) == (3, 3, 0)
    assert parsed.files[0].mapping.columns["customer_id"] == "reviewer_email"
    assert kpis(parsed)["customers"] == 2


def test_an_amazon_review_export_keys_reviews_by_the_reviewer_id_and_reads_overall_as_the_stars():
    # Amazon's review data (reviewerID, asin, reviewerName, reviewText, overall): A1X wrote 2 reviews (rows 2, 3)
    # under Amazon's default name 'Amazon Customer', A2Y 1: reviewerID is an account, 2 customers (cjm mapped no
    # customer id: 3 anonymous respondents), and 'overall' holds the stars 5, 1, 4 (cjm read no score)
    parsed = load("overall,verified,reviewTime,reviewerID,asin,reviewerName,reviewText,summary,unixReviewTime\n"
                  '5.0,True,"01 5, 2018",A1X,B00,Amazon Customer,Works great for my kitchen,Great,1515110400\n'
                  '1.0,True,"02 5, 2018",A1X,B01,Amazon Customer,Broke within a week of use,Broke,1517788800\n'
                  '4.0,False,"03 5, 2018",A2Y,B00,Jane Doe,Nice product overall,Good,1520208000\n')
    assert accounting(parsed) == (3, 3, 0)
    assert parsed.files[0].mapping.columns["customer_id"] == "reviewerID"
    assert parsed.files[0].mapping.columns["score"] == "overall"
    assert rows(parsed)["score"].tolist() == [5, 1, 4]
    assert kpis(parsed)["customers"] == 2


# --- feedback that is not an app store's -------------------------------------------------------------------------

def test_a_crm_nps_survey_keyed_by_name_every_quarter_keeps_a_customers_answers_together():
    # a CRM's quarterly NPS survey keyed by the contact's 'Name': Ann Lee answered 3 times (9, 7, 3: a promoter
    # turning detractor), Bo Chan twice. A marketer expects 2 customers whose scores can be followed over time, not 5
    # strangers: a CRM's contact names are its records, and no app store keeps one answer per account here.
    parsed = load("Name,Date,Score,Comment\nAnn Lee,2024-01-05,9,Great\nBo Chan,2024-01-05,6,meh\n"
                  "Ann Lee,2024-04-05,7,ok\nBo Chan,2024-04-05,8,better\nAnn Lee,2024-07-05,3,worse\n")
    assert accounting(parsed) == (5, 5, 0)
    assert kpis(parsed)["customers"] == 2


# --- two files -----------------------------------------------------------------------------------------------------

def test_a_play_export_beside_tweets_splits_the_display_names_and_keeps_the_handles():
    # play.csv: Amit Kumar's 2 reviews are 2 reviewers, Jo Li 1 (named with the file: 2 files); tweets.csv: jnardino's
    # 2 tweets are 1 customer (a handle, without the file name): 3 + 1 = 4 customers, 5 rows in, 5 used
    play = "userName,score,at,content\nAmit Kumar,5,2023-10-13,a\nAmit Kumar,1,2023-10-12,b\nJo Li,3,2023-10-10,d\n"
    tweets = ("name,airline_sentiment,text,tweet_created\njnardino,negative,late,2015-02-24 11:35:52\n"
              "jnardino,positive,thanks,2015-02-24 12:00:00\n")
    parsed = parse_files([SourceFile("play.csv", play.encode()), SourceFile("tweets.csv", tweets.encode())])
    assert accounting(parsed) == (5, 5, 0)
    assert kpis(parsed)["customers"] == 4
    assert rows(parsed)["customer_id"].tolist() == ["play.csv: Amit Kumar (row 2)", "play.csv: Amit Kumar (row 3)",
                                                    "play.csv: Jo Li (row 4)", "jnardino", "jnardino"]
    assert names_note(parsed, 1) is None


def test_a_customers_file_beside_a_review_export_of_display_names_says_why_no_reviewer_joins():
    # customers.csv (Name, Email, Plan) beside a Play export: the reviewers are each one review, so none of the 2
    # customers joins a review (3 reviewers, 2 customers' rows used: 5 rows in, 5 used). The customers file's note
    # should say the reviews are keyed per review (names reviewers show), not ask to write ids alike.
    play = "userName,score,at,content\nAmit Kumar,5,2023-10-13,a\nAmit Kumar,1,2023-10-12,b\nJo Li,3,2023-10-10,d\n"
    customers = "Name,Email,Plan\nAmit Kumar,amit@x.com,Pro\nJo Li,jo@x.com,Free\n"
    parsed = parse_files([SourceFile("play.csv", play.encode()), SourceFile("customers.csv", customers.encode())])
    assert accounting(parsed) == (5, 5, 0)
    assert kpis(parsed)["customers"] == 3
    notes = " ".join(parsed.files[1].notes)
    assert "names reviewers show" in notes and "Check that both files write customers the same way" not in notes


def test_two_play_exports_that_overlap_count_a_review_in_both_once():
    # monthly scrapes whose windows overlap: review gp:2 (Matt Larson, 2023-10-30) is in oct.csv (row 3) and in
    # nov.csv (row 2). Reviews: gp:1, gp:2, gp:3 = 3 reviews, 3 reviewers (one review per account and app), not 4.
    # The rule names a reviewer by file and row, so the review the two files share is two people.
    header = "reviewId,userName,content,score,at\n"
    october = header + "gp:1,Amit Kumar,Great,5,2023-10-13 02:31:22\ngp:2,Matt Larson,Ok,4,2023-10-30 01:00:00\n"
    november = header + "gp:2,Matt Larson,Ok,4,2023-10-30 01:00:00\ngp:3,Jo Li,Fine,4,2023-11-10 01:00:00\n"
    parsed = parse_files([SourceFile("oct.csv", october.encode()), SourceFile("nov.csv", november.encode())])
    assert kpis(parsed)["customers"] == 3
