import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import Dataset
from cjm.errors import InsufficientDataError, ParameterError
from cjm.journey.experiments import compare_arms, compute_variant_funnel, count_arm_funnels, format_p, verdict
from cjm.journey.funnel import FunnelParams

FUNNEL = FunnelParams(steps=("view", "buy"), step_kind="event")


def ab_log(arms: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Per variant (customers, buyers): every customer views on 1 Jan, buyers buy an hour later."""
    rows = []
    for variant, (customers, buyers) in arms.items():
        for i in range(customers):
            rows.append((f"{variant}{i}", "2024-01-01 00:00", "view", variant))
            if i < buyers:
                rows.append((f"{variant}{i}", "2024-01-01 01:00", "buy", variant))
    return pd.DataFrame(rows, columns=["customer_id", "timestamp", "event", "variant"])


def compare(arms, **kwargs):
    table = Dataset.from_events(engine.events_table(ab_log(arms) if isinstance(arms, dict) else arms))
    return compute_variant_funnel(table, params=FUNNEL, **kwargs)


def test_the_textbook_45_of_100_against_30_of_100_is_a_significant_15_point_win():
    result = compare({"A": (100, 30), "B": (100, 45)}).set_index(["variant", "step"])
    b = result.loc[("B", "buy")]
    assert (b["entered"], b["customers"]) == (100, 45)
    assert b["conversion_from_first"] == pytest.approx(0.45)
    assert (b["conversion_low"], b["conversion_high"]) == pytest.approx((0.3561, 0.5476), abs=1e-4)  # Wilson
    assert b["difference_points"] == pytest.approx(15.0)
    assert (b["difference_low_points"], b["difference_high_points"]) == pytest.approx((1.585, 27.683), abs=1e-3)
    assert b["p_value"] == pytest.approx(0.02846, abs=1e-4)
    assert b["significant"]
    assert b["verdict"] == "B converts 15.0 points better than A (control) at buy (p=0.028)"
    assert b["warning"] is None


def test_the_control_rows_and_step_1_carry_no_comparison():
    result = compare({"A": (100, 30), "B": (100, 45)})
    control = result[result["is_control"]]
    assert list(control["variant"].unique()) == ["A"]
    assert control["verdict"].isna().all() and control["p_value"].isna().all()
    entry = result[result["step_number"] == 1]
    assert entry["verdict"].isna().all() and (entry["conversion_from_first"] == 1.0).all()


def test_a_small_difference_is_reported_as_no_significant_difference_with_its_p_value():
    result = compare({"A": (100, 30), "B": (100, 32)})
    row = result[(result["variant"] == "B") & (result["step"] == "buy")].iloc[0]
    assert not row["significant"]
    assert row["verdict"] == "No significant difference between B and A (control) at buy (p=0.76)"


def test_a_worse_variant_is_said_to_convert_worse():
    result = compare({"A": (100, 45), "B": (100, 30)})
    row = result[(result["variant"] == "B") & (result["step"] == "buy")].iloc[0]
    assert row["verdict"] == "B converts 15.0 points worse than A (control) at buy (p=0.028)"


def test_arms_under_100_customers_get_a_too_few_customers_warning():
    result = compare({"A": (20, 5), "B": (20, 12)})
    row = result[(result["variant"] == "B") & (result["step"] == "buy")].iloc[0]
    assert row["warning"].startswith("Too few customers to tell")
    assert "20" in row["warning"]


def test_expected_counts_under_5_get_the_warning_even_with_many_customers():
    result = compare({"A": (400, 2), "B": (400, 1)})
    row = result[(result["variant"] == "B") & (result["step"] == "buy")].iloc[0]
    assert "Too few customers to tell" in row["warning"]


def test_with_three_variants_each_is_compared_with_the_control_named_control():
    result = compare({"control": (100, 20), "v1": (100, 30), "v2": (100, 40)})
    buy = result[result["step"] == "buy"].set_index("variant")
    assert buy.loc["control", "is_control"]
    assert buy.loc["v1", "p_value"] == pytest.approx(0.1025, abs=1e-4)
    assert buy.loc["v2", "p_value"] == pytest.approx(0.00203, abs=1e-5)
    assert buy.loc["v2", "verdict"] == "v2 converts 20.0 points better than control at buy (p=0.002)"
    assert not buy.loc["v1", "significant"] and buy.loc["v2", "significant"]


def test_the_control_can_be_chosen_and_an_unknown_one_is_refused():
    result = compare({"A": (100, 30), "B": (100, 45)}, control="B")
    row = result[(result["variant"] == "A") & (result["step"] == "buy")].iloc[0]
    assert row["difference_points"] == pytest.approx(-15.0)
    with pytest.raises(ParameterError, match="'C'"):
        compare({"A": (100, 30), "B": (100, 45)}, control="C")


def test_a_customer_is_counted_in_the_first_variant_seen_and_mixed_exposure_is_warned():
    log = ab_log({"A": (100, 30), "B": (100, 45)})
    # B0 saw variant A first (a day earlier, on an event outside the funnel).
    extra = pd.DataFrame([("B0", "2023-12-31", "banner", "A")], columns=log.columns)
    result = compare(pd.concat([log, extra], ignore_index=True)).set_index(["variant", "step"])
    assert result.loc[("A", "view"), "customers"] == 101
    assert result.loc[("B", "view"), "customers"] == 99
    assert "1 customer saw more than one variant" in result.loc[("B", "buy"), "warning"]


def test_the_variant_can_come_from_any_event_of_the_customer():
    log = ab_log({"A": (100, 30), "B": (100, 45)})
    log.loc[log["event"] == "view", "variant"] = None  # only buyers' later events carry the variant
    log = pd.concat([log, pd.DataFrame([("A99", "2024-01-02", "assigned", "A")], columns=log.columns)])
    result = compare(log)
    assert set(result["variant"]) == {"A", "B"}
    assert result.loc[(result["variant"] == "B") & (result["step"] == "view"), "customers"].item() == 45


def test_without_variant_values_the_comparison_says_which_column_it_needs():
    log = ab_log({"A": (10, 3)}).assign(variant=None)
    with pytest.raises(InsufficientDataError, match="variant"):
        compare(log)


def test_a_single_variant_is_not_an_experiment():
    with pytest.raises(InsufficientDataError, match="two variants"):
        compare({"A": (10, 3)})


def test_p_values_are_written_the_way_reports_write_them():
    assert format_p(0.0301) == "p=0.03"
    assert format_p(0.41) == "p=0.41"
    assert format_p(0.00001) == "p<0.001"
    assert verdict("B", "A", "purchase", 2.1, 0.03) == "B converts 2.1 points better than A (control) at purchase (p=0.03)"
    assert verdict("B", "A", "purchase", 0.4, 0.41) == "No significant difference between B and A (control) at purchase (p=0.41)"


def test_in_a_filtered_view_a_step_no_event_reaches_is_an_honest_zero_and_a_typo_is_still_refused():
    from cjm.data.filters import Filters
    from cjm.errors import CJMError

    log = ab_log({"A": (100, 30), "B": (100, 45)})
    log["channel"] = log["event"].map({"view": "web", "buy": "email"})  # everyone views on the web, buys by email
    web = Dataset.from_events(engine.events_table(log)).filtered(Filters(channels=("web",)))
    result = compute_variant_funnel(web, params=FUNNEL).set_index(["variant", "step"])
    assert result.loc[("A", "view"), "customers"] == 100 and result.loc[("B", "view"), "customers"] == 100
    assert result.loc[("A", "buy"), "customers"] == 0 and result.loc[("B", "buy"), "customers"] == 0
    with pytest.raises(CJMError, match="byu"):
        compute_variant_funnel(web, params=FunnelParams(steps=("view", "byu"), step_kind="event"))


# --- the analyst picks the control (review 43) -----------------------------------------------------------------------

def checkout_export():
    """A hand export: 120 customers an arm view on 2 Jan; 30 of old_checkout and 50 of new_checkout buy an hour later."""
    from cjm.data.dataset import SourceFile, load_dataset

    rows = ["customer_id,timestamp,event,variant"]
    for arm, buyers in (("old_checkout", 30), ("new_checkout", 50)):
        for i in range(120):
            rows.append(f"{arm}-{i},2024-01-02T10:00:00,view,{arm}")
            if i < buyers:
                rows.append(f"{arm}-{i},2024-01-02T11:00:00,buy,{arm}")
    return load_dataset([SourceFile(name="checkout_test.csv", data=("\n".join(rows) + "\n").encode())])


# old_checkout 30 / 120 = 25.0%, new_checkout 50 / 120 = 41.67%: 16.67 points apart.
# Pooled 80 / 240 = 1/3, se = sqrt(1/3 x 2/3 x (1/120 + 1/120)) = 0.06086, z = 0.16667 / 0.06086 = 2.739,
# two-sided p = 0.00617 (p=0.0062): significant at 5%, whichever arm is the control (the pooled test is symmetric).

def test_with_no_control_named_new_checkout_is_the_control_as_the_first_arm_alphabetically():
    result = compute_variant_funnel(checkout_export(), params=FUNNEL)
    assert list(result.loc[result["is_control"], "variant"].unique()) == ["new_checkout"]
    old = result[(result["variant"] == "old_checkout") & (result["step"] == "buy")].iloc[0]
    assert old["difference_points"] == pytest.approx(-100 * 20 / 120)  # 25.0% - 41.67% = -16.67
    assert old["verdict"] == "old_checkout converts 16.7 points worse than new_checkout (control) at buy (p=0.0062)"


def test_choosing_old_checkout_as_control_turns_the_difference_to_plus_16_7_points_with_the_same_p_value():
    default = compute_variant_funnel(checkout_export(), params=FUNNEL)
    chosen = compute_variant_funnel(checkout_export(), params=FUNNEL, control="old_checkout")
    assert list(chosen.loc[chosen["is_control"], "variant"].unique()) == ["old_checkout"]
    new = chosen[(chosen["variant"] == "new_checkout") & (chosen["step"] == "buy")].iloc[0]
    old = default[(default["variant"] == "old_checkout") & (default["step"] == "buy")].iloc[0]
    assert new["difference_points"] == pytest.approx(100 * 20 / 120)  # 41.67% - 25.0% = +16.67
    assert new["p_value"] == pytest.approx(0.00617, abs=1e-5)
    assert new["p_value"] == pytest.approx(old["p_value"], rel=1e-12)  # the swap leaves the test unchanged
    # the interval is the default's mirrored: [low, high] becomes [-high, -low]
    assert (new["difference_low_points"], new["difference_high_points"]) == pytest.approx(
        (-old["difference_high_points"], -old["difference_low_points"]))
    assert new["verdict"] == "new_checkout converts 16.7 points better than old_checkout (control) at buy (p=0.0062)"
    assert chosen.loc[chosen["variant"] == "old_checkout", "verdict"].isna().all()  # the control is not compared


def test_the_arms_counted_once_compare_with_either_control_as_the_full_computation_does():
    counts = count_arm_funnels(checkout_export(), params=FUNNEL)  # the one query; the Funnel page caches it
    assert counts.arms == ("new_checkout", "old_checkout") and (counts.mixed, counts.unassigned) == (0, 0)
    assert counts.funnel.sort_values(["variant", "step_number"])["customers"].tolist() == [120, 50, 120, 30]
    for control in (None, "old_checkout", "new_checkout"):
        pd.testing.assert_frame_equal(compare_arms(counts, control=control),
                                      compute_variant_funnel(checkout_export(), params=FUNNEL, control=control))
    with pytest.raises(ParameterError, match="'new_checkout', 'old_checkout'"):
        compare_arms(counts, control="A")


def test_a_control_that_is_no_arm_is_refused_quoting_it_and_listing_the_arms():
    data = checkout_export()
    for bad in ("A", "old checkout", 5):
        with pytest.raises(ParameterError) as error:
            compute_variant_funnel(data, params=FUNNEL, control=bad)
        assert repr(bad) in str(error.value)
        assert "'new_checkout', 'old_checkout'" in str(error.value)


def test_a_control_written_with_spaces_around_is_the_arm():
    result = compute_variant_funnel(checkout_export(), params=FUNNEL, control=" old_checkout ")
    assert list(result.loc[result["is_control"], "variant"].unique()) == ["old_checkout"]


def test_the_saved_control_setting_is_a_name_or_nothing():
    from cjm.journey.experiment_params import ExperimentParams

    assert ExperimentParams().control is None
    assert ExperimentParams(control=" old_checkout ").control == "old_checkout"
    for bad in ("", "  ", 5, ["A"]):
        with pytest.raises(ParameterError, match="control"):
            ExperimentParams(control=bad)
