"""Review 43: a file of ratings and comments with no date column, uploaded beside an orders file, is the customers'
feedback (events without a time), not a customers file; a customers file of genuine attributes stays one."""

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, load_dataset, parse_files

ORDERS = ("customer_id,order_date,event,amount\n"
          "c1,2024-01-05,purchase,20\nc2,2024-01-06,purchase,30\nc3,2024-01-07,purchase,40\n")
SURVEY = "customer_id,rating,comment\nc1,5,Great service\nc2,1,Terrible delivery\nc3,4,Fine\n"


def files(tmp_path, **texts):
    paths = []
    for name, text in texts.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text)
        paths.append(path)
    return paths


def test_a_survey_without_dates_beside_orders_is_read_as_the_customers_feedback(tmp_path):
    # 3 orders + 3 answers = 6 rows in, 6 used, none rejected; the answers are 3 'feedback' events without a time
    dataset = load_dataset(files(tmp_path, orders=ORDERS, survey=SURVEY))
    assert [f.role for f in dataset.files] == ["events", "feedback"]
    acc = dataset.accounting
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (6, 6, 0)
    events = engine.execute(dataset.events)
    answers = events[events["event"] == "feedback"].sort_values("customer_id")
    assert answers["customer_id"].tolist() == ["c1", "c2", "c3"]
    assert answers["score"].tolist() == [5.0, 1.0, 4.0]
    assert answers["text"].tolist() == ["Great service", "Terrible delivery", "Fine"]
    assert answers["timestamp"].isna().all()
    assert events.loc[events["event"] == "purchase", "timestamp"].notna().all()


def test_the_data_page_says_the_undated_answers_have_no_time_and_how_to_give_them_one(tmp_path):
    dataset = load_dataset(files(tmp_path, orders=ORDERS, survey=SURVEY))
    note = next(n for n in dataset.files[1].notes if "no date column" in n.lower())
    assert "3 answers" in note and "map a date column" in note.lower()


def test_undated_answers_reach_the_sentiment_signals_and_the_call_back_list(tmp_path):
    # ratings 5, 1, 4 on the -1..+1 scale: (5-3)/2 = 1, (1-3)/2 = -1, (4-3)/2 = 0.5; c2's answer is negative, so
    # c2 (who paid 30) is on the call-back list
    from cjm.voice.followup import compute_closed_loop
    from cjm.voice.sentiment import compute_signals

    dataset = load_dataset(files(tmp_path, orders=ORDERS, survey=SURVEY))
    signals = compute_signals(dataset)
    rated = signals[signals["source"] == "score"].sort_values("customer_id") if "source" in signals else None
    if rated is None:
        rated = signals.dropna(subset=["score"]).sort_values("customer_id")
    assert rated["customer_id"].tolist() == ["c1", "c2", "c3"]
    loop = compute_closed_loop(dataset)
    assert "c2" in loop["customer_id"].tolist()
    assert "c1" not in loop["customer_id"].tolist()


def test_a_customers_file_of_plan_country_and_signup_date_stays_a_customers_file(tmp_path):
    # 3 orders + 3 customers: 6 in, 6 used; the customers' plan is an attribute
    customers = "customer_id,plan,country,signup_date\nc1,pro,DE,2023-05-01\nc2,free,FR,2023-06-02\nc3,pro,US,2023-07-03\n"
    dataset = load_dataset(files(tmp_path, orders=ORDERS, customers=customers))
    assert [f.role for f in dataset.files] == ["events", "customers"]
    table = engine.execute(dataset.customers).set_index("customer_id")
    assert table["plan"].to_dict() == {"c1": "pro", "c2": "free", "c3": "pro"}
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (6, 6)


def test_a_customers_file_of_plan_and_country_without_dates_stays_a_customers_file(tmp_path):
    customers = "customer_id,plan,country\nc1,pro,DE\nc2,free,FR\nc3,pro,US\n"
    dataset = load_dataset(files(tmp_path, orders=ORDERS, accounts=customers))
    assert [f.role for f in dataset.files] == ["events", "customers"]


def test_a_contacts_export_whose_notes_sit_beside_its_attributes_stays_a_customers_file(tmp_path):
    # the staff's notes about a contact ('VIP call quarterly') are no customer's feedback: an attribute
    contacts = ("customer_id,Email,First Name,Lifecycle Stage,Notes\n"
                "c1,ann@x.com,Ann,customer,VIP call quarterly\nc2,bob@x.com,Bob,lead,prefers email\n"
                "c3,cid@x.com,Cid,customer,\n")
    dataset = load_dataset(files(tmp_path, orders=ORDERS, crm=contacts))
    assert [f.role for f in dataset.files] == ["events", "customers"]
    assert engine.execute(dataset.events)["event"].tolist() == ["purchase"] * 3


def test_a_survey_with_its_respondents_plan_keeps_the_plan_as_a_customer_attribute(tmp_path):
    # one answer per customer: the answers are feedback, the plan and country their customers' attributes
    survey = ("customer_id,plan,country,rating,comment\nc1,pro,DE,5,Great service\nc2,free,FR,1,Terrible delivery\n"
              "c3,pro,US,4,Fine\n")
    dataset = load_dataset(files(tmp_path, orders=ORDERS, survey=survey))
    assert [f.role for f in dataset.files] == ["events", "feedback"]
    table = engine.execute(dataset.customers).set_index("customer_id")
    assert table["plan"].to_dict() == {"c1": "pro", "c2": "free", "c3": "pro"}
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (6, 6)


def test_an_undated_surveys_repeated_answer_and_answer_without_id_are_set_aside_with_their_reasons(tmp_path):
    # 5 answers: c1's twice alike (the second a duplicate, line 3), one without a customer id (line 5):
    # 3 orders + 5 answers = 8 in = 6 used + 2 rejected
    survey = "customer_id,rating,comment\nc1,5,Great\nc1,5,Great\nc2,1,Awful\n,3,ok\nc3,4,Fine\n"
    dataset = load_dataset(files(tmp_path, orders=ORDERS, survey=survey))
    acc = dataset.accounting
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (8, 6, 2)
    assert acc.reasons == {"duplicate row (every column equals an earlier row)": 1, "missing customer id": 1}
    assert sorted(acc.rejected["line"].tolist()) == [3, 5]


def test_an_undated_survey_the_user_calls_feedback_is_read_not_refused():
    parsed = parse_files([SourceFile("orders.csv", ORDERS.encode()),
                          SourceFile("answers.csv", SURVEY.encode(), role="feedback")])
    assert [f.role for f in parsed.files] == ["events", "feedback"]
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used) == (6, 6)


def test_an_undated_survey_the_user_calls_a_customers_file_keeps_its_answers_as_attributes():
    # the user's choice stands: 3 customers with a rating and a comment, no feedback events
    parsed = parse_files([SourceFile("orders.csv", ORDERS.encode()),
                          SourceFile("answers.csv", SURVEY.encode(), role="customers")])
    assert [f.role for f in parsed.files] == ["events", "customers"]
    assert parsed.customers.set_index("customer_id")["rating"].to_dict() == {"c1": 5.0, "c2": 1.0, "c3": 4.0}


def test_the_undated_answers_give_the_journey_maps_emotions_at_their_stage(tmp_path):
    # the answers are 'feedback' events (stage retention in the 5-stage model): 3 ratings + 3 comments = 6 signals
    from cjm.maps.current import build_current_map

    dataset = load_dataset(files(tmp_path, orders=ORDERS, survey=SURVEY))
    cells = build_current_map(dataset).to_dict()["cells"]
    emotions = [c for c in cells if c["lane"] == "emotions" and c.get("number") is not None]
    assert [(c["stage"], c["evidence"]["comments"]) for c in emotions] == [("retention", 6)]


def test_a_leads_list_whose_score_runs_to_100_stays_a_customers_file(tmp_path):
    # a lead score of 35..80 is on no survey's scale (1..5, 0..10, -1..+1): the company's figure about a lead
    leads = "customer_id,Company,Score\nc1,Acme,80\nc2,Beta,35\nc3,Gamma,60\n"
    dataset = load_dataset(files(tmp_path, orders=ORDERS, leads=leads))
    assert [f.role for f in dataset.files] == ["events", "customers"]


def test_a_survey_of_comments_alone_keyed_by_e_mail_and_name_is_feedback(tmp_path):
    # 3 orders + 2 comments = 5 in, 5 used; the e-mail is the customer, the name beside it says who wrote
    orders = ORDERS.replace("c1,", "ann@x.com,").replace("c2,", "bob@x.com,")
    survey = "Email,Name,Comment\nann@x.com,Ann,Faster shipping please\nbob@x.com,Bob,The app crashes at checkout\n"
    dataset = load_dataset(files(tmp_path, orders=orders, survey=survey))
    assert [f.role for f in dataset.files] == ["events", "feedback"]
    events = engine.execute(dataset.events)
    assert sorted(events.loc[events["event"] == "feedback", "customer_id"]) == ["ann@x.com", "bob@x.com"]
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (5, 5)


def test_in_place_an_orders_file_and_a_survey_of_other_columns_are_refused_with_the_reason_and_the_fix(tmp_path):
    # read in place, files are one table: the survey's columns (customer_id, rating, comment) are not the orders'
    import pytest

    from cjm.data.source import dataset_from_files
    from cjm.errors import CJMError

    orders, survey = files(tmp_path, orders=ORDERS, survey=SURVEY)
    with pytest.raises(CJMError) as caught:
        dataset_from_files([orders, survey])
    message = str(caught.value)
    assert "orders.csv" in message and "survey.csv" in message
    assert "'rating'" in message and "'order_date'" in message
    assert "upload" in message.lower() and "feedback" in message


def test_in_place_parquet_files_of_other_columns_are_refused_the_same_way(tmp_path):
    import pandas as pd
    import pytest

    from cjm.data.source import dataset_from_files
    from cjm.errors import CJMError

    orders, survey = files(tmp_path, orders=ORDERS, survey=SURVEY)
    pd.read_csv(orders).to_parquet(tmp_path / "orders.parquet")
    pd.read_csv(survey).to_parquet(tmp_path / "survey.parquet")
    with pytest.raises(CJMError, match="same columns"):
        dataset_from_files([tmp_path / "orders.parquet", tmp_path / "survey.parquet"])


def test_in_place_an_undated_survey_is_refused_saying_an_upload_reads_its_answers(tmp_path):
    # in place, every row needs its time; an upload reads the 3 answers as feedback without a time
    import pytest

    from cjm.data.source import dataset_from_files
    from cjm.errors import MappingError

    (survey,) = files(tmp_path, survey=SURVEY)
    with pytest.raises(MappingError) as caught:
        dataset_from_files([survey])
    message = str(caught.value)
    assert "timestamp" in message and "upload" in message.lower() and "without a time" in message


def test_in_place_a_glob_reads_the_files_it_matches_and_refuses_them_when_their_columns_differ(tmp_path):
    # a.csv and b.csv: 3 orders each = 6 rows in; the glob over orders.csv and survey.csv names both files
    import pytest

    from cjm.data.source import dataset_from_files
    from cjm.errors import CJMError

    (tmp_path / "same").mkdir()
    (tmp_path / "same" / "a.csv").write_text(ORDERS)
    (tmp_path / "same" / "b.csv").write_text(ORDERS.replace("c1,", "c4,").replace("c2,", "c5,").replace("c3,", "c6,"))
    dataset = dataset_from_files(str(tmp_path / "same" / "*.csv"))
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (6, 6)
    files(tmp_path, orders=ORDERS, survey=SURVEY)
    with pytest.raises(CJMError, match="survey.csv's are not orders.csv's"):
        dataset_from_files(str(tmp_path / "*.csv"))


def test_the_sentiment_trend_counts_the_undated_answers_it_leaves_out(tmp_path):
    # dated reviews: c1's 2 on 10 Jan, c3's 5 on 11 Jan (2 signals in the trend); the undated survey's 3 ratings and
    # 3 comments are no point in time: 6 signals left out, counted in attrs["undated"] for the page to say so
    from cjm.voice.sentiment import compute_sentiment_by, compute_signals

    reviews = "customer_id,date,rating\nc1,2024-01-10,2\nc3,2024-01-11,5\n"
    dataset = load_dataset(files(tmp_path, orders=ORDERS, reviews=reviews, survey=SURVEY))
    assert [f.role for f in dataset.files] == ["events", "feedback", "feedback"]
    trend = compute_sentiment_by(compute_signals(dataset), by="period", period="day")
    assert int(trend["n"].sum()) == 2
    assert trend.attrs["undated"] == 6


def test_the_sentiment_pages_trend_says_how_many_undated_answers_it_leaves_out():
    # dated reviews of c1 and c3 (2 signals) beside the undated survey (3 ratings + 3 comments = 6 signals)
    from tests.apptest import open_app

    reviews = "customer_id,date,rating\nc1,2024-01-10,2\nc3,2024-01-11,5\n"
    at = open_app(files={"orders.csv": ORDERS.encode(), "reviews.csv": reviews.encode(),
                         "survey.csv": SURVEY.encode()})
    at.session_state["cjm.sentiment.view"] = "period"
    at.switch_page("app_pages/sentiment.py")
    at.run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith("6 responses have no date") for c in captions), captions


def test_a_customer_list_with_a_description_of_each_customer_stays_a_customers_file(tmp_path):
    # 'description' is what the company wrote about a customer, not the customer's words: no feedback
    customers = ("customer_id,name,description\nc1,Ann Lee,Long-time buyer of outdoor gear and camping supplies\n"
                 "c2,Bob Ray,Wholesale account for the northern region stores\n"
                 "c3,Cid Fox,Occasional buyer who prefers to order by phone\n")
    dataset = load_dataset(files(tmp_path, orders=ORDERS, clients=customers))
    assert [f.role for f in dataset.files] == ["events", "customers"]


def test_a_surveys_open_question_without_dates_is_feedback(tmp_path):
    # the column is the question asked ('What could we improve?'): its 2 answers are the customers' words
    survey = "customer_id,What could we improve?\nc1,Faster shipping please\nc2,The app crashes at checkout\n"
    dataset = load_dataset(files(tmp_path, orders=ORDERS, survey=survey))
    assert [f.role for f in dataset.files] == ["events", "feedback"]
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (5, 5)
