"""Review 18: RFM scores and segments, persona figures, stages reached, one customer's timeline, the
day-in-the-life and future-state maps, the statistics and the funnel's period comparison, checked on
small literal exports worked out by hand (each expected figure in a comment beside it) and against
plain-pandas references written from DESIGN.md section 4 and the module docstrings (not from cjm's code)
on the real exports of ../shared/data (those tests skip when the folder is absent)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from cjm import engine, stats
from cjm.customers.personas import compute_demographics, compute_segment_preferences, compute_typical_journeys
from cjm.customers.rfm import compute_rfm, compute_rfm_segments
from cjm.data.dataset import Dataset, load_dataset
from cjm.errors import InsufficientDataError
from cjm.journey.funnel import FunnelParams
from cjm.journey.periods import compare_periods
from cjm.journey.reach import compute_stage_reach
from cjm.journey.timeline import compute_customer_summary, compute_customer_timeline
from cjm.maps import build_current_map, build_day_map, build_future_map, compute_projection
from cjm.maps.future import compute_target_status
from tests.helpers import dataset, real_file

STAGES = {"ad_click": "awareness", "product_view": "consideration", "purchase": "conversion"}
# The R x FM grid of the RFM module docstring, written out again here: R (rows 5..1) x FM 1..5.
GRID = {
    5: ("New", "Potential loyalists", "Potential loyalists", "Champions", "Champions"),
    4: ("Promising", "Potential loyalists", "Potential loyalists", "Champions", "Champions"),
    3: ("About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"),
    2: ("Hibernating", "Hibernating", "At risk", "At risk", "At risk"),
    1: ("Lost", "Lost", "At risk", "Cannot lose them", "Cannot lose them"),
}


def events(rows, columns=("customer_id", "timestamp", "event")):
    return Dataset.from_events(engine.events_table(pd.DataFrame(rows, columns=list(columns))))


# --- RFM ----------------------------------------------------------------------------------------------

# Two buyers and eight browsers who never bought (page views only), the browsers more recent. Data end 24 Jan.
BROWSERS = ([("b1", "2024-01-01", "purchase", 10.0),
             ("b2", "2024-01-02", "purchase", 20.0), ("b2", "2024-01-03", "purchase", 20.0)]
            + [(f"v{i}", f"2024-01-{16 + i}", "page_view", None) for i in range(1, 9)])


def test_a_customer_who_never_bought_scores_the_lowest_frequency_and_spend_and_is_no_champion():
    rfm = compute_rfm(dataset(BROWSERS, columns=("customer_id", "timestamp", "event", "revenue"))).set_index(
        "customer_id")
    # Days since last activity: b1 23, b2 21, v1 7 (17 Jan), v2 6, ..., v8 0 (24 Jan). R by fifths of all 10,
    # the more recent the better: b1 b2 -> 1, v1 v2 -> 2, v3 v4 -> 3, v5 v6 -> 4, v7 v8 -> 5.
    assert rfm["R"].to_dict() == {"b1": 1, "b2": 1, "v1": 2, "v2": 2, "v3": 3, "v4": 3, "v5": 4, "v6": 4,
                                  "v7": 5, "v8": 5}
    # The eight browsers bought nothing: F = 1 and M = 1. The two buyers are split into fifths among
    # themselves (ranks 1 and 2 of 2: scores 1 and 5): b1 (1 purchase, 10) F 1 M 1; b2 (2 purchases, 40) F 5 M 5.
    # Before: fifths of all ten put the browsers v7 and v8 at F = M = 4 (ranks 7-8 of 10), so R 5 x FM 4 made
    # two 'Champions' who never bought.
    assert rfm["F"].to_dict() == {"b1": 1, "b2": 5, **{f"v{i}": 1 for i in range(1, 9)}}
    assert rfm["M"].to_dict() == {"b1": 1, "b2": 5, **{f"v{i}": 1 for i in range(1, 9)}}
    # Segments: b1 R1 FM1 Lost; b2 R1 FM5 Cannot lose them; the browsers never bought: 'Never bought', not the
    # grid's cell of their R and FM 1 (R2 Hibernating ... R5 New named visitors as customers: review 36)
    assert rfm["segment"].to_dict() == {"b1": "Lost", "b2": "Cannot lose them",
                                        **{f"v{i}": "Never bought" for i in range(1, 9)}}
    assert any("8 customers never bought" in note for note in rfm.attrs["notes"])
    summary = compute_rfm_segments(rfm.reset_index()).set_index("segment")
    assert summary.loc["Champions", "customers"] == 0 and summary["customers"].sum() == 10  # everyone scored


def test_a_lone_buyer_among_browsers_is_the_best_fifth_of_the_buyers():
    rows = [("b", "2024-01-01", "purchase", 5.0)] + [(f"v{i}", f"2024-01-0{1 + i}", "page_view", None)
                                                      for i in range(1, 6)]
    rfm = compute_rfm(dataset(rows, columns=("customer_id", "timestamp", "event", "revenue"))).set_index(
        "customer_id")
    # one buyer: the only (so the best) fifth of the buyers, F 5 M 5; the five browsers F 1 M 1
    assert rfm.loc["b", ["F", "M"]].tolist() == [5, 5]
    assert (rfm.drop(index="b")[["F", "M"]] == 1).all().all()


def test_real_rees46_rfm_champions_all_bought_and_browsers_score_the_lowest_frequency():
    # Plain pandas: a purchase is an event_type 'purchase'; purchases = distinct purchase times per user.
    raw = pd.read_csv(real_file("rees46_2019-Oct-sample.csv"), dtype={"user_id": str})
    raw["t"] = pd.to_datetime(raw["event_time"].str.replace(" UTC", ""), utc=True)
    bought = raw[raw["event_type"] == "purchase"].groupby("user_id")["t"].nunique()
    rfm = compute_rfm(load_dataset([real_file("rees46_2019-Oct-sample.csv")])).set_index("customer_id")
    assert len(rfm) == raw["user_id"].nunique() == 330  # every customer scored, none dropped or merged
    assert rfm["frequency"].to_dict() == {u: int(bought.get(u, 0)) for u in rfm.index}
    assert len(bought) == 9  # 9 buyers, 321 browsers
    # Before: 128 'Champions', 123 of them with no purchase (fifths of all 330 by purchases, ties by recency).
    champions = rfm[rfm["segment"] == "Champions"]
    assert (champions["frequency"] > 0).all() and len(champions) > 0
    assert (rfm.loc[rfm["frequency"] == 0, "F"] == 1).all()
    # no revenue mapped (price is a list price of views too): M unscored, FM = F
    assert rfm["M"].isna().all() and (rfm["FM"] == rfm["F"]).all()


def test_equal_spends_tie_on_m_even_when_the_sum_of_one_comes_out_a_hair_lower_in_floating_point():
    # x spent 0.70 + 0.10 = 0.80 in two purchases (a float sum gives 0.7999999999999999), y 0.80 in one.
    # Equal spend: the tie goes to the customer who bought more often (x). Spends: r 0.20 < y 0.80 = x 0.80
    # < p 5 < q 9, so M ranks r 1, y 2, x 3, p 4, q 5 (five customers: one per fifth).
    # Before: x's 0.7999999999999999 ranked below y's 0.8: M x 2, y 3.
    rows = [("x", "2024-01-01", "purchase", 0.7), ("x", "2024-01-02", "purchase", 0.1),
            ("y", "2024-01-02", "purchase", 0.8), ("p", "2024-01-02", "purchase", 5.0),
            ("q", "2024-01-02", "purchase", 9.0), ("r", "2024-01-03", "purchase", 0.2)]
    rfm = compute_rfm(dataset(rows, columns=("customer_id", "timestamp", "event", "revenue"))).set_index(
        "customer_id")
    assert rfm["M"].to_dict() == {"p": 4, "q": 5, "r": 1, "x": 3, "y": 2}
    # F: x bought twice (the most); the one-purchase customers tie and go by spend: r 1, y 2, p 3, q 4, x 5
    assert rfm["F"].to_dict() == {"p": 3, "q": 4, "r": 1, "x": 5, "y": 2}


def cdnow_rows() -> pd.DataFrame:
    raw = pd.read_csv(real_file("cdnow_master.txt"), sep=r"\s+", dtype={"customer_id": str})
    rows = raw[~raw.duplicated()].copy()  # DESIGN section 3: a row equal in every column to an earlier one
    rows["t"] = pd.to_datetime(rows["date"].astype(str), format="%Y%m%d", utc=True)
    rows["cents"] = (rows["dollar_value"] * 100).round().astype("int64")  # exact money, no float sums
    return rows


def reference_scores(table: pd.DataFrame, keys: list[str], ascending: list[bool]) -> pd.Series:
    """Fifths by rank (1 = worst), ties by the later keys, then the earlier id ranks higher."""
    ordered = table.reset_index().sort_values(keys + ["customer_id"], ascending=ascending + [False],
                                              kind="mergesort")
    position = np.arange(1, len(ordered) + 1)
    return pd.Series(pd.qcut(position, 5, labels=False) + 1, index=ordered["customer_id"].to_numpy())


def test_real_cdnow_rfm_scores_and_segments_agree_with_a_plain_pandas_reference():
    rows = cdnow_rows()
    end = rows["t"].max()
    by = rows.groupby("customer_id")
    ref = pd.DataFrame({"recency": (end - by["t"].max()).dt.days, "purchases": by["t"].nunique(),
                        "cents": by["cents"].sum()})
    ref["R"] = reference_scores(ref, ["recency", "purchases", "cents"], [False, True, True])
    ref["F"] = reference_scores(ref, ["purchases", "cents", "recency"], [True, True, False])
    ref["M"] = reference_scores(ref, ["cents", "purchases", "recency"], [True, True, False])
    ref["FM"] = np.floor((ref["F"] + ref["M"]) / 2 + 0.5).astype(int)  # rounded half up
    ref["segment"] = [GRID[r][fm - 1] for r, fm in zip(ref["R"], ref["FM"])]
    rfm = compute_rfm(load_dataset([real_file("cdnow_master.txt")])).set_index("customer_id")
    assert len(rfm) == len(ref) == 23_570  # every customer scored
    assert (rfm["recency_days"] == ref["recency"]).all() and (rfm["frequency"] == ref["purchases"]).all()
    # 04716 (2 purchases) and 10214 (3 purchases) both spent 59.85; 10214 bought more often, so ranks higher
    # on M (they are neighbours: 4 and 3). Before: 10214's float sum 59.849999999999994 gave M 3 and 04716 4.
    assert rfm.loc["10214", "M"] == 4 and rfm.loc["04716", "M"] == 3
    for column in ("R", "F", "M", "FM", "segment"):
        assert (rfm[column] == ref[column]).all(), column
    summary = compute_rfm_segments(rfm.reset_index()).set_index("segment")
    expected = ref.groupby("segment")["cents"].sum() / 100
    for segment, total in expected.items():
        assert summary.loc[segment, "monetary"] == pytest.approx(total, abs=0.01)
    assert summary["customers"].sum() == 23_570


RFM_COLUMNS = ("customer_id", "timestamp", "event", "revenue")


def test_rfm_scores_customers_who_were_all_last_seen_on_the_same_day():
    # Everyone's last purchase is on 2 Jan (recency 0 for all: the features drop it as the same for everyone).
    # x bought twice (1 + 2 = 3), p 2, q 3, r 4, s 5 once each.
    rows = [("x", "2024-01-01", "purchase", 1.0), ("x", "2024-01-02", "purchase", 2.0)] + [
        (c, "2024-01-02", "purchase", v) for c, v in (("p", 2.0), ("q", 3.0), ("r", 4.0), ("s", 5.0))]
    rfm = compute_rfm(dataset(rows, columns=RFM_COLUMNS)).set_index("customer_id")
    assert (rfm["recency_days"] == 0).all()
    # R: all tie on recency, then purchases (x first), then spend: p 1, q 2, r 3, s 4, x 5. F the same.
    assert rfm["R"].to_dict() == rfm["F"].to_dict() == {"p": 1, "q": 2, "r": 3, "s": 4, "x": 5}
    # M: p 2 < q 3 = x 3 (x bought more often: above q) < r 4 < s 5 -> p 1, q 2, x 3, r 4, s 5
    assert rfm["M"].to_dict() == {"p": 1, "q": 2, "r": 4, "s": 5, "x": 3}
    # FM half up: p 1, q 2, r (3+4)/2 = 3.5 -> 4, s 4.5 -> 5, x (5+3)/2 = 4. Segments: p R1 FM1 Lost, q R2 FM2
    # Hibernating, r R3 FM4 Loyal, s R4 FM5 Champions, x R5 FM4 Champions.
    assert rfm["segment"].to_dict() == {"p": "Lost", "q": "Hibernating", "r": "Loyal", "s": "Champions",
                                        "x": "Champions"}


def test_rfm_scores_customers_who_all_bought_once():
    # a..e each bought once, on 1..5 Jan, spending 1..5: frequency is 1 for everyone (dropped from the features).
    rows = [(c, f"2024-01-0{i}", "purchase", float(i)) for i, c in enumerate("abcde", 1)]
    rfm = compute_rfm(dataset(rows, columns=RFM_COLUMNS)).set_index("customer_id")
    assert (rfm["frequency"] == 1).all()
    # R by recency (a 4 days ... e 0): a 1 .. e 5; F all tie, then spend: a 1 .. e 5; M by spend: a 1 .. e 5
    for score in ("R", "F", "M"):
        assert rfm[score].to_dict() == {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}, score
    # R x FM: a 1x1 Lost, b 2x2 Hibernating, c 3x3 Need attention, d 4x4 Champions, e 5x5 Champions
    assert rfm["segment"].tolist() == ["Lost", "Hibernating", "Need attention", "Champions", "Champions"]


def test_rfm_scores_spend_when_every_customer_spent_the_same():
    # a..e each bought once for 10.00 on 1..5 Jan: the spend is there (10.00 each), the same for everyone.
    rows = [(c, f"2024-01-0{i}", "purchase", 10.0) for i, c in enumerate("abcde", 1)]
    rfm = compute_rfm(dataset(rows, columns=RFM_COLUMNS)).set_index("customer_id")
    assert (rfm["monetary"] == 10.0).all()
    # M: all tie on spend and purchases, then recency: a 1 .. e 5 (as R); no note saying there is no revenue
    assert rfm["M"].to_dict() == {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    assert not any("No revenue" in note for note in rfm.attrs["notes"])
    assert compute_rfm_segments(rfm.reset_index()).set_index("segment")["monetary"].sum() == 50.0


# --- personas -----------------------------------------------------------------------------------------

# Segment 0: a, b, f; segment 1: c, d, e, g. d has only an unmapped event ('note') and no channel.
PERSONA_ROWS = [
    ("a", "2024-01-01", "ad_click", "web"), ("a", "2024-01-02", "product_view", "web"),
    ("a", "2024-01-03", "purchase", "app"),
    ("b", "2024-01-01", "ad_click", "email"), ("b", "2024-01-02", "product_view", "app"),
    ("f", "2024-01-01", "ad_click", "email"), ("f", "2024-01-02", "product_view", "web"),
    ("c", "2024-01-01 00:00", "product_view", "store"), ("c", "2024-01-01 01:00", "ad_click", "social"),
    ("d", "2024-01-01", "note", None),
    ("e", "2024-01-05", "ad_click", "web"), ("g", "2024-01-06", "ad_click", "social"),
]
PERSONA_CUSTOMERS = pd.DataFrame({
    "customer_id": list("abfcdeg"),
    "Age": [17.9, 18.0, 24.99, 25.0, None, 34.99, 111.0],
    "Income": [24_999.99, 25_000.0, 49_999.99, -5.0, 100_000.0, 1e6, None],
    "Gender": [" F", "F ", "M", "", "M", "M", "F"],
})
MEMBERS = pd.DataFrame({"customer_id": list("abfcdeg"), "segment": [0, 0, 0, 1, 1, 1, 1]})


@pytest.fixture(scope="module")
def persona_log():
    return dataset(PERSONA_ROWS, columns=("customer_id", "timestamp", "event", "channel"), stages=STAGES,
                   customers=PERSONA_CUSTOMERS)


def test_a_segments_preferred_channels_are_its_three_most_used_by_events_ties_alphabetical(persona_log):
    found = compute_segment_preferences(persona_log, membership=MEMBERS, column="channel")
    # segment 0: web 3 (a a f), email 2 (b f), app 2 (a b) of 7 events with a channel; app and email tie (2 each):
    # alphabetical, app first
    # segment 1: social 2 (c g), store 1, web 1 of 4 (d's event has no channel and is not counted)
    assert [(r.segment, r.value, r.events) for r in found.itertuples()] == [
        (0, "web", 3), (0, "app", 2), (0, "email", 2), (1, "social", 2), (1, "store", 1), (1, "web", 1)]
    assert found["share"].round(4).tolist() == [round(3 / 7, 4), round(2 / 7, 4), round(2 / 7, 4), 0.5, 0.25, 0.25]


def test_a_segments_typical_journey_is_its_most_common_stage_path_among_customers_with_one(persona_log):
    journeys = compute_typical_journeys(persona_log, membership=MEMBERS).set_index("segment")
    # segment 0: a awareness -> consideration -> conversion; b and f awareness -> consideration (2 of 3)
    assert journeys.loc[0, "journey"] == "awareness → consideration"
    assert journeys.loc[0, "customers"] == 2 and journeys.loc[0, "share"] == pytest.approx(2 / 3)
    # segment 1: c consideration -> awareness (its view came first); e and g awareness; d has no mapped event,
    # so no journey: 2 of the 3 customers with a journey, not 2 of 4
    assert journeys.loc[1, "journey"] == "awareness"
    assert journeys.loc[1, "share"] == pytest.approx(2 / 3)


def test_persona_demographics_band_ages_and_incomes_at_their_boundaries(persona_log):
    found = compute_demographics(persona_log, membership=MEMBERS, as_of_year=2024)
    got = {(r.segment, r.attribute): (r.value, round(r.share, 4)) for r in found.itertuples()}
    # ages: a 17.9 under 18; b 18.0 and f 24.99 18-24 -> segment 0 "18-24" 2 of 3. c 25.0 and e 34.99 25-34; d none;
    # g 111 outside the last band [65, 111) -> segment 1 "25-34" 2 of the 2 with a band
    assert got[(0, "age band")] == ("18-24", round(2 / 3, 4)) and got[(1, "age band")] == ("25-34", 1.0)
    # incomes: a 24,999.99 under 25,000; b 25,000 and f 49,999.99 25,000-49,999 (2 of 3). c -5 has no band,
    # d 100,000 and e 1,000,000 "100,000 and over", g none -> 2 of 2
    assert got[(0, "income")] == ("25,000-49,999", round(2 / 3, 4))
    assert got[(1, "income")] == ("100,000 and over", 1.0)
    # gender: " F" and "F " are F (2 of 3); segment 1: c blank (no value), d M, e M, g F -> M 2 of 3
    assert got[(0, "gender")] == ("F", round(2 / 3, 4)) and got[(1, "gender")] == ("M", round(2 / 3, 4))


def test_real_marketing_campaign_persona_sizes_spend_and_demographics_agree_with_a_plain_pandas_reference():
    from cjm.customers.features import compute_customer_features
    from cjm.customers.personas import build_personas
    from cjm.customers.profiles import compute_segment_profiles
    from cjm.customers.segments import Segmenter
    from tests.helpers import marketing_campaign_signups

    log = marketing_campaign_signups()
    features = compute_customer_features(log)
    labels = Segmenter(k=3).fit(features).labels_
    personas = build_personas(log, features, labels, compute_segment_profiles(features, labels))
    raw = pd.read_csv(real_file("marketing_campaign.csv"), sep=";", encoding="utf-8-sig")
    raw["customer_id"] = raw["ID"].astype(str)
    table = pd.DataFrame({"customer_id": features["customer_id"].astype(str), "segment": labels}).merge(
        raw, on="customer_id")
    assert len(table) == 2_240  # every customer in one segment
    # spend: the sum of the Mnt* columns (the module docstring of cjm.customers.features)
    table["spend"] = table[[c for c in raw.columns if c.startswith("Mnt")]].sum(axis=1)
    # ages in 2014 (the last Dt_Customer), bands [lo, hi); incomes likewise; ties by value, alphabetically
    table["age band"] = pd.cut(2014 - table["Year_Birth"], [0, 18, 25, 35, 45, 55, 65, 111], right=False,
                               labels=["under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"])
    table["income"] = pd.cut(table["Income"], [0, 25_000, 50_000, 75_000, 100_000, np.inf], right=False,
                             labels=["under 25,000", "25,000-49,999", "50,000-74,999", "75,000-99,999",
                                     "100,000 and over"])
    table["marital status"] = table["Marital_Status"]
    assert sum(p.size for p in personas) == 2_240
    for persona in personas:
        mine = table[table["segment"] == persona.segment]
        assert persona.size == len(mine) and persona.share == pytest.approx(len(mine) / 2_240)
        assert persona.value == pytest.approx(mine["spend"].mean())
        for attribute in ("age band", "income", "marital status"):
            counts = mine[attribute].dropna().astype(str).value_counts()
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            assert persona.demographics[attribute] == top, (persona.segment, attribute)


# --- stages reached and the report's rows --------------------------------------------------------------

def test_stages_reached_count_distinct_customers_at_any_time_over_everyone_seen():
    rows = [("a", "2024-01-01", "ad_click"), ("a", "2024-01-01", "ad_click"), ("a", "2024-01-05", "purchase"),
            ("b", "2024-01-02", "product_view"), ("c", "2024-01-03", "note")]
    reach = compute_stage_reach(dataset(rows, stages=STAGES)).set_index("stage")
    # awareness a; consideration b; conversion a (without passing consideration); c has only an unmapped event
    # but is one of the 3 customers the shares divide by
    assert reach["customers"].tolist() == [1, 1, 1, 0, 0]
    assert reach["share"].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3, 0, 0])
    assert (reach["total_customers"] == 3).all()


def test_real_rees46_report_counts_rows_and_stages_reached_as_plain_pandas_does(tmp_path):
    import json

    from cjm.__main__ import main

    path = real_file("rees46_2019-Oct-sample.csv")
    raw = pd.read_csv(path, dtype={"user_id": str})
    out = tmp_path / "report.json"
    assert main(["report", str(path), "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    # no row equals an earlier one and no id is missing: 1,000 in, 1,000 used
    assert raw.duplicated().sum() == 0 and raw["user_id"].notna().all()
    assert report["rows"]["in"] == report["rows"]["used"] + report["rows"]["rejected"] == 1_000
    users = raw.groupby("event_type")["user_id"].nunique()
    # view and cart are consideration (the touchpoint dictionary), purchase conversion
    considered = raw.loc[raw["event_type"].isin(["view", "cart"]), "user_id"].nunique()
    assert report["stages"] == {"awareness": 0, "consideration": considered, "conversion": users["purchase"],
                                "retention": 0, "loyalty": 0}
    assert (considered, users["purchase"]) == (330, 9)
    assert report["kpis"]["customers"] == raw["user_id"].nunique()


def test_real_cdnow_report_rows_in_are_rows_used_plus_the_duplicates_rejected(tmp_path):
    import json

    from cjm.__main__ import main

    path = real_file("cdnow_master.txt")
    rows = cdnow_rows()
    out = tmp_path / "report.json"
    assert main(["report", str(path), "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    # 69,659 rows; 255 equal an earlier row in every column (DESIGN section 3: duplicates, rejected with a reason)
    assert report["rows"]["in"] == 69_659 and report["rows"]["used"] == len(rows) == 69_404
    assert report["rows"]["rejected"] == 255 and sum(report["rows"]["reasons"].values()) == 255
    assert report["stages"]["conversion"] == rows["customer_id"].nunique() == 23_570
    assert report["kpis"]["revenue"] == pytest.approx(rows["cents"].sum() / 100, abs=0.005)


# --- one customer's timeline --------------------------------------------------------------------------

def test_a_customers_timeline_and_summary_by_hand():
    columns = ("customer_id", "timestamp", "event", "channel", "revenue", "score", "text")
    rows = [("a", "2024-01-01 10:00:00.250", "ad_click", "social", None, None, None),
            ("a", "2024-01-01 10:00:00.250", "product_view", "web", None, 4.0, "nice"),
            ("a", "2024-01-01 10:00:00.100", "product_view", "email", None, None, None),
            ("a", "2024-01-02", "purchase", "web", 50.0, None, None),
            ("a", "2024-01-03", "refund", "web", -20.0, 2.0, "it broke"),
            ("a", "2024-01-04", "ad_click", "social", None, None, None),
            ("b", "2024-01-05", "ad_click", "web", 7.0, 5.0, "hi")]
    log = dataset(rows, columns=columns, stages=STAGES)
    timeline = compute_customer_timeline(log, customer_id="a")
    # oldest first by the fraction of a second; two events at 10:00:00.250 keep their file order
    assert timeline["event"].tolist() == ["product_view", "ad_click", "product_view", "purchase", "refund", "ad_click"]
    summary = compute_customer_summary(log, customer_id="a")
    assert summary["first_seen"] == pd.Timestamp("2024-01-01 10:00:00.100", tz="UTC")
    assert summary["last_seen"] == pd.Timestamp("2024-01-04", tz="UTC")
    assert summary["events"] == 6
    assert summary["value_to_date"] == 30.0  # 50 - 20 (net, DESIGN section 3); b's 7 is not a's
    assert (summary["last_score"], summary["last_text"]) == (2.0, "it broke")  # the refund's, on 3 Jan
    assert summary["furthest_stage"] == "conversion"  # the purchase, though the last event is an ad click
    assert summary["channels"] == ["email", "social", "web"]  # in order of first use


def test_real_cdnow_customer_value_to_date_leaves_out_rows_rejected_as_duplicates():
    rows = cdnow_rows()
    raw = pd.read_csv(real_file("cdnow_master.txt"), sep=r"\s+", dtype={"customer_id": str})
    # customer 00499: 110 rows, of which 25 equal an earlier row: 85 events
    assert (raw["customer_id"] == "00499").sum() == 110
    mine = rows[rows["customer_id"] == "00499"]
    summary = compute_customer_summary(load_dataset([real_file("cdnow_master.txt")]), customer_id="00499")
    assert summary["events"] == len(mine) == 85
    assert summary["value_to_date"] == pytest.approx(mine["cents"].sum() / 100, abs=0.005)
    assert summary["first_seen"] == mine["t"].min() and summary["last_seen"] == mine["t"].max()


# --- the day in the life ------------------------------------------------------------------------------

def test_real_cdnow_day_map_busiest_weekdays_agree_with_plain_pandas():
    rows = cdnow_rows()
    shares = rows["t"].dt.day_of_week.value_counts(normalize=True)
    top = sorted(shares.items(), key=lambda kv: -kv[1])[:2]
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    expected = ", ".join(f"{names[d]} ({round(s * 100):.0f}%)" for d, s in top)
    jm = build_day_map(load_dataset([real_file("cdnow_master.txt")]))
    assert expected == "Mon (15%), Tue (15%)"  # 10,586 and 10,225 of 69,404 purchases
    # CDNOW has dates without times (every purchase at midnight UTC): the busiest weekdays of its data are in the
    # map's whole-day column, not in 00–03 where reading each date as midnight put them before
    assert "h00" not in jm.cells.get("busiest_days", {})
    assert jm.cell("busiest_days", "day").value == expected
    assert sum(map(sum, jm.heat)) == len(rows)


def test_a_day_in_the_life_of_dates_without_times_does_not_place_every_interaction_between_midnight_and_3():
    rows = [(c, f"2024-03-0{d}", "purchase") for c, d in (("a", 4), ("a", 6), ("b", 5), ("c", 7), ("d", 8))]
    try:
        jm = build_day_map(dataset(rows))
    except InsufficientDataError as exc:  # saying the data has no times of day is a fix too
        assert "time" in str(exc)
        return
    # five purchases on five dates, none with a time: no block of the day can claim them
    assert jm.cell("interactions", "h00").number != 1.0


# --- the future state ---------------------------------------------------------------------------------

def funnel_log(entries: int, considered: int, bought: int, *, minutes: int = 120, extra: bool = True):
    """`entries` ad clicks on 1 Jan 00:00; the first `considered` view a product `minutes` later; the first
    `bought` buy a day after the click, the i-th spending 10 x (i + 1)."""
    rows = []
    for i in range(entries):
        rows.append((f"c{i}", "2024-01-01 00:00", "ad_click", None))
        if i < considered:
            rows.append((f"c{i}", str(pd.Timestamp("2024-01-01") + pd.Timedelta(minutes=minutes)), "product_view",
                         None))
        if i < bought:
            rows.append((f"c{i}", "2024-01-02 00:00", "purchase", 10.0 * (i + 1)))
    if extra:
        rows.append(("z", "2024-03-01", "ad_click", None))  # one more entry, whose window closed long before the end
    return dataset(rows, columns=("customer_id", "timestamp", "event", "revenue"), stages=STAGES)


def test_the_future_state_projection_and_gaps_by_hand():
    today = build_current_map(funnel_log(10, 6, 3))
    # funnel: 11 entries (c0..c9 and z), 6 considered, 3 bought: 6/11 and 3/6
    assert today.baseline["funnel_customers"] == [11, 6, 3]
    assert today.baseline["value_per_conversion"] == 20.0  # (10 + 20 + 30) / 3 buyers
    future = build_future_map(today, targets={"awareness": {"conversion": 0.8, "seconds": 3600}})
    p = compute_projection(future)
    # today: 11 x 6/11 x 3/6 = 3 conversions, 3 x 20 = 60; projected: 11 x 0.8 x 0.5 = 4.4, 4.4 x 20 = 88
    assert p["today"] == {"conversions": pytest.approx(3.0), "revenue": pytest.approx(60.0)}
    assert p["projected"] == {"conversions": pytest.approx(4.4), "revenue": pytest.approx(88.0)}
    # gaps: 0.8 - 6/11 = 0.2545 -> +25.5 pts; time in awareness today 2 h (click to view), target 1 h: -1 h
    assert future.cell("gap_to_today", "awareness").value == "conversion +25.5 pts\ntime -1 h 00 min"


def test_targets_against_newer_data_are_met_at_or_above_conversion_and_at_or_below_time():
    future = build_future_map(build_current_map(funnel_log(10, 6, 3)),
                              targets={"awareness": {"conversion": 0.9, "seconds": 1800}})
    # newer data: 10 entries, 9 view 30 minutes after the click: conversion 9/10 = 0.9 (= target: met),
    # median time in awareness 1,800 s (= target: met, at or below)
    newer = build_current_map(funnel_log(10, 9, 3, minutes=30, extra=False))
    status = compute_target_status(future, newer).set_index("measure")
    assert status.loc["conversion", "actual"] == pytest.approx(0.9) and status.loc["conversion", "met"]
    assert status.loc["seconds", "actual"] == 1800.0 and status.loc["seconds", "met"]
    assert status.loc["conversion", "baseline"] == pytest.approx(6 / 11)
    assert status.loc["seconds", "baseline"] == 7200.0


# --- statistics ---------------------------------------------------------------------------------------

def wilson_by_hand(k: int, n: int, confidence: float):
    """The textbook Wilson score interval: (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    z = sps.norm.ppf(1 - (1 - confidence) / 2)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


@pytest.mark.parametrize("k, n, confidence", [(81, 263, 0.95), (81, 263, 0.90), (0, 20, 0.95), (20, 20, 0.99),
                                              (1, 3, 0.95)])
def test_the_wilson_interval_is_the_textbook_formula(k, n, confidence):
    low, high = stats.wilson_interval(k, n, confidence=confidence)
    expected = wilson_by_hand(k, n, confidence)
    assert (low, high) == pytest.approx(expected, abs=1e-12)


def test_the_z_test_squared_is_the_uncorrected_chi_square_of_the_two_by_two_table():
    cases = [(45, 100, 30, 100), (4, 164, 4, 210), (1666, 5374, 2055, 6421), (1, 2, 0, 1)]
    for k1, n1, k2, n2 in cases:
        z, p = stats.two_proportion_ztest(k1, n1, k2, n2)
        chi2, p_chi2, _, _ = sps.chi2_contingency([[k1, n1 - k1], [k2, n2 - k2]], correction=False)
        assert z * z == pytest.approx(chi2, rel=1e-9) and p == pytest.approx(p_chi2, rel=1e-9)
        assert math.copysign(1, z) == math.copysign(1, k1 / n1 - k2 / n2)


def test_the_newcombe_interval_is_built_from_the_two_textbook_wilson_intervals():
    # Newcombe (1998) method 10: d - sqrt((p1 - l1)² + (u2 - p2)²), d + sqrt((u1 - p1)² + (p2 - l2)²)
    for k1, n1, k2, n2, confidence in [(56, 70, 48, 80, 0.95), (9, 10, 3, 10, 0.90), (0, 10, 0, 20, 0.95)]:
        l1, u1 = wilson_by_hand(k1, n1, confidence)
        l2, u2 = wilson_by_hand(k2, n2, confidence)
        p1, p2 = k1 / n1, k2 / n2
        expected = (p1 - p2 - math.hypot(p1 - l1, u2 - p2), p1 - p2 + math.hypot(u1 - p1, p2 - l2))
        assert stats.newcombe_interval(k1, n1, k2, n2, confidence=confidence) == pytest.approx(expected, abs=1e-12)
    # the published example: 56/70 vs 48/80 gives 0.0524 to 0.3339
    assert stats.newcombe_interval(56, 70, 48, 80) == pytest.approx((0.0524, 0.3339), abs=1e-4)


def test_too_few_to_tell_by_expected_counts_under_the_pooled_rate():
    # 3/100 vs 4/100: pooled 7/200 = 0.035, expected successes 3.5 < 5 -> too few
    # 10/100 vs 20/100: pooled 0.15, expected 15 and 85 in each arm -> enough
    # 10/99 vs 20/100: an arm under 100 customers -> too few
    assert stats.too_few_to_tell([3, 10, 10], [100, 100, 99], [4, 20, 20], [100, 100, 100]).tolist() == [
        True, False, True]


# --- the funnel's period comparison -------------------------------------------------------------------

VIEW_BUY = FunnelParams(steps=("view", "buy"), step_kind="event")


def test_periods_are_half_open_to_the_microsecond_and_read_offsets_as_utc():
    rows = [("a", "2024-03-01 00:00:00", "view"), ("a", "2024-03-01 00:00:00.5", "buy"),
            ("b", "2024-03-01 23:59:59.999999", "view"), ("b", "2024-03-02 00:00:00", "buy"),
            ("c", "2024-02-29 23:59:59.999", "view"), ("c", "2024-03-01 00:00:01", "buy"),
            ("z", "2024-06-01", "other")]
    log = events(rows)
    # current: 01:00+01:00 is midnight UTC, so [1 Mar 00:00, 2 Mar 00:00): views of a and b; a's buy at 00:00:00.5
    # counts; b's buy at 2 Mar 00:00 is the end (excluded); c's buy is inside but c's view was before the start.
    # previous [1 Feb, 1 Mar): c's view at 23:59:59.999 only.
    result = compare_periods(log, params=VIEW_BUY, current=("2024-03-01T01:00+01:00", "2024-03-02"),
                             previous=("2024-02-01", "2024-03-01"))
    assert result["customers_current"].tolist() == [2, 1] and result["customers_previous"].tolist() == [1, 0]
    # z-test of 1/2 against 0/1: pooled 1/3, se sqrt(1/3 x 2/3 x (1/2 + 1)) = sqrt(1/3), z = 0.5 / 0.57735 = 0.866
    assert result.loc[1, "p_value"] == pytest.approx(2 * sps.norm.sf(0.5 / math.sqrt(1 / 3)))
    assert result.loc[1, "change_points"] == pytest.approx(50.0)  # 1/2 - 0/1 = 50 points
    # starting half a second later: a's view is before the start, so a's buy is no step 2; b's buy at exactly
    # 2 Mar 00:00 is inside an end one microsecond later
    result = compare_periods(log, params=VIEW_BUY, current=("2024-03-01 00:00:00.5", "2024-03-02 00:00:00.000001"),
                             previous=("2024-02-01", "2024-03-01"))
    assert result["customers_current"].tolist() == [1, 1]


def test_real_cdnow_repeat_purchases_by_period_agree_with_plain_pandas():
    rows = cdnow_rows()

    def reference(start, end):
        # customers with a purchase in [start, end), and of those, with two purchases on different days at most
        # 30 days apart inside it (the second purchase strictly after the first, within the 30-day window)
        inside = rows[(rows["t"] >= start) & (rows["t"] < end)][["customer_id", "t"]].drop_duplicates()
        inside = inside.sort_values(["customer_id", "t"])
        gap = inside.groupby("customer_id")["t"].diff()
        return inside["customer_id"].nunique(), inside.loc[gap <= pd.Timedelta(days=30), "customer_id"].nunique()

    # default periods: the last event is 30 Jun 1998, so current = [1 Jan 1998, 1 Jul 1998), previous the 6 months
    # before, [1 Jul 1997, 1 Jan 1998)
    utc = lambda s: pd.Timestamp(s, tz="UTC")  # noqa: E731
    previous = reference(utc("1997-07-01"), utc("1998-01-01"))
    current = reference(utc("1998-01-01"), utc("1998-07-01"))
    params = FunnelParams(steps=("purchase", "purchase"), step_kind="event", window_seconds=30 * 86_400)
    result = compare_periods(load_dataset([real_file("cdnow_master.txt")]), params=params)
    assert (result.loc[0, "current_start"], result.loc[0, "current_end"]) == (utc("1998-01-01"), utc("1998-07-01"))
    assert result.loc[0, "previous_start"] == utc("1997-07-01")
    assert result["customers_previous"].tolist() == list(previous) == [6421, 2055]
    assert result["customers_current"].tolist() == list(current) == [5374, 1666]
    p1, p0 = current[1] / current[0], previous[1] / previous[0]
    pooled = (current[1] + previous[1]) / (current[0] + previous[0])
    z = (p1 - p0) / math.sqrt(pooled * (1 - pooled) * (1 / current[0] + 1 / previous[0]))
    assert result.loc[1, "change_points"] == pytest.approx((p1 - p0) * 100)  # 31.0% - 32.0% = -1.0 points
    assert result.loc[1, "p_value"] == pytest.approx(2 * sps.norm.sf(abs(z)))
    assert not result.loc[1, "significant"]  # p = 0.24


def test_real_rees46_view_to_purchase_in_two_halves_of_the_sample_agrees_with_plain_pandas():
    raw = pd.read_csv(real_file("rees46_2019-Oct-sample.csv"), dtype={"user_id": str})
    raw["t"] = pd.to_datetime(raw["event_time"].str.replace(" UTC", ""), utc=True)

    def reference(start, end):
        inside = raw[(raw["t"] >= start) & (raw["t"] < end)]
        first_view = inside[inside["event_type"] == "view"].groupby("user_id")["t"].min().rename("first_view")
        buys = inside[inside["event_type"] == "purchase"].join(first_view, on="user_id", how="inner")
        return len(first_view), buys.loc[buys["t"] >= buys["first_view"], "user_id"].nunique()

    previous = reference(pd.Timestamp("2019-10-01 00:00", tz="UTC"), pd.Timestamp("2019-10-01 00:09", tz="UTC"))
    current = reference(pd.Timestamp("2019-10-01 00:09", tz="UTC"), pd.Timestamp("2019-10-01 00:18", tz="UTC"))
    result = compare_periods(load_dataset([real_file("rees46_2019-Oct-sample.csv")]),
                             params=FunnelParams(steps=("view", "purchase"), step_kind="event"),
                             previous=("2019-10-01 00:00", "2019-10-01 00:09"),
                             current=("2019-10-01 00:09", "2019-10-01 00:18"))
    assert result["customers_previous"].tolist() == list(previous) == [210, 4]
    assert result["customers_current"].tolist() == list(current) == [164, 4]
    _, p = sps.chi2_contingency([[4, 160], [4, 206]], correction=False)[:2]
    assert result.loc[1, "p_value"] == pytest.approx(p)


def test_by_default_the_period_comparison_of_three_months_of_data_compares_two_periods_that_both_hold_data():
    # 1 Jan .. 31 Mar 2024: ten customers view and half of them buy, in January and in March
    rows = []
    for month in (1, 3):
        for i in range(10):
            rows.append((f"m{month}-{i}", f"2024-0{month}-10", "view"))
            if i < 5:
                rows.append((f"m{month}-{i}", f"2024-0{month}-11", "buy"))
    rows.append(("z", "2024-03-31", "other"))
    result = compare_periods(events(rows), params=VIEW_BUY)
    assert result.loc[0, "customers_previous"] > 0 and result.loc[0, "customers_current"] > 0


def test_a_time_target_within_half_a_second_of_today_shows_no_minus_sign():
    rows = [("a", "2024-01-01 00:00:00", "ad_click"), ("a", "2024-01-01 01:00:00.400", "product_view"),
            ("b", "2024-01-01 00:00:00", "ad_click"), ("b", "2024-01-01 01:00:00.200", "product_view")]
    today = build_current_map(dataset(rows, stages=STAGES))
    # median time in awareness: (3,600.4 + 3,600.2) / 2 = 3,600.3 s
    assert today.cell("time_in_stage", "awareness").number == pytest.approx(3600.3)
    # a target of 3,600 s is 0.3 s under it: rounded to whole seconds that is 0 s, like '+0.0 pts' unsigned
    # (before: 'time -0 s'); 3,601 s is 0.7 s over: '+1 s'
    future = build_future_map(today, targets={"awareness": {"seconds": 3600}})
    assert future.cell("gap_to_today", "awareness").value == "time +0 s"
    future = build_future_map(today, targets={"awareness": {"seconds": 3601}})
    assert future.cell("gap_to_today", "awareness").value == "time +1 s"
    future = build_future_map(today, targets={"awareness": {"seconds": 3599}})
    assert future.cell("gap_to_today", "awareness").value == "time -1 s"  # 1.3 s under, rounded


def test_the_rfm_tab_says_that_customers_who_never_bought_score_1_on_frequency_and_spend():
    import io

    from cjm.ui.data import demo_sources
    from tests.apptest import open_app

    # plain pandas on the demo's events file: a purchase is an event named like one or with money
    source = next(s for s in demo_sources() if s.name == "demo_events.csv.gz")
    raw = pd.read_csv(io.BytesIO(source.data), compression="gzip")
    paid = raw["event"].str.contains("purchase") | (raw["revenue"].fillna(0) > 0)
    buyers, everyone = raw.loc[paid, "customer_id"].nunique(), raw["customer_id"].nunique()
    assert (everyone, buyers) == (3_000, 774)
    at = open_app("app_pages/segments.py")
    at.button(key="cjm.segments.find").click().run()
    at.session_state["cjm.segments.tab"] = "RFM"
    at.run()
    assert not at.exception
    captions = [c.value.replace("\\", "") for c in at.caption]  # shown as text: Markdown escapes removed
    assert any("who never bought scores 1" in c for c in captions)
    # 3,000 - 774 = 2,226 never bought
    assert any("2,226 customers never bought: F and M are 1 for them, and the 774 who bought are split into "
               "fifths" in c for c in captions)
