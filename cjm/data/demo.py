"""Demo data: a year of synthetic customer journeys that give every analysis something to find.

Five hidden archetypes (fast buyers, comparison shoppers, mobile browsers, customers who churn after
support trouble, loyal repeaters) each walk a Markov chain over the touchpoint dictionary. The chain
has two phases (before and after the first purchase), so a return visit after a purchase ends in
`repeat_purchase` rather than `purchase`. Every customer advances one event per loop iteration; the
loop runs over journey steps, never over customers or events, so 100k customers take seconds.

What makes the analyses meaningful is built into the chain:
- gaps cost conversions: landing on the website from social (instead of the app) and switching device
  before buying add "friction", which moves probability towards leaving at every later step;
- a checkout A/B test: customers in arm B who reach checkout while the test runs buy more often;
- sentiment follows the experience (late deliveries, repeated support contacts, sales->support
  handoffs push ratings and comments down; loyal buyers write positive reviews);
- `churned` is drawn from support trouble, recency and sentiment, not from the archetype alone.
Journeys are cut at the end of the data, so some are still in progress there.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cjm.errors import ParameterError

EVENTS = (
    "ad_impression", "ad_click", "social_view", "email_open", "email_click", "page_view",
    "product_view", "review_read", "add_to_cart", "checkout_started", "purchase", "invoice",
    "support_ticket", "chat", "repeat_purchase", "referral", "review_written", "survey_response",
)
EV = {name: code for code, name in enumerate(EVENTS)}
END = len(EVENTS)  # the absorbing "journey over" state
CHANNELS = ("web", "mobile app", "email", "social", "store", "phone", "search ads")
WEB, APP, EMAIL, SOCIAL, STORE, PHONE, SEARCH_ADS = range(len(CHANNELS))
DEVICES = ("mobile", "desktop", "tablet")
MOBILE, DESKTOP, TABLET = range(len(DEVICES))
DEPARTMENTS = ("marketing", "sales", "support", "billing")
MARKETING, SALES, SUPPORT, BILLING = range(len(DEPARTMENTS))

EVENT_COLUMNS = (
    "customer_id", "event_time", "event", "channel", "device", "department", "session_id", "revenue",
    "rating", "comment", "variant", "scroll_depth",
)
CUSTOMER_COLUMNS = (
    "customer_id", "age_band", "income_band", "gender", "location", "signup_date",
    "acquisition_channel", "churned",
)
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
INCOME_BANDS = ("<25k", "25-50k", "50-75k", "75-100k", "100k+")
GENDERS = ("female", "male", "non-binary")
CITIES = ("New York", "Chicago", "Los Angeles", "Houston", "Miami", "Seattle")
ACQUISITION = ("search ads", "social", "email", "organic", "referral")

SESSION_GAP = 1800  # seconds of inactivity that start a new session
MAX_STEPS = 250  # safety cap on events per customer
TEST_START_FRACTION = 0.25  # the checkout test runs from this far into the data (whole days) to its end
CAMPAIGN_SHARE = 0.08  # customers first reached by the campaign in the last three weeks
TEST_LIFT = 0.2  # arm B: this share of the non-purchase mass at checkout goes to purchase

# Events shown on the website or in the app (their channel is the session's surface).
_ON_SITE = np.zeros(END + 1, bool)
_ON_SITE[[EV[e] for e in ("page_view", "product_view", "review_read", "add_to_cart",
                          "checkout_started", "purchase", "repeat_purchase", "chat",
                          "review_written")]] = True
_SUPPORT = np.zeros(END + 1, bool)
_SUPPORT[[EV["support_ticket"], EV["chat"]]] = True


@dataclass(frozen=True)
class Archetype:
    """One kind of customer: its share, how it behaves, and who it is."""

    name: str
    share: float
    entry: dict[str, float]
    pre: dict[str, float]  # pre-purchase chain parameters (see _pre_purchase)
    post: dict[str, float]  # post-purchase chain parameters (see _post_purchase)
    device: tuple[float, float, float]  # first device: mobile, desktop, tablet
    switch_device: float  # chance a new session happens on another device
    switch_to: tuple[float, float, float]  # which device it switches to
    app: float  # chance a phone/tablet session is in the app rather than the mobile website
    return_hours: float  # median hours before coming back to continue a journey
    return_chance: float  # chance a browsing step happens in a later session instead of now
    cycle_days: float  # median days between a purchase and the next shopping trip
    late_delivery: float  # chance the customer's deliveries are late
    sales_first: float  # chance the first support contact lands in sales (a handoff follows)
    friction_social: float  # friction added by landing on the website from social
    friction_device: float  # friction added by a device switch before the first purchase
    mood: float  # baseline experience, -1..1
    order_value: float  # median order value
    hours: tuple[float, ...]  # relative activity by hour of day (24 values, UTC)
    age: tuple[float, ...]
    income: tuple[float, ...]
    early: float = 1.0  # >1 skews first contacts towards the start of the data


def _hours(*peaks: tuple[int, float]) -> tuple[float, ...]:
    base = np.full(24, 0.15)
    base[7:23] = 1.0
    for hour, weight in peaks:
        base[hour] += weight
    return tuple(base / base.sum())


ARCHETYPES = (
    Archetype(
        name="fast buyer", share=0.16,
        entry={"ad_impression": 0.45, "page_view": 0.30, "email_open": 0.10, "product_view": 0.15},
        pre=dict(ctr=0.55, impress=0.35, land=0.75, bounce=0.1, pages=0.3, browse=0.3, reviews=0.05,
                 cart=0.55, chat=0.0, back=0.06, checkout=0.85, buy=0.72, exit_survey=0.05,
                 eclick=0.6, remind=0.05),
        post=dict(support=0.05, survey=0.35, review=0.15, cycle=0.25, refer=0.03, eclick=0.5,
                  store=0.05, cart=0.5, buy=0.85, loop=0.05),
        device=(0.2, 0.75, 0.05), switch_device=0.03, switch_to=(0.3, 0.6, 0.1), app=0.2,
        return_hours=6, return_chance=0.02, cycle_days=70, late_delivery=0.08, sales_first=0.1,
        friction_social=0.15, friction_device=0.3, mood=0.35, order_value=95,
        hours=_hours((10, 1.0), (11, 1.2), (13, 1.0), (14, 0.8)),
        age=(0.08, 0.32, 0.32, 0.18, 0.07, 0.03), income=(0.05, 0.15, 0.30, 0.28, 0.22),
    ),
    Archetype(
        name="comparison shopper", share=0.27,
        entry={"ad_impression": 0.45, "page_view": 0.30, "social_view": 0.10, "email_open": 0.15},
        pre=dict(ctr=0.15, impress=0.78, land=0.65, bounce=0.12, pages=0.35, browse=0.5, reviews=0.25,
                 cart=0.18, review_back=0.7, chat=0.03, back=0.25, checkout=0.45, buy=0.5,
                 exit_survey=0.12, eclick=0.5, remind=0.12),
        post=dict(support=0.1, survey=0.3, review=0.15, cycle=0.15, refer=0.02, eclick=0.4,
                  store=0.02, cart=0.35, buy=0.7, loop=0.1),
        device=(0.65, 0.25, 0.10), switch_device=0.35, switch_to=(0.05, 0.85, 0.10), app=0.3,
        return_hours=30, return_chance=0.22, cycle_days=60, late_delivery=0.12, sales_first=0.2,
        friction_social=0.15, friction_device=0.2, mood=0.1, order_value=70,
        hours=_hours((12, 0.8), (19, 1.0), (20, 1.3), (21, 1.2)),
        age=(0.12, 0.34, 0.28, 0.15, 0.08, 0.03), income=(0.10, 0.28, 0.30, 0.20, 0.12),
    ),
    Archetype(
        name="mobile browser", share=0.35,
        entry={"social_view": 0.75, "ad_impression": 0.15, "page_view": 0.10},
        pre=dict(ctr=0.05, impress=0.8, land=0.55, social=0.35, bounce=0.22, pages=0.35, browse=0.35,
                 reviews=0.05, cart=0.1, chat=0.0, back=0.15, checkout=0.45, buy=0.4, exit_survey=0.1,
                 eclick=0.3, remind=0.1),
        post=dict(support=0.08, survey=0.15, review=0.05, cycle=0.06, refer=0.05, eclick=0.3,
                  store=0.0, cart=0.3, buy=0.7, loop=0.1),
        device=(0.88, 0.02, 0.10), switch_device=0.05, switch_to=(0.3, 0.4, 0.3), app=0.6,
        return_hours=48, return_chance=0.08, cycle_days=80, late_delivery=0.15, sales_first=0.2,
        friction_social=0.3, friction_device=0.3, mood=0.0, order_value=45,
        hours=_hours((8, 0.6), (21, 1.3), (22, 1.5), (23, 0.8)),
        age=(0.38, 0.36, 0.14, 0.07, 0.04, 0.01), income=(0.30, 0.35, 0.20, 0.10, 0.05),
    ),
    Archetype(
        name="churned after support", share=0.09,
        entry={"ad_impression": 0.35, "page_view": 0.37, "social_view": 0.08, "email_open": 0.20},
        pre=dict(ctr=0.17, impress=0.8, land=0.88, bounce=0.03, browse=0.3, reviews=0.1, cart=0.6,
                 chat=0.0, back=0.06, checkout=0.88, buy=0.8, exit_survey=0.0, eclick=0.8),
        post=dict(support=0.9, survey=0.05, review=0.02, cycle=0.0, refer=0.0, eclick=0.05,
                  store=0.0, cart=0.2, buy=0.5, loop=0.4, followup=0.6),
        device=(0.40, 0.50, 0.10), switch_device=0.05, switch_to=(0.3, 0.6, 0.1), app=0.3,
        return_hours=24, return_chance=0.05, cycle_days=60, late_delivery=0.6, sales_first=0.65,
        friction_social=0.0, friction_device=0.0, mood=-0.45, order_value=75,
        hours=_hours((9, 0.6), (10, 0.8), (15, 0.8), (16, 0.6)),
        age=(0.08, 0.22, 0.26, 0.22, 0.15, 0.07), income=(0.12, 0.25, 0.28, 0.20, 0.15),
        early=2.0,
    ),
    Archetype(
        name="loyal repeater", share=0.13,
        entry={"email_open": 0.32, "page_view": 0.38, "ad_impression": 0.22, "social_view": 0.08},
        pre=dict(ctr=0.17, impress=0.8, land=0.88, bounce=0.03, browse=0.25, reviews=0.1, cart=0.6,
                 chat=0.0, back=0.06, checkout=0.9, buy=0.82, exit_survey=0.0, eclick=0.8),
        post=dict(support=0.04, survey=0.1, review=0.15, cycle=0.65, refer=0.05, eclick=0.75,
                  store=0.15, cart=0.8, buy=0.88, loop=0.05),
        device=(0.45, 0.45, 0.10), switch_device=0.05, switch_to=(0.3, 0.6, 0.1), app=0.55,
        return_hours=24, return_chance=0.05, cycle_days=28, late_delivery=0.04, sales_first=0.05,
        friction_social=0.0, friction_device=0.0, mood=0.7, order_value=55,
        hours=_hours((9, 1.0), (10, 0.8), (18, 0.8), (19, 1.0)),
        age=(0.03, 0.15, 0.27, 0.27, 0.18, 0.10), income=(0.04, 0.14, 0.28, 0.30, 0.24),
        early=2.0,
    ),
)


def _pre_purchase(p: dict[str, float]) -> dict[str, dict[str, float]]:
    """Transitions before the first purchase; whatever a row leaves unassigned ends the journey."""
    return {
        "ad_impression": {"ad_click": p["ctr"], "ad_impression": p["impress"]},
        "ad_click": {"page_view": 0.6, "product_view": 0.35},
        "social_view": {"page_view": p["land"], "social_view": p.get("social", 0.1)},
        "email_open": {"email_click": p["eclick"], "email_open": 0.1},
        "email_click": {"product_view": 0.6, "page_view": 0.35},
        "page_view": {"product_view": 1 - p["bounce"] - p.get("pages", 0.1),
                      "page_view": p.get("pages", 0.1)},
        "product_view": {"product_view": p["browse"], "review_read": p["reviews"],
                         "add_to_cart": p["cart"], "chat": p["chat"]},
        "review_read": {"product_view": p.get("review_back", 0.55), "review_read": 0.1,
                        "add_to_cart": p["cart"] * 0.5},
        "chat": {"product_view": 0.5, "add_to_cart": 0.3},
        "add_to_cart": {"checkout_started": p["checkout"], "product_view": p["back"],
                        "email_open": p.get("remind", 0.02)},  # abandoned-cart reminder
        "checkout_started": {"purchase": p["buy"], "survey_response": p["exit_survey"],
                             "email_open": p.get("remind", 0.02)},
        "purchase": {"invoice": 1.0},
        "survey_response": {"page_view": 0.1},
    }


def _post_purchase(p: dict[str, float]) -> dict[str, dict[str, float]]:
    """Transitions after the first purchase (delivery, support, feedback, repeat shopping)."""
    return {
        "invoice": {"support_ticket": p["support"], "survey_response": p["survey"],
                    "review_written": p["review"], "email_open": p["cycle"], "referral": p["refer"]},
        "support_ticket": {"chat": p.get("followup", 0.4), "support_ticket": 0.12, "survey_response": 0.2,
                           "email_open": p["cycle"] * 0.4},
        "chat": {"support_ticket": p["loop"], "survey_response": 0.25, "email_open": p["cycle"] * 0.5},
        "survey_response": {"review_written": 0.15, "email_open": p["cycle"], "referral": p["refer"]},
        "review_written": {"email_open": p["cycle"] * 1.2, "referral": p["refer"] * 1.5},
        "referral": {"email_open": p["cycle"]},
        "email_open": {"email_click": p["eclick"], "repeat_purchase": p["store"], "email_open": 0.1},
        "email_click": {"product_view": 0.9},
        "page_view": {"product_view": 0.7},
        "product_view": {"product_view": 0.2, "review_read": 0.05, "add_to_cart": min(p["cart"], 0.75)},
        "review_read": {"product_view": 0.4, "add_to_cart": p["cart"] * 0.5},
        "add_to_cart": {"checkout_started": 0.9},
        "checkout_started": {"repeat_purchase": p["buy"]},
        "purchase": {"invoice": 1.0},  # the phase switches as the purchase is recorded
        "repeat_purchase": {"invoice": 1.0},
    }


def _matrix(rows: dict[str, dict[str, float]]) -> np.ndarray:
    out = np.zeros((END + 1, END + 1))
    out[:, END] = 1.0
    for source, targets in rows.items():
        i = EV[source]
        out[i, :] = 0.0
        for target, weight in targets.items():
            out[i, EV[target]] = weight
        rest = 1.0 - out[i].sum()
        if rest < -1e-9:
            raise AssertionError(f"demo chain row {source} sums to more than 1")
        out[i, END] = max(rest, 0.0)
    return out


TRANSITIONS = np.stack([np.stack([_matrix(_pre_purchase(a.pre)), _matrix(_post_purchase(a.post))])
                        for a in ARCHETYPES])  # [archetype, phase, from, to]
CUMULATIVE = np.cumsum(TRANSITIONS, axis=-1).astype(np.float32)
ENTRY = np.array([[a.entry.get(name, 0.0) for name in EVENTS] + [0.0] for a in ARCHETYPES])
HOURS_CDF = np.cumsum(np.array([a.hours for a in ARCHETYPES]), axis=1)

# How long a transition takes: the kind of gap between two events.
TIE, CLICK, BROWSE, DECIDE, RETURN, DELIVERY, FOLLOW, CYCLE = range(8)


def _gap_kinds() -> np.ndarray:
    kinds = np.full((END + 1, END + 1), RETURN, dtype=np.int8)
    for source in ("page_view", "product_view", "review_read", "chat"):
        kinds[EV[source], [EV[e] for e in ("page_view", "product_view", "review_read", "chat",
                                           "add_to_cart")]] = BROWSE
    kinds[EV["add_to_cart"], EV["product_view"]] = BROWSE
    for source, target in (("ad_impression", "ad_click"), ("ad_click", "page_view"),
                           ("ad_click", "product_view"), ("social_view", "page_view"),
                           ("email_open", "email_click"), ("email_click", "page_view"),
                           ("email_click", "product_view")):
        kinds[EV[source], EV[target]] = CLICK
    for source, target in (("add_to_cart", "checkout_started"), ("checkout_started", "purchase"),
                           ("checkout_started", "repeat_purchase")):
        kinds[EV[source], EV[target]] = DECIDE
    kinds[[EV["purchase"], EV["repeat_purchase"]], EV["invoice"]] = TIE
    for target in ("support_ticket", "survey_response", "review_written", "referral"):
        kinds[EV["invoice"], EV[target]] = DELIVERY
    for source in ("support_ticket", "chat"):
        for target in ("support_ticket", "chat", "survey_response"):
            kinds[EV[source], EV[target]] = FOLLOW
    kinds[:, EV["email_open"]] = CYCLE
    kinds[[EV["email_open"], EV["add_to_cart"], EV["checkout_started"]], EV["email_open"]] = RETURN
    return kinds


GAP_KINDS = _gap_kinds()
FAST_BUYER, COMPARISON_SHOPPER, MOBILE_BROWSER, CHURNS_AFTER_SUPPORT, LOYAL_REPEATER = range(5)


def _param(name: str) -> np.ndarray:
    return np.array([getattr(a, name) for a in ARCHETYPES], dtype=float)


def _categorical(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One draw per row from per-row category weights (rows of `weights` need not sum to 1)."""
    cum = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cum[:, -1]
    return np.minimum((cum <= u[:, None]).sum(axis=1), weights.shape[1] - 1)


def _mix(cum: np.ndarray, rows: np.ndarray, target: int, amount) -> None:
    """Move `amount` of each selected row's probability mass onto `target`, in place.

    Works on cumulative probabilities: mixing p with a one-hot at `target` is, cumulatively,
    mixing with a step that is 1 from `target` on.
    """
    if not rows.any():
        return
    amount = np.broadcast_to(np.asarray(amount, float), rows.shape)[rows][:, None]
    step = np.arange(cum.shape[1]) >= target
    cum[rows] = cum[rows] * (1.0 - amount) + amount * step


def _draw(rng: np.random.Generator, cum: np.ndarray) -> np.ndarray:
    """One draw per row from cumulative probabilities."""
    u = rng.random(len(cum), dtype=np.float32)
    return np.minimum((cum <= u[:, None]).sum(axis=1), cum.shape[1] - 1)


@dataclass
class _Log:
    """Events recorded step by step (one array per column, concatenated at the end)."""

    parts: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, **columns: np.ndarray) -> None:
        for key, values in columns.items():
            compact = values.astype(np.int64 if key == "t" else np.int32 if key == "cust" else np.int8)
            self.parts.setdefault(key, []).append(compact)

    def frame(self) -> dict[str, np.ndarray]:
        return {key: np.concatenate(values) for key, values in self.parts.items()}


def _hour_starts(rng, arch: np.ndarray) -> np.ndarray:
    """Seconds into the day at which a visit starts, following the archetype's daily rhythm."""
    hour = np.minimum((HOURS_CDF[arch] <= rng.random(len(arch))[:, None]).sum(axis=1), 23)
    return hour * 3600 + rng.integers(0, 3600, len(arch))


def _next_visit(rng, t, seconds, arch):
    """The time of a later visit about `seconds` after t, at an hour typical for the archetype."""
    out = (t + seconds) // 86400 * 86400 + _hour_starts(rng, arch)
    return np.where(out <= t + SESSION_GAP, out + 86400, out)


def _gaps(rng, kind, t, arch, late):
    """Seconds-resolution time of the next event for each row, given the kind of gap."""
    n = len(t)
    out = np.empty(n, dtype=np.int64)
    lognormal = lambda median, sigma, size: np.exp(np.log(median) + sigma * rng.standard_normal(size))
    in_session = {TIE: None, CLICK: (15, 0.8), BROWSE: (70, 0.9), DECIDE: (150, 0.8)}
    for k, spec in in_session.items():
        rows = kind == k
        m = int(rows.sum())
        if spec is None:
            secs = np.where(rng.random(m) < 0.12, 0, rng.integers(1, 30, m))
        else:
            secs = np.minimum(1 + lognormal(*spec, m), SESSION_GAP - 60).astype(np.int64)
        out[rows] = t[rows] + secs
    later = {
        RETURN: lambda rows: lognormal(1.0, 1.0, rows.sum()) * _RETURN_HOURS[arch[rows]] * 3600,
        DELIVERY: lambda rows: lognormal(1.0, 0.4, rows.sum()) * np.where(late[rows], 9, 4) * 86400,
        FOLLOW: lambda rows: lognormal(20, 0.8, rows.sum()) * 3600,
        CYCLE: lambda rows: lognormal(1.0, 0.5, rows.sum()) * _CYCLE_DAYS[arch[rows]] * 86400,
    }
    for k, seconds in later.items():
        rows = kind == k
        if rows.any():
            out[rows] = _next_visit(rng, t[rows], seconds(rows).astype(np.int64), arch[rows])
    return out


_RETURN_HOURS = _param("return_hours")
_CYCLE_DAYS = _param("cycle_days")


def _touch(rng, state, prev, surface, phase, support_seen, sales_first):
    """Channel and department of each current event."""
    n = len(state)
    channel = np.full(n, EMAIL, dtype=np.int8)
    channel[(state == EV["ad_impression"]) | (state == EV["ad_click"])] = SEARCH_ADS
    channel[state == EV["social_view"]] = SOCIAL
    on_site = _ON_SITE[state]
    channel[on_site] = surface[on_site]
    channel[(state == EV["repeat_purchase"]) & (prev == EV["email_open"])] = STORE
    referral = state == EV["referral"]
    channel[referral & (rng.random(n) < 0.5)] = SOCIAL
    ticket = state == EV["support_ticket"]
    u = rng.random(n)
    channel[ticket & (u < 0.4)] = PHONE
    channel[ticket & (u >= 0.7)] = surface[ticket & (u >= 0.7)]

    dept = np.full(n, MARKETING, dtype=np.int8)
    dept[on_site & (state != EV["review_written"])] = SALES
    dept[state == EV["invoice"]] = BILLING
    care = _SUPPORT[state] & (phase == 1)
    u = rng.random(n)
    first_contact = support_seen == 0
    dept[care] = SUPPORT
    dept[care & first_contact & (u < sales_first)] = SALES
    dept[care & ~first_contact & (u < 0.3 * sales_first)] = SALES
    dept[care & ~first_contact & (u > 0.9)] = BILLING
    return channel, dept


CHUNK = 200_000  # customers walked together; bounds the memory of one step


def _simulate(rng: np.random.Generator, n: int, start: int, end: int) -> tuple[dict, dict]:
    """Draw who every customer is, then walk their chains; returns (event columns, latent columns)."""
    shares = _param("share")
    arch_of = rng.choice(len(ARCHETYPES), size=n, p=shares / shares.sum()).astype(np.int8)
    days = (end - start) // 86400
    day = (rng.beta(1.0, _param("early")[arch_of]) * days).astype(np.int64)
    # A campaign in the last three weeks brings a wave of new customers, many still mid-journey at the end.
    campaign = rng.random(n) < CAMPAIGN_SHARE
    day = np.where(campaign, days - 1 - rng.integers(0, min(21, days), n), day)
    first = start + day * 86400 + _hour_starts(rng, arch_of)
    latent = {
        "arch": arch_of,
        "first": first,
        "late": rng.random(n) < _param("late_delivery")[arch_of],
        "arm_b": rng.random(n) < 0.5,
        "test_start": start + int(TEST_START_FRACTION * days) * 86400,
    }
    log = _Log()
    for low in range(0, n, CHUNK):
        _walk(rng, np.arange(low, min(low + CHUNK, n)), latent, end, log)
    return log.frame(), latent


def _walk(rng: np.random.Generator, cust: np.ndarray, latent: dict, end: int, log: "_Log") -> None:
    """Advance these customers one event per iteration until every journey has ended."""
    arch_of, late_of, arm_b_of = latent["arch"], latent["late"], latent["arm_b"]
    test_start = latent["test_start"]
    switch_to = np.array([a.switch_to for a in ARCHETYPES])
    app_share, switch_chance = _param("app"), _param("switch_device")
    return_chance, sales_first = _param("return_chance"), _param("sales_first")
    friction_device, friction_social = _param("friction_device"), _param("friction_social")

    n = len(cust)
    arch = arch_of[cust]
    state = _categorical(rng, ENTRY[arch])
    device = _categorical(rng, np.array([a.device for a in ARCHETYPES])[arch])
    surface = np.where((device != DESKTOP) & (rng.random(n) < app_share[arch]), APP, WEB)
    t = latent["first"][cust]
    phase = np.zeros(n, np.int8)
    friction = np.zeros(n)
    support_seen = np.zeros(n, np.int16)
    prev = np.full(n, END)
    for _ in range(MAX_STEPS):
        channel, dept = _touch(rng, state, prev, surface, phase, support_seen, sales_first[arch])
        log.add(cust=cust, event=state, t=t, channel=channel, device=device, department=dept,
                phase=phase, surface=surface)
        support_seen = support_seen + (_SUPPORT[state] & (phase == 1))
        phase = np.where(state == EV["purchase"], 1, phase).astype(np.int8)

        cum = CUMULATIVE[arch, phase, state]
        late = late_of[cust]
        _mix(cum, (friction > 0) & (phase == 0), END, friction)
        lift = arm_b_of[cust] & (state == EV["checkout_started"]) & (t >= test_start)
        _mix(cum, lift & (phase == 0), EV["purchase"], TEST_LIFT)
        _mix(cum, lift & (phase == 1), EV["repeat_purchase"], TEST_LIFT)
        _mix(cum, late & (state == EV["invoice"]) & (support_seen == 0), EV["support_ticket"], 0.3)
        nxt = _draw(rng, cum)

        kind = GAP_KINDS[state, nxt]
        later = np.isin(kind, (BROWSE, DECIDE)) & (rng.random(n) < return_chance[arch])
        kind = np.where(later, RETURN, kind)
        t_next = _gaps(rng, kind, t, arch, late)
        keep = (nxt != END) & (t_next < end)
        if not keep.any():
            break
        new_session = (t_next - t > SESSION_GAP)[keep]
        prev, state, t, cust = state[keep], nxt[keep], t_next[keep], cust[keep]
        phase, friction, device, surface = phase[keep], friction[keep], device[keep], surface[keep]
        support_seen, arch = support_seen[keep], arch[keep]
        n = len(cust)

        # A new session may happen on another device; before the first purchase that costs.
        chance = switch_chance[arch] * np.where(phase == 0, 1.0, 0.3)
        switched = new_session & (rng.random(n) < chance)
        new_device = device.copy()
        new_device[switched] = _categorical(rng, switch_to[arch[switched]])
        switched &= new_device != device
        device = new_device
        friction = friction + switched * (phase == 0) * friction_device[arch]
        # Surface (website or app) is chosen per session, and again when landing from social.
        from_social = (prev == EV["social_view"]) & _ON_SITE[state]
        in_app = (device != DESKTOP) & (rng.random(n) < app_share[arch])
        surface = np.where(new_session | from_social, np.where(in_app, APP, WEB), surface)
        friction = friction + (from_social & (surface == WEB)) * (phase == 0) * friction_social[arch]


# ---- comments --------------------------------------------------------------------------------
NEG, NEU, POS = range(3)
NEG_THEMES = ("delivery", "support", "checkout", "forms", "billing", "app", "price")
POS_THEMES = ("prices", "delivery", "checkout", "support", "quality")

_FEEDBACK = {
    NEG: {
        "delivery": ("delivery was late", "delivery was late and nobody told me why",
                     "the delivery was late again", "delivery was late and the box was damaged",
                     "my parcel came a week after the promised date, delivery was late"),
        "support": ("support never called back", "I called twice and support never called back",
                    "support never called back and I had to explain everything again",
                    "I was passed from sales to support and had to repeat my problem"),
        "checkout": ("checkout kept failing", "checkout kept failing at the payment step",
                     "checkout kept failing on my phone", "the card payment kept failing"),
        "forms": ("too many forms", "too many forms just to pay",
                  "way too many forms to fill in before paying",
                  "too many forms and a forced account signup"),
        "billing": ("I was charged twice", "I was charged twice and still wait for my refund",
                    "the invoice amount was wrong"),
        "app": ("the app keeps crashing", "the app keeps crashing at checkout",
                "the mobile site is painfully slow"),
        "price": ("shipping costs too high", "shipping costs too high for a small order",
                  "prices went up since my last order"),
    },
    POS: {
        "prices": ("great prices", "great prices and a good range", "great prices compared to other shops"),
        "delivery": ("fast delivery", "fast delivery, it arrived the next day",
                     "delivery was quick and on time"),
        "checkout": ("easy checkout", "checkout was quick and easy", "easy checkout and clear tracking"),
        "support": ("helpful support", "support solved my issue in minutes",
                    "friendly and helpful support team"),
        "quality": ("love the quality", "the quality is excellent", "products are exactly as described"),
    },
    NEU: {
        "mixed": ("it was okay", "delivery took a few days, as expected",
                  "the product is fine but the packaging was damaged", "average prices, nothing special",
                  "it took a while to find the right size",
                  "fine, although the website is a bit confusing"),
    },
}
_SUPPORT_NOTES = {
    NEG: {
        "delivery": ("order has not arrived, delivery was late",
                     "parcel still missing, delivery was late by a week",
                     "customer asks where the order is, delivery was late"),
        "support": ("customer upset that support never called back",
                    "second contact about the same unresolved issue, support never called back",
                    "transferred from sales to support, customer annoyed at repeating the whole story"),
        "checkout": ("payment failed twice, checkout kept failing, order taken by phone",),
        "forms": ("customer gave up on the return, too many forms",),
        "billing": ("customer was charged twice and wants a refund", "invoice shows the wrong amount"),
        "app": ("customer reports the app keeps crashing",),
        "price": ("customer complains shipping costs too high",),
    },
    NEU: {
        "mixed": ("question about the return policy, answered", "asked to change the delivery address, done",
                  "wanted a copy of the invoice, sent", "question about sizes, resolved",
                  "asked when the order will ship, sent the tracking link"),
    },
    POS: {
        "support": ("issue solved on the first contact, customer thanked the agent",
                    "quick fix, customer very happy with the help",
                    "refund processed the same day, customer pleased"),
    },
}
_PRESALE_NOTES = ("asked if the item is in stock", "asked about delivery times before ordering",
                  "question about sizes before buying", "asked whether there is a discount code")
_FOREIGN = {
    NEG: ("La entrega llegó tarde y nadie me avisó.", "El soporte nunca me devolvió la llamada.",
          "La livraison était en retard.", "Le paiement a échoué plusieurs fois, très déçu."),
    NEU: ("Todo correcto, nada especial.", "Correct, sans plus."),
    POS: ("Muy buenos precios, volveré a comprar.", "Excelente calidad, muy contento.",
          "Très bons prix, je recommande.", "Livraison rapide, merci beaucoup."),
}
_OPENERS = {
    ("feedback", NEG): ("", "Really disappointed: ", "Not happy, ", "Frustrating: ",
                        "Terrible experience, ", "Very annoyed, "),
    ("feedback", NEU): ("", "Overall, ", "Honestly, "),
    ("feedback", POS): ("", "Great experience, ", "Love this shop: ", "Very happy, ", "Excellent, "),
    ("support", NEG): ("", "Complaint: ", "Escalated: ", "Customer angry, ", "Call back needed: "),
    ("support", NEU): ("", "Customer call: ", "Chat: "),
    ("support", POS): ("",),
    ("presale", NEU): ("", "Pre-sale chat: "),
}
_CLOSERS = {
    ("feedback", NEG): (".", ". Not ordering again.", ". Please fix this.", ". Very poor service.", "!"),
    ("feedback", NEU): (".",),
    ("feedback", POS): ("!", ". Will buy again.", ". Highly recommend.", ". Thanks!", "."),
    ("support", NEG): (".", ". Customer is very unhappy.", ". Customer threatens to cancel.",
                       ". Refund requested."),
    ("support", NEU): (".",),
    ("support", POS): (".", "!"),
    ("presale", NEU): (".",),
}


def _text_bank():
    """Every comment text in one array, with (first index, count) per (kind, tone, theme)."""
    texts: list[str] = []
    groups: dict[tuple[str, int, str], tuple[int, int]] = {}
    sources = [("feedback", _FEEDBACK), ("support", _SUPPORT_NOTES),
               ("presale", {NEU: {"mixed": _PRESALE_NOTES}})]
    for kind, by_tone in sources:
        for tone, themes in by_tone.items():
            for theme, phrases in themes.items():
                first = len(texts)
                for opener in _OPENERS[kind, tone]:
                    for phrase in phrases:
                        for closer in _CLOSERS[kind, tone]:
                            text = opener + phrase + closer
                            texts.append(text[0].upper() + text[1:])
                groups[kind, tone, theme] = (first, len(texts) - first)
    for tone, phrases in _FOREIGN.items():
        groups["foreign", tone, ""] = (len(texts), len(phrases))
        texts.extend(phrases)
    return np.array(texts, dtype=object), groups


TEXTS, TEXT_GROUPS = _text_bank()


def _pick(rng, size, kind, tone, theme):
    first, count = TEXT_GROUPS[kind, tone, theme]
    return first + rng.integers(0, count, size)


# ---- from walked chains to export-like frames ------------------------------------------------
def _running_before(flags: np.ndarray, first_row: np.ndarray) -> np.ndarray:
    """Per row: how many earlier rows of the same customer have the flag (rows grouped by customer)."""
    total = np.cumsum(flags) - flags
    return total - total[first_row]


def _take(values, codes: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """Strings from a small table of values by code (null where `missing`), built by Arrow."""
    return pc.take(pa.array(list(values), pa.string()), pa.array(codes, mask=missing))


def _numbered(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """'C000123'-style ids: prefix + zero-padded number, assembled from two small string tables."""
    high, low = np.divmod(numbers, 1000)
    digits = lambda count, pad: pc.utf8_lpad(pc.cast(pa.array(np.arange(count)), pa.string()), pad, "0")
    highs = pc.binary_join_element_wise(prefix, digits(int(high.max(initial=0)) + 1, width - 3), "")
    return pc.binary_join_element_wise(pc.take(highs, high), pc.take(digits(1000, 3), low), "")


def _iso_times(t: np.ndarray) -> pa.Array:
    """Seconds since the epoch as '2025-05-01T08:13:07Z' (a table of days joined to one of times)."""
    day, second = np.divmod(t, 86400)
    first = int(day.min())
    days = pa.array(np.datetime_as_string(np.arange(first, int(day.max()) + 1).astype("datetime64[D]")))
    clock = np.arange(86400)
    two = lambda values: pc.utf8_lpad(pc.cast(pa.array(values), pa.string()), 2, "0")
    times = pc.binary_join_element_wise("T", two(clock // 3600), ":", two(clock // 60 % 60), ":",
                                        two(clock % 60), "Z", "")
    return pc.binary_join_element_wise(pc.take(days, day - first), pc.take(times, second), "")


def _assemble(rng, ev: dict, latent: dict, n: int, end: int):
    """Turn the walked chains into the export-like events and customers frames."""
    order = np.argsort(ev["cust"], kind="stable")  # the log is step by step; make it customer by customer
    ev = {key: values[order] for key, values in ev.items()}
    cust, t, code, phase = ev["cust"], ev["t"], ev["event"], ev["phase"]
    arch = latent["arch"][cust]
    rows = np.arange(len(cust))
    first_of_cust = np.r_[True, cust[1:] != cust[:-1]]
    first_row = np.maximum.accumulate(np.where(first_of_cust, rows, 0))
    new_session = first_of_cust | (np.diff(t, prepend=t[0]) > SESSION_GAP)

    # Customers are numbered in the order they first appeared; sessions in the order they started.
    first_t = t[first_of_cust]
    customer_number = np.empty(n, np.int64)
    customer_number[np.lexsort((np.arange(n), first_t))] = np.arange(1, n + 1)
    starts = np.flatnonzero(new_session)
    session_number = np.empty(len(starts), np.int64)
    session_number[np.lexsort((cust[starts], t[starts]))] = np.arange(1, len(starts) + 1)
    session_number = session_number[np.cumsum(new_session) - 1]

    customers = _customers(rng, n, latent["arch"], code[first_of_cust])
    income_factor = np.array([0.75, 0.9, 1.0, 1.15, 1.35])[customers["income"]]
    bought = np.flatnonzero((code == EV["purchase"]) | (code == EV["repeat_purchase"]))
    median = (_param("order_value")[arch[bought]] * income_factor[cust[bought]]
              * np.where(code[bought] == EV["repeat_purchase"], 0.85, 1.0))
    revenue = np.full(len(code), np.nan)
    revenue[bought] = np.round(np.exp(np.log(median) + 0.45 * rng.standard_normal(len(bought))), 2)

    viewed = code == EV["page_view"]
    views = np.flatnonzero(viewed)
    bounced = np.r_[new_session[1:], True][views]  # nothing else happened in that session
    depth = np.where(bounced, rng.beta(1.2, 4.0, len(views)), rng.beta(3.5, 2.0, len(views)))
    scroll = np.zeros(len(code), np.int64)
    scroll[views] = np.rint(100 * depth * np.where(arch[views] == MOBILE_BROWSER, 0.8, 1.0))

    exposed = np.zeros(n, bool)
    exposed[cust[(code == EV["checkout_started"]) & (t >= latent["test_start"])]] = True
    arm = latent["arm_b"][cust].astype(np.int64)

    stars, text = _feedback(rng, ev, latent, arch, first_row)
    care = _SUPPORT[code] & (phase == 1)
    churned = _churn(rng, n, cust, care, t, stars, latent["arch"], end)

    # Export order: by time, then customer; a stable sort keeps each customer's journey order on ties.
    o = np.argsort(t * (n + 1) + customer_number[cust], kind="stable")
    rated = ~np.isnan(stars[o])
    no_device = (ev["channel"] == STORE) | (ev["channel"] == PHONE)
    events = pa.table({
        "customer_id": _numbered("C", customer_number[cust][o], max(6, len(str(n)))),
        "event_time": _iso_times(t[o]),
        "event": _take(EVENTS, code[o]),
        "channel": _take(CHANNELS, ev["channel"][o]),
        "device": _take(DEVICES, ev["device"][o], no_device[o]),
        "department": _take(DEPARTMENTS, ev["department"][o]),
        "session_id": _numbered("S", session_number[o], max(7, len(str(len(starts))))),
        "revenue": pa.array(revenue[o]),
        "rating": pa.array(np.where(rated, stars[o], 0).astype(np.int64), mask=~rated),
        "comment": _take(TEXTS, np.maximum(text[o], 0), text[o] < 0),
        "variant": _take(("A", "B"), arm[o], ~exposed[cust][o]),
        "scroll_depth": pa.array(scroll[o], mask=~viewed[o]),
    }).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)

    by_number = np.argsort(customer_number)
    people = pa.table({
        "customer_id": _numbered("C", customer_number[by_number], max(6, len(str(n)))),
        "age_band": _take(AGE_BANDS, customers["age"][by_number]),
        "income_band": _take(INCOME_BANDS, customers["income"][by_number]),
        "gender": _take(GENDERS, customers["gender"][by_number]),
        "location": _take(CITIES, customers["location"][by_number]),
        "signup_date": pa.array(np.datetime_as_string(first_t[by_number].astype("datetime64[s]"), unit="D")),
        "acquisition_channel": _take(ACQUISITION, customers["acquisition"][by_number]),
        "churned": pa.array(churned[by_number]),
    }).to_pandas()
    archetypes = np.array([a.name for a in ARCHETYPES], dtype=object)[latent["arch"][by_number]]
    return events, people, archetypes


def _feedback(rng, ev, latent, arch, first_row):
    """Ratings (1..5, NaN where none) and comment codes into TEXTS (-1 where none).

    Tone follows what happened to the customer so far: late deliveries, earlier support contacts
    and sales->support handoffs pull it down, repeat purchases lift it.
    """
    cust, code, phase, dept = ev["cust"], ev["event"], ev["phase"], ev["department"]
    n_rows = len(code)
    care = _SUPPORT[code] & (phase == 1)
    prev_care = np.r_[False, care[:-1]] & (first_row != np.arange(n_rows))
    handoff = care & prev_care & (np.r_[MARKETING, dept[:-1]] == SALES) & (dept == SUPPORT)
    rated = (code == EV["survey_response"]) | (code == EV["review_written"])
    chat = code == EV["chat"]
    speaks = np.flatnonzero(rated | care | chat)  # only these rows get a rating or a comment
    support_before = _running_before(care.astype(np.int64), first_row)[speaks]
    handoffs = (_running_before(handoff.astype(np.int64), first_row) + handoff)[speaks]
    repeats_before = _running_before((code == EV["repeat_purchase"]).astype(np.int64), first_row)[speaks]
    code, phase, arch, care, rated = code[speaks], phase[speaks], arch[speaks], care[speaks], rated[speaks]
    size = len(speaks)
    late = latent["late"][cust[speaks]] & (phase == 1)
    mood = (_param("mood")[arch] - 0.55 * late - 0.22 * np.minimum(support_before, 3)
            - 0.2 * np.minimum(handoffs, 2) + 0.08 * np.minimum(repeats_before, 4)
            + 0.25 * rng.standard_normal(size))
    exit_survey = (code == EV["survey_response"]) & (phase == 0)
    mood = np.where(exit_survey, -0.6 + 0.25 * rng.standard_normal(size), mood)

    stars = np.clip(np.rint(3 + 2 * mood + 0.6 * rng.standard_normal(size)), 1, 5)
    tone = np.where(stars <= 2, NEG, np.where(stars >= 4, POS, NEU))
    warm = (mood > 0.5) & (rng.random(size) < 0.4)
    tone = np.where(care, np.where(mood < -0.1, NEG, np.where(warm, POS, NEU)), tone)

    neg_w = np.tile([1.0, 0.3, 0.3, 0.3, 0.4, 0.3, 0.4], (size, 1))  # order of NEG_THEMES
    neg_w[:, 0] += 4 * late
    neg_w[:, 1] += 3 * (support_before > 0) + 2 * (handoffs > 0)
    neg_w[:, 4] += 0.5 * care
    neg_w[exit_survey] = [0, 0, 3.0, 2.5, 0, 0.5, 1.5]
    neg_w[exit_survey, 5] += 1.5 * (ev["surface"][speaks][exit_survey] == APP)
    neg_theme = _categorical(rng, neg_w)
    pos_w = np.tile([1.0, 1.0, 0.6, 0.2, 1.0], (size, 1))  # order of POS_THEMES
    pos_w[:, 2] += 1.0 * (arch == FAST_BUYER)
    pos_w[:, 3] += 2.0 * (support_before > 0)
    pos_w[:, [0, 4]] += 1.0 * (arch == LOYAL_REPEATER)[:, None]
    pos_theme = _categorical(rng, pos_w)

    has_text = ~rated | (code == EV["review_written"]) | (rng.random(size) < 0.75)
    kind = np.where(care, "support", np.where(code == EV["chat"], "presale", "feedback"))
    index = np.full(size, -1, np.int64)
    for k in ("feedback", "support"):
        for tn in (NEG, NEU, POS):
            base = has_text & (kind == k) & (tone == tn)
            if tn == NEG:
                for i, theme in enumerate(NEG_THEMES):
                    sel = base & (neg_theme == i)
                    index[sel] = _pick(rng, sel.sum(), k, tn, theme)
            elif tn == POS and k == "feedback":
                for i, theme in enumerate(POS_THEMES):
                    sel = base & (pos_theme == i)
                    index[sel] = _pick(rng, sel.sum(), k, tn, theme)
            else:
                base_theme = "support" if tn == POS else "mixed"
                index[base] = _pick(rng, base.sum(), k, tn, base_theme)
    presale = has_text & (kind == "presale")
    index[presale] = _pick(rng, presale.sum(), "presale", NEU, "mixed")
    tone = np.where(presale, NEU, tone)
    foreign = has_text & (rng.random(size) < 0.02)
    for tn in (NEG, NEU, POS):
        sel = foreign & (tone == tn)
        index[sel] = _pick(rng, sel.sum(), "foreign", tn, "")

    all_stars = np.full(n_rows, np.nan)
    all_stars[speaks[rated]] = stars[rated]
    all_text = np.full(n_rows, -1, np.int64)
    all_text[speaks] = index
    return all_stars, all_text


def _churn(rng, n, cust, care, t, stars, arch_of, end):
    """churned (0/1): driven by support trouble, long inactivity and poor ratings."""
    contacts = np.bincount(cust, weights=care, minlength=n)
    last = np.zeros(n, np.int64)
    np.maximum.at(last, cust, t)
    recency_days = (end - last) / 86400
    rated = ~np.isnan(stars)
    count = np.bincount(cust[rated], minlength=n)
    mean = np.bincount(cust[rated], weights=stars[rated], minlength=n) / np.maximum(count, 1)
    logit = (-3.0 + 0.45 * np.minimum(contacts, 5) + 1.8 * np.clip((recency_days - 45) / 150, 0, 2)
             + 1.3 * ((count > 0) & (mean <= 2.5)) - 0.6 * ((count > 0) & (mean >= 4))
             + 1.5 * (arch_of == CHURNS_AFTER_SUPPORT) - 1.0 * (arch_of == LOYAL_REPEATER))
    return (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)


def _customers(rng, n, arch_of, first_code):
    """Who each customer is (codes into the band/city tables) and how they were acquired."""
    age = _categorical(rng, np.array([a.age for a in ARCHETYPES])[arch_of])
    income = _categorical(rng, np.array([a.income for a in ARCHETYPES])[arch_of])
    gender = _categorical(rng, np.tile([0.52, 0.46, 0.02], (n, 1)))
    location = _categorical(rng, np.tile([0.24, 0.16, 0.20, 0.12, 0.14, 0.14], (n, 1)))
    acquisition = np.full(n, ACQUISITION.index("organic"))
    acquisition[np.isin(first_code, (EV["ad_impression"], EV["ad_click"]))] = ACQUISITION.index("search ads")
    acquisition[first_code == EV["social_view"]] = ACQUISITION.index("social")
    acquisition[np.isin(first_code, (EV["email_open"], EV["email_click"]))] = ACQUISITION.index("email")
    referral_chance = np.where(arch_of == LOYAL_REPEATER, 0.4, 0.2)
    referred = (acquisition == ACQUISITION.index("organic")) & (rng.random(n) < referral_chance)
    acquisition[referred] = ACQUISITION.index("referral")
    return {"age": age, "income": income, "gender": gender, "location": location,
            "acquisition": acquisition}


# ---- public API ---------------------------------------------------------------------------------
def _period(start: str, months: int) -> tuple[int, int]:
    try:
        begin = pd.Timestamp(start)
    except (ValueError, TypeError):
        begin = pd.NaT
    if pd.isna(begin):
        raise ParameterError(
            f"start must be a date such as '2025-05-01'; found {start!r}. "
            "Give the first day of the demo data."
        )
    if begin.tzinfo is not None:
        begin = begin.tz_convert("UTC").tz_localize(None)
    finish = begin + pd.DateOffset(months=months)
    return int(begin.value // 10**9), int(finish.value // 10**9)


def generate_demo(
    *, customers: int = 3000, seed: int = 7, start: str = "2025-05-01", months: int = 12,
    include_archetype: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic (events, customers) frames: export-like columns, see data/README.md.

    The same arguments always give identical frames. `include_archetype=True` adds the hidden
    archetype of each customer as an `archetype` column of the customers frame (for tests and
    benchmarks of segmentation; the shipped demo files leave it out).
    """
    if isinstance(customers, bool) or not isinstance(customers, (int, np.integer)) or customers < 1:
        raise ParameterError(
            f"customers must be a whole number of at least 1; found {customers!r}. Try 3000."
        )
    if isinstance(months, bool) or not isinstance(months, (int, np.integer)) or not 1 <= months <= 120:
        raise ParameterError(f"months must be a whole number from 1 to 120; found {months!r}. Try 12.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(f"seed must be a whole number of at least 0; found {seed!r}. Try 7.")
    begin, finish = _period(start, int(months))
    rng = np.random.default_rng(int(seed))
    walked, latent = _simulate(rng, int(customers), begin, finish)
    events, people, archetypes = _assemble(rng, walked, latent, int(customers), finish)
    if include_archetype:
        people["archetype"] = archetypes
    return events, people


def write_demo(out_dir, *, customers: int = 3000, seed: int = 7) -> list[Path]:
    """Write demo_events.csv.gz and demo_customers.csv into out_dir; byte-identical for a given seed."""
    events, people = generate_demo(customers=customers, seed=seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    events_path, customers_path = out / "demo_events.csv.gz", out / "demo_customers.csv"
    text = events.to_csv(index=False, lineterminator="\n").encode("utf-8")
    # mtime=0 and no file name in the header keep the bytes identical from run to run.
    events_path.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
    customers_path.write_bytes(people.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return [events_path, customers_path]
