"""Property tests: the funnel agrees with a brute-force reference on random small logs, and its counts
obey the invariants every funnel must (never increasing along the steps, drops adding up)."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjm import engine
from cjm.data.dataset import Dataset
from cjm.journey.funnel import FunnelParams, compute_funnel, compute_progress
from tests.funnel_reference import reference_funnel, reference_progress
from tests.helpers import event_frame

BASE = pd.Timestamp("2024-03-01T00:00:00Z")
STAGES = {"view": "awareness", "ad": "awareness", "cart": "consideration", "buy": "conversion",
          "__order__": ("awareness", "consideration", "conversion", "retention", "loyalty")}
EVENT_NAMES = ["view", "ad", "cart", "buy", "mail"]
STAGE_NAMES = ["awareness", "consideration", "conversion"]

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])



def event_rows(names):
    return st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.integers(min_value=0, max_value=8),  # minutes, so windows of 1..5 minutes hit their edges
            st.sampled_from(names),
            st.sampled_from(["web", "app", "email", None]),
        ),
        min_size=4,
        max_size=30,
    )


_names = itertools.count()


def _register(frame):
    # not the default "t<n>" names, which can collide with Ibis's generated subquery names
    return Dataset.from_events(engine.register(frame, name=f"funnel_property_{next(_names)}"))


def _frame(rows):
    literal = [(c, BASE + pd.Timedelta(minutes=m), e, ch) for c, m, e, ch in rows]
    return event_frame(literal, ("customer_id", "timestamp", "event", "channel"), stages=STAGES)


@st.composite
def funnel_cases(draw, mode, excluding=False):
    """A random small log and funnel parameters; `excluding` always sets an exclusion and makes the
    excluded event frequent, so that discarded attempts are common."""
    kind = draw(st.sampled_from(["event", "stage"]))
    names = EVENT_NAMES[:4] if kind == "event" else STAGE_NAMES
    if mode == "any":
        steps = draw(st.lists(st.sampled_from(names), min_size=2, max_size=len(names), unique=True))
    else:
        steps = draw(st.lists(st.sampled_from(names), min_size=2, max_size=3))
    rows = draw(event_rows(EVENT_NAMES + ["mail"] * 3 if excluding else EVENT_NAMES))
    present = {e for _, _, e, _ in rows}
    present_names = present if kind == "event" else {STAGES[e] for e in present if e in STAGES}
    if not set(steps) <= present_names:  # unknown steps are a ParameterError, tested elsewhere
        rows = rows + [("a", 30, e if kind == "event" else next(k for k, v in STAGES.items() if v == e), "web")
                       for e in steps]
    exclude = draw(st.sampled_from(["mail", "mail", "ad", "cart"] if excluding else [None, "mail", "ad", "cart"]))
    if exclude is not None and exclude not in {e for _, _, e, _ in rows}:
        rows = rows + [("b", 5, exclude, None)]
    i = draw(st.integers(0, len(steps) - 2))
    j = draw(st.integers(i + 1, len(steps) - 1))
    params = FunnelParams(
        steps=tuple(steps),
        step_kind=kind,
        window_seconds=draw(st.sampled_from([60, 120, 180, 300])),
        mode=mode,
        exclude_event=exclude,
        exclude_between=(i, j),
    )
    return _frame(rows), params


def _assert_same_progress(frame, params, table):
    got = compute_progress(table, params=params)
    want = reference_progress(frame, params)
    assert list(got["customer_id"]) == list(want["customer_id"])
    assert list(got["steps_reached"]) == list(want["steps_reached"])
    for column in ["entered_at"] + [f"reached_at_{k}" for k in range(1, len(params.steps) + 1)]:
        assert list(got[column]) == list(pd.to_datetime(want[column], utc=True)), column
    if params.breakdown is not None:
        assert list(got["group"]) == list(want["group"])


@pytest.mark.parametrize("excluding", [False, True], ids=["mixed", "excluding"])
@pytest.mark.parametrize("mode", ["ordered", "strict", "any"])
def test_progress_and_funnel_equal_the_brute_force_reference(mode, excluding):
    @SETTINGS
    @given(funnel_cases(mode, excluding))
    def check(case):
        frame, params = case
        table = _register(frame)
        _assert_same_progress(frame, params, table)
        got = compute_funnel(table, params=params)
        want = reference_funnel(frame, params)
        assert list(got["customers"]) == [w["customers"] for w in want]
        assert list(got["dropped"]) == [w["dropped"] for w in want]
        for column in ("median_seconds_from_previous", "mean_seconds_from_previous"):
            for value, expected in zip(got[column], (w[column] for w in want)):
                if expected is None:
                    assert pd.isna(value)
                else:
                    assert value == pytest.approx(expected)
        # invariants: counts never increase along the steps, and drops add up
        customers = list(got["customers"])
        assert all(a >= b for a, b in zip(customers, customers[1:]))
        assert customers[0] == got["dropped"].sum() + customers[-1]
        assert got["dropped"].iloc[0] == 0
        if customers[0]:
            assert got["conversion_from_first"].iloc[-1] == pytest.approx(customers[-1] / customers[0])

    check()


@pytest.mark.parametrize("mode", ["ordered", "strict", "any"])
def test_breakdown_groups_equal_the_brute_force_reference(mode):
    @SETTINGS
    @given(funnel_cases(mode), st.sampled_from(["first", "last"]), st.integers(1, 3))
    def check(case, attribution, max_groups):
        frame, params = case
        params = replace(params, breakdown="channel", attribution=attribution, max_groups=max_groups)
        _assert_same_progress(frame, params, _register(frame))

    check()
