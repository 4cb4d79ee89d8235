"""A/B tests: the funnel per variant, compared with the control arm (DESIGN.md section 4).

Each customer belongs to the first variant they were seen in (first non-empty `variant` value in time
order); customers seen in more than one variant are counted there, and customers seen in none are left
out; both are counted in the warning. An arm none of whose customers entered is listed with 0 and not compared.
The control is the arm the analyst names (`control`; the Funnel page lets them pick it), else the arm
named control, A, baseline, original, ctrl, champion or 0, else the first arm alphabetically.
Conversion is conversion from step 1 with a 95% Wilson interval; each other variant is compared
with the control at every step: difference in percentage points with a Newcombe interval and the
p-value of a pooled two-proportion z-test. A comparison with fewer than ~100 customers at entry in an
arm, or an expected count below 5, carries a "too few customers to tell" warning. Every arm is
compared, however many there are (the funnel breakdown's folding of small groups into "other" is off).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import ibis
import numpy as np
import pandas as pd

from cjm import engine, stats
from cjm.errors import InsufficientDataError, ParameterError
from cjm.journey.funnel import FunnelParams, funnel_on
from cjm.journey.funnel.validate import check_names
from cjm.present.formats import format_number, format_count

CONTROL_NAMES = ("control", "a", "baseline", "original", "ctrl", "champion", "0")
MIN_CUSTOMERS = 100
COLUMNS = [
    "variant", "is_control", "step", "step_number", "entered", "customers", "conversion_from_first",
    "conversion_low", "conversion_high", "difference_points", "difference_low_points",
    "difference_high_points", "p_value", "significant", "verdict", "warning",
]


def format_p(p: float) -> str:
    """p=0.03, p=0.41, p<0.001."""
    if p is None or np.isnan(p):
        return "p not computable"
    return "p<0.001" if p < 0.001 else f"p={p:.2g}"


def verdict(variant: str, control: str, step: str, difference_points: float, p: float, *, alpha: float = 0.05) -> str:
    """'B converts 2.1 points better than A (control) at purchase (p=0.03)' or 'No significant difference ...':
    the control is named as such (an arm called "control" already says so)."""
    if str(control).strip().lower() != "control":
        control = f"{control} (control)"
    if np.isnan(p) or p >= alpha:
        return f"No significant difference between {variant} and {control} at {step} ({format_p(p)})"
    direction = "better" if difference_points > 0 else "worse"
    return f"{variant} converts {format_number(abs(difference_points), 1)} points {direction} than {control} at {step} ({format_p(p)})"


def default_control(arms: list[str]) -> str:
    """The arm compared with when the analyst names none: the one named control, A, baseline, original, ctrl,
    champion or 0 (in that order of preference), else the first alphabetically."""
    for name in CONTROL_NAMES:
        for arm in arms:
            if arm.strip().lower() == name:
                return arm
    return sorted(arms)[0]


def check_control(control, arms: list[str]) -> str:
    """The control arm: `control` when it is one of `arms`, the default rule when it is None; else an error
    that quotes it and lists the arms."""
    if control is None:
        return default_control(arms)
    if isinstance(control, str) and control.strip() in arms:
        return control.strip()
    raise ParameterError(
        f"control: expected one of the arms {', '.join(map(repr, arms))} (the values of the variant column), "
        f"found {control!r}. Pick one of them, or leave it unset for the default ({default_control(arms)!r})."
    )


def _assign_variants(events):
    """(events with `variant` replaced by each customer's first variant, customers seen in 2+ variants,
    the variants' names, customers seen in none)."""
    seen = events.filter(events.variant.notnull() & (engine.trimmed(events.variant) != ""))
    first = ibis.window(group_by="customer_id", order_by=[seen.timestamp, seen.row_id])
    firsts = seen.mutate(position=ibis.row_number().over(first)).filter(ibis._.position == 0)
    firsts = firsts.select("customer_id", first_variant=engine.trimmed(firsts.variant))
    mixed = seen.group_by("customer_id").aggregate(arms=engine.trimmed(seen.variant).nunique())
    counts = engine.execute(mixed.aggregate(customers=mixed.count(), mixed=mixed.count(where=mixed.arms > 1))).iloc[0]
    everyone = int(engine.execute(events.aggregate(n=events.customer_id.nunique()))["n"].iloc[0])
    arms = sorted(engine.execute(firsts.select("first_variant").distinct())["first_variant"].astype(str))
    if not counts["customers"]:
        raise InsufficientDataError(
            "The A/B comparison needs a variant column (which test arm each customer saw, e.g. 'A' / 'B'); "
            "the data has no variant values. Map your experiment-group column to 'variant' on the Data page."
        )
    assigned = events.join(firsts, "customer_id")
    assigned = assigned.mutate(variant=assigned.first_variant).drop("first_variant")
    return assigned, int(counts["mixed"]), arms, everyone - int(counts["customers"])


def _every_arm(funnel: pd.DataFrame, arms: list[str]) -> pd.DataFrame:
    """The funnel with a row per arm and step: an arm none of whose customers entered has no group in the
    funnel, and is listed with 0 customers at every step (its conversion is then no value, not 0%)."""
    funnel["variant"] = funnel["variant"].astype(str)
    steps = funnel.drop_duplicates("step_number")[["step_number", "step"]]
    missing = [arm for arm in arms if arm not in set(funnel["variant"])]
    if not missing or steps.empty:
        return funnel
    empty = pd.concat([steps.assign(variant=arm, customers=0) for arm in missing], ignore_index=True)
    return pd.concat([funnel, empty], ignore_index=True)


@dataclass(frozen=True)
class ArmFunnels:
    """The funnel of every arm of an A/B test, counted once (`count_arm_funnels`); `compare_arms` compares them with
    any control without counting again. funnel: variant, step, step_number, customers (every arm and step)."""
    funnel: pd.DataFrame
    arms: tuple[str, ...]
    mixed: int  # customers seen in 2+ arms (counted in the first)
    unassigned: int  # customers seen in none (left out)


def count_arm_funnels(dataset, *, params: FunnelParams) -> ArmFunnels:
    """The funnel per arm of `dataset` (the Dataset or a view of it), each customer in the first arm they saw."""
    # the step names are checked against the whole data (a step no event of a filtered view reaches is 0)
    check_names(dataset.events, params)
    assigned, mixed, arms, unassigned = _assign_variants(dataset.events)
    # every arm is its own group: the funnel's folding of small groups into "other" must not apply
    funnel = funnel_on(
        assigned, params=replace(params, breakdown="variant", attribution="first", max_groups=max(len(arms), 1)),
        validate=False,
    )
    funnel = _every_arm(funnel.rename(columns={"group": "variant"}), arms)
    return ArmFunnels(funnel=funnel[["variant", "step", "step_number", "customers"]].reset_index(drop=True),
                      arms=tuple(arms), mixed=mixed, unassigned=unassigned)


def compute_variant_funnel(dataset, *, params: FunnelParams, control: str | None = None,
                           alpha: float = 0.05, confidence: float = 0.95) -> pd.DataFrame:
    """Per variant and step: entered, customers, conversion_from_first with its interval, and against
    the control: difference in points with its interval, p-value, significant, verdict and warning.
    dataset: the Dataset (or a view of it) whose events carry a `variant` column.
    control: the arm the others are compared with (one of the variant column's values); None for the default
    rule (default_control). Swapping the control flips the differences' signs; the p-values stay the same."""
    _check_alpha(alpha)
    return compare_arms(count_arm_funnels(dataset, params=params), control=control, alpha=alpha,
                        confidence=confidence)


def _check_alpha(alpha) -> None:
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha must be between 0 and 1 (e.g. 0.05); got {alpha!r}.")


def compare_arms(counts: ArmFunnels, *, control: str | None = None, alpha: float = 0.05,
                 confidence: float = 0.95) -> pd.DataFrame:
    """compute_variant_funnel's table from the arms' funnels counted once (no query: any control, at once)."""
    _check_alpha(alpha)
    variants, mixed, unassigned = list(counts.arms), counts.mixed, counts.unassigned
    if len(variants) < 2:
        raise InsufficientDataError(
            f"An A/B comparison needs at least two variants in the variant column; found only {variants!r}."
        )
    control = check_control(control, variants)
    funnel = counts.funnel.sort_values(["variant", "step_number"]).reset_index(drop=True)
    entered = funnel[funnel["step_number"] == 1].set_index("variant")["customers"]
    funnel["entered"] = funnel["variant"].map(entered).astype("int64")
    funnel["customers"] = funnel["customers"].astype("int64")
    base = funnel[funnel["variant"] == control].set_index("step_number")
    x_c = funnel["step_number"].map(base["customers"]).to_numpy()
    n_c = funnel["step_number"].map(base["entered"]).to_numpy()
    x, n = funnel["customers"].to_numpy(), funnel["entered"].to_numpy()

    funnel["conversion_from_first"] = np.where(n > 0, x / np.maximum(n, 1), np.nan)
    funnel["conversion_low"], funnel["conversion_high"] = stats.wilson_interval(x, n, confidence=confidence)
    low, high = stats.newcombe_interval(x, n, x_c, n_c, confidence=confidence)
    _, p = stats.two_proportion_ztest(x, n, x_c, n_c)
    is_control = (funnel["variant"] == control).to_numpy()
    compared = ~is_control & (funnel["step_number"] > 1).to_numpy() & (n > 0) & (n_c > 0)
    funnel["is_control"] = is_control
    with np.errstate(invalid="ignore"):
        funnel["difference_points"] = np.where(compared, (x / n - x_c / n_c) * 100, np.nan)
    funnel["difference_low_points"] = np.where(compared, low * 100, np.nan)
    funnel["difference_high_points"] = np.where(compared, high * 100, np.nan)
    funnel["p_value"] = np.where(compared, p, np.nan)
    funnel["significant"] = compared & (funnel["p_value"].to_numpy() < alpha)
    too_few = stats.too_few_to_tell(x, n, x_c, n_c, min_customers=MIN_CUSTOMERS)

    verdicts, warnings = [], []
    for row, few, cmp in zip(funnel.itertuples(index=False), too_few, compared):
        verdicts.append(verdict(row.variant, control, row.step, row.difference_points, row.p_value, alpha=alpha)
                        if cmp else None)
        notes = []
        if row.entered == 0:
            notes.append(f"No customer of {row.variant} entered the funnel at its first step, so {row.variant} "
                         "cannot be compared.")
        if cmp and few:
            notes.append(
                f"Too few customers to tell: {row.variant} has {row.entered:,} and {control} "
                f"{format_count(int(base.loc[1, 'customers']), 'customer')} at entry (about {MIN_CUSTOMERS} per variant "
                "and at least 5 expected conversions and non-conversions are needed)."
            )
        if unassigned:
            notes.append(f"{format_count(unassigned, 'customer')} saw no variant and {'is' if unassigned == 1 else 'are'} "
                         "left out of the comparison.")
        if mixed:
            notes.append(f"{format_count(mixed, 'customer')} saw more than one variant; each is counted in the first they saw.")
        warnings.append(" ".join(notes) or None)
    funnel["verdict"] = pd.Series(verdicts, dtype=object)
    funnel["warning"] = pd.Series(warnings, dtype=object)
    return funnel[COLUMNS]
