"""Voice-of-the-customer widgets shared by the Sentiment and Follow-up pages.

How feedback is read (score scale, sources, neutral band) lives in the dashboard spec under
"sentiment", so both pages read it the same way and shared links keep it; the at-risk settings live
under "risk". Everything here draws; the numbers come from cjm.sentiment, cjm.painpoints,
cjm.followup and cjm.risk.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pandas as pd
import streamlit as st

from cjm.present.formats import format_count, format_money, format_number, format_percent, format_signed

from cjm.present.charts.followup import closed_loop_chart, followup_by_department_chart, risk_distribution_chart
from cjm.present.charts.sentiment import emotion_curve_chart, pain_points_chart, sentiment_by_chart, sentiment_over_time_chart
from cjm.data.contacts import RULE as SUPPORT_RULE
from cjm.errors import CJMError
from cjm.maps.text import bidi_text
from cjm.voice.followup import UNASSIGNED
from cjm.voice.risk import RiskParams
from cjm.voice.sentiment import LABELS, PERIODS, SCALE_CHOICES, SCALE_LABELS, SentimentParams, scales_note
from cjm.voice.languages import language_name
from cjm.ui import data, state, widgets
from cjm.ui.safe import md, unlinked

KEY = "cjm.sentiment."
FOLLOWUP_KEY = "cjm.followup."
VIEWS = {"event": "Touchpoint", "channel": "Channel", "segment": "Segment", "period": "Over time"}
METHODS = {"auto": "Model when a churn label exists, else rules", "rules": "Transparent rules", "model": "Model only"}
QUOTES_QUOTED = 8        # comments shown as quotes above the full table
QUOTE_LIMIT = 20_000     # comments kept in the table and its download
LOOP_LIMIT = 100_000     # the whole call-back list
CUSTOMER_PAGE = "customer"  # app_pages/customer.py, which reads ?customer=ID
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$<>~:=^])")


# --- formatting -----------------------------------------------------------------------------------------

def plain(text) -> str:
    """Customer text shown literally in Markdown: entities decoded, newlines folded, syntax escaped, no address
    made a link (a tweet's "http://t.co/..." was drawn as a live link in the quotes)."""
    text = unlinked(" ".join(html.unescape(str(text)).split()))
    return bidi_text(_MARKDOWN_SPECIAL.sub(r"\\\1", text))  # Arabic reads right to left (cjm.maps.text)


def customer_url(customer_id) -> str:
    return f"{CUSTOMER_PAGE}?customer={quote(str(customer_id), safe='')}"


signed = format_signed  # the shared vocabulary (cjm.present.formats)


def table(frame: pd.DataFrame, columns: dict[str, tuple[str, str]], *, name: str, key: str | None = None,
          tz=None) -> None:
    """widgets.table with readable headers. columns: source -> (label, kind); kinds: text, count,
    percent (fraction shown as 42.3%), signed (+0.42), number, days, date, list, customer (the id and a
    link to its Customer page). tz: the dataset's time zone, whose clock dates are shown on."""
    shown, config = pd.DataFrame(index=frame.index), {}
    for source, (label, kind) in columns.items():
        if source not in frame.columns:
            continue
        values = frame[source]
        if kind == "percent":
            shown[label] = (values.astype("float64") * 100).round(1)
            config[label] = st.column_config.NumberColumn(label, format="%.1f%%")
        elif kind in ("signed", "number", "days"):
            shown[label] = values.astype("float64").round(2 if kind != "days" else 1)
            config[label] = st.column_config.NumberColumn(
                label, format={"signed": "%+.2f", "number": "%,.2f", "days": "%.1f"}[kind])
        elif kind == "count":
            shown[label] = values
            config[label] = st.column_config.NumberColumn(label, format="localized")
        elif kind == "date":  # on the clock of `tz`, the dataset's time zone
            label = widgets.clock_title(label, tz)
            shown[label] = widgets.times_on_clock(values, tz).to_numpy()
        elif kind == "list":
            shown[label] = values.map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
        elif kind == "customer":
            shown[label] = values.astype("string")
            shown["Customer page"] = values.map(customer_url)
            config["Customer page"] = st.column_config.LinkColumn("Customer page", display_text="Open profile")
        else:
            shown[label] = values
    # Arabic text in its own direction on screen (Unicode isolates); the CSV download keeps the text as it was
    display = shown.copy()
    for source, (label, kind) in columns.items():
        if kind == "text" and label in display:
            display[label] = display[label].map(lambda v: bidi_text(v) if isinstance(v, str) else v)
    widgets.table(display.reset_index(drop=True), name=name, key=key, column_config=config,
                  download=shown.reset_index(drop=True))


def missing(what: str, *, column: str) -> None:
    """widgets.needs for one section: explains which column would enable it, without stopping the page."""
    st.info(f"{what} Map a **{column}** column on the Data page to enable it.", icon=":material/info:")
    st.page_link(widgets.DATA_PAGE, label="Open the Data page", icon=":material/table:")


# --- sentiment settings and headline --------------------------------------------------------------------

def saved_sentiment() -> SentimentParams:
    """How feedback is read, as last set on the Sentiment page (defaults otherwise)."""
    return state.load_params("sentiment", SentimentParams) or SentimentParams()


def sentiment_settings(dataset) -> SentimentParams:
    """The "Sentiment settings" expander: score scale, which sources, neutral band. Stops on a bad choice."""
    params = saved_sentiment()
    both = dataset.has("score") and dataset.has("text")
    with st.expander("Sentiment settings", icon=":material/tune:"):
        left, right = st.columns(2)
        scale = left.selectbox("The score column holds", list(SCALE_CHOICES),
                               index=SCALE_CHOICES.index(params.score_scale), format_func=SCALE_LABELS.get,
                               key=KEY + "scale", disabled=not dataset.has("score"),
                               help="“Detect” reads 1–5 as ratings and 0–10 as NPS (files loaded together on "
                                    "different scales: each on its own). Choose 1–7 effort (CES) yourself.")
        band = right.slider("Comments scoring closer to 0 than this are neutral", 0.0, 0.5,
                            min(params.neutral_band, 0.5), 0.01, key=KEY + "band")
        use_scores = left.checkbox("Use the scores", value=params.use_scores, key=KEY + "use_scores", disabled=not both)
        use_text = right.checkbox("Use the comments", value=params.use_text, key=KEY + "use_text", disabled=not both)
    # With one source only, its box is disabled and that source is used whatever the saved choice.
    use_scores, use_text = use_scores or not dataset.has("text"), use_text or not dataset.has("score")
    try:
        new = SentimentParams(score_scale=scale, text_scorer=params.text_scorer, neutral_band=float(band),
                              use_scores=use_scores, use_text=use_text)
    except CJMError as exc:
        widgets.show_error(exc)
        st.stop()
    state.save_params("sentiment", new)
    return new


def feedback_tiles(overall: dict, by_file: dict | None = None) -> None:
    """Responses, mean sentiment, NPS and CSAT with their responses, and the comments left unscored; under them,
    when files on different score scales were loaded together, each file's scale (`by_file`: scales_by_file)."""
    tiles = st.columns(5)
    tiles[0].metric("Responses scored", widgets.count(overall["n"]), border=True,
                    help=f"{overall['scores']:,} scores and {overall['texts']:,} comments; a rated comment counts "
                         "as one score and one comment.")
    tiles[1].metric("Mean sentiment", signed(overall["mean"]), border=True,
                    help="-1 very negative … 0 neutral … +1 very positive")
    if overall["nps"] is None:
        tiles[2].metric("NPS", "–", border=True, help="NPS needs 0–10 “how likely are you to recommend” answers. "
                        "If your score column holds them, choose 0–10 NPS in Sentiment settings.")
    else:
        tiles[2].metric(f"NPS · {overall['nps_n']:,} responses", format_signed(overall['nps'], 1), border=True,
                        help="% promoters (9–10) minus % detractors (0–6), in points")
    if overall["csat"] is None:
        tiles[3].metric("CSAT", "–", border=True, help="CSAT needs 1–5 satisfaction ratings.")
    else:
        tiles[3].metric(f"CSAT · {overall['csat_n']:,} ratings", widgets.percent(overall["csat"]), border=True,
                        help="Share of 4 and 5 ratings")
    tiles[4].metric("Unscored comments", widgets.count(overall["unscored"]), border=True,
                    help="Comments no text model here can read (English is read by VADER, Portuguese by LeIA), "
                         "and very short ones with no word the model knows: never counted as neutral.")
    mixed = scales_note(overall, by_file or {})
    if mixed:
        st.caption(md(mixed))
    if overall["unscored"]:
        read = ("en", "pt")  # the languages the default lexicon scorer reads
        languages = ", ".join(
            f"{n:,} {language_name(code)}" + (" (too short, no word the model knows)" if code in read else "")
            for code, n in overall["unscored_languages"].items())
        verb = "is" if overall["unscored"] == 1 else "are"
        st.caption(f"{format_count(overall['unscored'], 'comment')} {verb} left unscored, not counted as neutral: "
                   f"{languages}. "
                   "Only English and Portuguese have an offline text model here. "
                   f"{'It still appears' if overall['unscored'] == 1 else 'They still appear'} in the quotes below.")


# --- emotion curve and other views -------------------------------------------------------------------

SENTIMENT_COLUMNS = {
    "group": ("Group", "text"), "n": ("Responses", "count"), "mean": ("Mean sentiment", "signed"),
    "ci_low": ("95% CI low", "signed"), "ci_high": ("95% CI high", "signed"),
    "negative_share": ("Negative", "percent"), "nps": ("NPS (points)", "number"), "nps_n": ("NPS responses", "count"),
    "csat": ("CSAT", "percent"), "csat_n": ("CSAT ratings", "count"),
}


def _numbers(frame: pd.DataFrame, label: str, name: str) -> None:
    with st.expander("Numbers behind the chart"):
        table(frame, {"group": (label, "text"), **{k: v for k, v in SENTIMENT_COLUMNS.items() if k != "group"}},
              name=name)


def emotion_curve(by_stage: pd.DataFrame) -> None:
    """The emotion curve, a sentence on stages without feedback (gaps, never zeros), and its numbers."""
    widgets.chart(emotion_curve_chart(by_stage), by_stage, name="emotion curve")
    silent = [str(g) for g in by_stage.loc[by_stage["n"] == 0, "group"]]
    if silent:
        st.caption(f"No feedback was given at **{', '.join(md(s) for s in silent)}**: the curve leaves a gap there (“no feedback "
                   "here”) rather than a zero. A short survey or comment box at those stages would fill it.")
    _numbers(by_stage, "Stage", "emotion curve by stage")


def view_picker(facets: dict) -> tuple[str, str]:
    """Which cut of the feedback to show (touchpoint, channel, segment, over time) and the period."""
    views = [v for v in VIEWS if v == "event" or (v == "period" and facets["dated"])
             or (v == "channel" and facets["channels"]) or (v == "segment" and facets["segments"])]
    if st.session_state.get(KEY + "view") not in views:  # one touchpoint only (e.g. tweets): the trend says more
        st.session_state[KEY + "view"] = "event" if len(facets["events"]) > 1 or "period" not in views else "period"
    left, right = st.columns([3, 2])
    by = left.segmented_control("Sentiment by", views, format_func=VIEWS.get, key=KEY + "view", required=True)
    period = facets["period"]
    if by == "period":
        period = right.segmented_control("Period", list(PERIODS), default=facets["period"], key=KEY + "period",
                                         required=True)
    return by, period


def sentiment_view(frame: pd.DataFrame, *, by: str, period: str) -> None:
    label = VIEWS[by]
    if by == "period":
        widgets.chart(sentiment_over_time_chart(frame, period=period), frame, name=f"sentiment by {period}")
        _numbers(frame.assign(group=frame["group"].dt.strftime("%Y-%m-%d")), f"{period.capitalize()} starting",
                 f"sentiment by {period} table")
        undated = frame.attrs.get("undated", 0)
        if undated:  # a survey exported without its dates: counted in the tiles and the other views, not here
            st.caption(f"{undated:,} response{' has' if undated == 1 else 's have'} no date (a file without a date "
                       "column, such as a survey exported without its dates) and "
                       f"{'is' if undated == 1 else 'are'} not in this trend; the tiles and the other views count "
                       f"{'it' if undated == 1 else 'them'}. Map a date column on the Data page to place "
                       f"{'it' if undated == 1 else 'them'} in time.")
    else:
        widgets.chart(sentiment_by_chart(frame, by=by, label=label), frame, name=f"sentiment by {label.lower()}")
        _numbers(frame, label, f"sentiment by {label.lower()} table")


# --- pain points and quotes ---------------------------------------------------------------------------

def _quote_line(text, details: list[str]) -> str:
    return f"> {plain(text)}\n>\n> :gray[— {' · '.join(d for d in details if d)}]"


def pain_points(themes: pd.DataFrame) -> None:
    """The themes of negative comments: a bar chart, then each theme with its stages and 2-3 real quotes."""
    if themes.empty:
        st.info("Too few negative comments share a phrase to name recurring themes (a theme needs at least 3).",
                icon=":material/info:")
        return
    export = themes.assign(stages=themes["stages"].map(", ".join), quotes=themes["quotes"].map(" | ".join))
    widgets.chart(pain_points_chart(themes), export.drop(columns=["terms", "quote_values"]), name="pain points")
    for i, row in enumerate(themes.itertuples(index=False), start=1):
        st.markdown(f"**{i}. {plain(row.theme)}** · {row.count:,} negative comments ({widgets.percent(row.share)}) "
                    f"· stages: {plain(', '.join(row.stages))}")
        st.markdown("\n\n".join(f"> {plain(q)} :gray[({signed(v)})]" for q, v in zip(row.quotes, row.quote_values)))


def quote_filters(facets: dict) -> dict:
    """Search box and sentiment, stage and channel filters; returns compute_quotes keywords."""
    search, mood, stage, channel = st.columns([3, 3, 2, 2])
    query = search.text_input("Search the comments", key=KEY + "query", placeholder="e.g. delivery, refund, rude")
    sentiment = mood.segmented_control("Sentiment", list(LABELS), format_func=str.capitalize, key=KEY + "mood",
                                       help="Leave unselected for every comment.")
    stages = stage.selectbox("Stage", [None, *facets["comment_stages"]], key=KEY + "stage",
                             format_func=lambda s: "All stages" if s is None else s)
    channels = channel.selectbox("Channel", [None, *facets["comment_channels"]], key=KEY + "channel",
                                 format_func=lambda c: "All channels" if c is None else c,
                                 disabled=not facets["comment_channels"])
    return {"query": query.strip() or None, "sentiment": sentiment, "stage": stages, "channel": channels}


QUOTE_COLUMNS = {
    "text": ("Comment", "text"), "value": ("Sentiment", "signed"), "label": ("Reading", "text"),
    "score_text": ("Score", "text"), "stage": ("Stage", "text"), "event": ("Touchpoint", "text"),
    "channel": ("Channel", "text"), "timestamp": ("When", "date"), "customer_id": ("Customer", "customer"),
}


def quotes(frame: pd.DataFrame, *, tz=None) -> None:
    """The first matching comments as quotes, then all of them in a downloadable table; dates on the clock of `tz`
    (the dataset's time zone)."""
    if frame.empty:
        st.info("No comment matches these filters.", icon=":material/search_off:")
        return
    more = f" (the first {QUOTE_LIMIT:,})" if len(frame) == QUOTE_LIMIT else ""
    st.caption(f"{len(frame):,} comments match{more}; the first {min(len(frame), QUOTES_QUOTED)} are quoted here, "
               "all are in the table below.")
    head = frame.head(QUOTES_QUOTED)
    days = widgets.times_on_clock(head["timestamp"], tz).str[:10].to_numpy()
    for row, day in zip(head.itertuples(index=False), days):
        day = day if isinstance(day, str) else None
        details = [row.score_text if pd.notna(row.score_text) else "",
                   signed(row.value) if pd.notna(row.value) else "not scored", row.stage, row.event,
                   row.channel if pd.notna(row.channel) else "",
                   f"[{plain(row.customer_id)}]({customer_url(row.customer_id)})", day or "no date"]
        st.markdown(_quote_line(row.text, [str(d) for d in details]))
        _pin_button(row, day)
    table(frame, QUOTE_COLUMNS, name="comments", tz=tz)


def _pin_button(row, when: str | None) -> None:
    """"Pin to map": the comment joins the thoughts lane of the journey map at its stage (`when`: its date)."""
    import hashlib

    from cjm.ui import maps

    key = hashlib.sha1(f"{row.customer_id}|{when}|{row.stage}|{row.text}".encode()).hexdigest()[:12]
    if st.button("Pin to map", key=KEY + "pin." + key, icon=":material/push_pin:", type="tertiary",
                 help="Add this comment to the thoughts lane of the Journey map, at its stage."):
        maps.pin_quote(row.stage, row.text, customer_id=row.customer_id, when=when)
        st.toast("Pinned to the journey map (thoughts lane).", icon=":material/push_pin:")


# --- closed loop ------------------------------------------------------------------------------------

LOOP_COLUMNS = {
    "customer_id": ("Customer", "customer"), "value": ("Value", "number"), "last_feedback": ("Latest feedback", "text"),
    "sentiment": ("Sentiment", "signed"), "stage": ("Stage", "text"), "event": ("Touchpoint", "text"),
    "channel": ("Channel", "text"), "department": ("Owner", "text"), "at": ("Given", "date"),
    "days_since": ("Days since", "days"),
}
VALUE_WORDS = {"revenue": "total revenue", "purchases": "number of purchases", "events": "number of events"}


WINDOWS = (None, 7, 30, 90, 180, 365)


def closed_loop_window() -> int | None:
    """How old negative feedback may be to still earn a call back (None = any age); kept in the spec."""
    saved = state.page_params("followup")
    current = saved.get("within_days") if saved.get("within_days") in WINDOWS else None
    choice = st.selectbox("Negative feedback given", WINDOWS, index=WINDOWS.index(current),
                          format_func=lambda d: "at any time" if d is None else f"in the last {d} days",
                          key=FOLLOWUP_KEY + "within_days", width=260)
    saved["within_days"] = choice
    return choice


def closed_loop(loop: pd.DataFrame, *, tz=None) -> None:
    """Tiles, the value-by-recency chart and the call-back list (CSV for the team that calls back)."""
    if loop.empty:
        st.success("No customer's latest feedback is negative in this period: nobody is waiting for a call back.",
                   icon=":material/check_circle:")
        return
    basis = str(loop["value_basis"].iloc[0])
    tiles = st.columns(3)
    tiles[0].metric("Unhappy customers to call back", widgets.count(len(loop)), border=True,
                    help="Customers whose latest feedback is negative; later positive feedback takes them off.")
    total = loop["value"].sum()
    tiles[1].metric(f"Their value ({VALUE_WORDS.get(basis, basis)})",
                    format_money(total) if basis == "revenue" else format_count(total), border=True)
    tiles[2].metric("Median days since their feedback", format_number(loop['days_since'].median(), 1), border=True)
    widgets.chart(closed_loop_chart(loop), loop, name="closed loop")
    st.caption(f"Ranked by value ({VALUE_WORDS.get(basis, basis)}), then most recent. The owner is the department of "
               "the feedback, else the customer's last department before it.")
    counted = {"value": ("Value", "number" if basis == "revenue" else "count")}  # 28 events, not 28.00
    table(loop, {**LOOP_COLUMNS, **counted}, name="call-back list", tz=tz)


DEPARTMENT_COLUMNS = {"department": ("Owner department", "text"), "customers": ("Customers", "count"),
                      "value": ("Their value", "number"), "median_days_since": ("Median days since feedback", "days")}


def departments(by_department: pd.DataFrame) -> None:
    if by_department.empty:
        return
    if set(by_department["department"].astype(str)) == {UNASSIGNED}:  # one "unassigned" bar says nothing
        missing(f"Every follow-up is unassigned ({format_count(int(by_department['customers'].sum()), 'customer')}): the data "
                "has no department to route them to.", column="department")
        return
    widgets.chart(followup_by_department_chart(by_department), by_department, name="follow-ups by department")
    basis = str(by_department["value_basis"].iloc[0]) if "value_basis" in by_department.columns else "revenue"
    counted = {"value": ("Their value", "number" if basis == "revenue" else "count")}
    table(by_department, {**DEPARTMENT_COLUMNS, **counted}, name="follow-ups by department table")


# --- at-risk customers ---------------------------------------------------------------------------------

def risk_settings() -> RiskParams:
    """The "Risk settings" expander (method, threshold, windows). Stops on a bad choice."""
    params = state.load_params("risk", RiskParams) or RiskParams()
    with st.expander("Risk settings", icon=":material/tune:"):
        left, middle, right = st.columns(3)
        method = left.radio("Score risk with", list(METHODS), index=list(METHODS).index(params.method),
                            format_func=METHODS.get, key=FOLLOWUP_KEY + "method")
        threshold = left.slider("At risk from", 0.05, 0.95, params.threshold, 0.05, key=FOLLOWUP_KEY + "threshold",
                                format="%.2f")
        window = middle.number_input("Recent window (days)", 1, 3650, params.window_days, key=FOLLOWUP_KEY + "window")
        inactive = middle.number_input("Inactive after (days)", 1, 3650, params.inactive_days,
                                       key=FOLLOWUP_KEY + "inactive")
        stalled = right.number_input("Stalled after (days without stage progress)", 1, 3650, params.stalled_days,
                                     key=FOLLOWUP_KEY + "stalled")
        support = right.number_input("Support contacts that count as many", 1, 100, params.support_contacts,
                                     key=FOLLOWUP_KEY + "support", help=SUPPORT_RULE)
    try:
        new = RiskParams(window_days=int(window), inactive_days=int(inactive), stalled_days=int(stalled),
                         support_contacts=int(support), threshold=round(float(threshold), 2), method=method)
    except CJMError as exc:
        widgets.show_error(exc)
        st.stop()
    state.save_params("risk", new)
    return new


def model_sentence(summary: dict) -> str:
    """The churn model in a marketer's words (Markdown; the label column's name as text): what it learnt from, and
    how well it tells who leaves, its figure (the cross-validated ROC AUC, 0.5..1) said as what it means: of a
    customer who left and one who stayed, how often it gives the one who left the higher risk."""
    auc, spread = summary["auc"], summary["auc_std"]
    return (f"**Model:** risk learnt from the **{plain(summary['label_column'])}** column of the customers table "
            f"(a logistic regression). **How well it tells who leaves: {format_number(auc)}**: take one customer "
            f"who left and one who stayed, and it gives the one who left the higher risk in {format_percent(auc)} of "
            f"such pairs (checked on customers it did not learn from, 5 times over: ± {format_number(spread)}; 0.50 "
            "is a coin toss, 1.00 always right). Risk is the model's probability that a customer leaves; customers "
            "already marked as churned are lost, not at risk, and are left out of the count.")


def risk_method(summary: dict, rules: pd.DataFrame) -> None:
    """Which method scored the risk, in one sentence: the model and how well it tells who leaves, or the rules."""
    if summary["method"] == "model":
        st.markdown(model_sentence(summary))
        return
    st.markdown(f"**Risk is scored by transparent rules**, because {plain(summary['reason'])}. Each rule that applies "
                "adds its points; risk = points / 100.")
    table(rules, {"rule": ("Rule", "text"), "points": ("Points", "count"), "condition": ("Applies when", "text")},
          name="risk rules")


RISK_COLUMNS = {
    "customer_id": ("Customer", "customer"), "risk": ("Risk", "percent"), "drivers": ("Main reasons", "text"),
    "recency_days": ("Days since last event", "days"), "events_recent": ("Recent events", "count"),
    "support_contacts": ("Support contacts", "count"), "revenue": ("Revenue", "number"),
    "mean_sentiment": ("Mean sentiment", "signed"), "last_seen": ("Last seen", "date"),
}
TOP_DRIVERS = 5


def at_risk(ranked: pd.DataFrame, summary: dict, distribution: pd.DataFrame, *, tz=None) -> None:
    """Tiles, the risk distribution, the most at-risk customers' reasons in words, and the list."""
    flagged = ranked[ranked["at_risk"]]
    has_revenue = bool(ranked["revenue"].sum() > 0)
    tiles = st.columns(3 if has_revenue else 2)
    tiles[0].metric("Customers at risk", widgets.count(summary["count"]), border=True,
                    help=f"Risk at or above {format_percent(summary['threshold'], 0)}")
    tiles[1].metric("Share of customers", widgets.percent(summary["count"] / len(ranked) if len(ranked) else None),
                    border=True)
    if has_revenue:
        tiles[2].metric("Revenue of at-risk customers", format_money(flagged['revenue'].sum()), border=True)
    widgets.chart(risk_distribution_chart(distribution, threshold=summary["threshold"], method=summary["method"]),
                  distribution, name="risk distribution")
    if flagged.empty:
        st.info("No customer reaches the risk threshold. Lower it in Risk settings to see who comes closest.",
                icon=":material/info:")
        return
    st.markdown("**Most at risk, and why:**")
    st.markdown("\n".join(f"- [{plain(r.customer_id)}]({customer_url(r.customer_id)}) · risk {format_percent(r.risk, 0)}: "
                          f"{plain(r.drivers) or 'several small signs together'}"
                          for r in flagged.head(TOP_DRIVERS).itertuples(index=False)))
    table(flagged, RISK_COLUMNS, name="at-risk customers", tz=tz)


def customer_risk(dataset, customer_id: str) -> None:
    """The at-risk flag on the Customer page, scored exactly as on the Follow-up page (same cached call)."""
    from cjm.voice.risk import compute_at_risk

    from cjm.voice.risk import risk_status

    has_feedback = dataset.has("score") or dataset.has("text")
    params = state.load_params("risk", RiskParams) or RiskParams()
    try:
        with st.spinner("Scoring the risk of leaving…"):
            ranked, summary = data.run(compute_at_risk, dataset, sentiment=saved_sentiment() if has_feedback else None,
                                       params=params)
    except CJMError:
        return
    row = ranked[ranked["customer_id"] == customer_id]
    if row.empty:
        return
    kind, text = risk_status(row.iloc[0], threshold=summary.get("threshold", params.threshold),
                             label_column=summary.get("label_column"))
    if kind == "at_risk":
        st.warning(text, icon=":material/warning:")
    elif kind == "churned":
        st.info(text, icon=":material/person_off:")
    else:
        st.caption(text)
