"""Stage mapping: raw event names -> journey stages (DESIGN.md section 3).

The mapping is an editable table. It starts from the built-in touchpoint dictionary, then keyword
rules; events neither knows stay "unmapped" and are listed for the user to assign.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from cjm.data import schema
from cjm.data.columns import normalise
from cjm.errors import ParameterError

# Touchpoint dictionary: normalised event name -> (stage in the 5-stage model, stage in the 7-stage model).
TOUCHPOINTS: dict[str, tuple[str, str]] = {
    "ad_impression": ("awareness", "awareness"),
    "impression": ("awareness", "awareness"),
    "ad_view": ("awareness", "awareness"),
    "ad_click": ("awareness", "awareness"),
    "social_view": ("awareness", "awareness"),
    "social_post": ("awareness", "awareness"),
    "social_engagement": ("awareness", "awareness"),
    "tweet": ("awareness", "awareness"),
    "word_of_mouth": ("awareness", "awareness"),
    "email_open": ("awareness", "discovery"),
    "email_click": ("awareness", "discovery"),
    "first_contact": ("awareness", "discovery"),
    "lead": ("awareness", "discovery"),
    "landing": ("awareness", "discovery"),
    "page_view": ("consideration", "discovery"),
    "session_start": ("consideration", "discovery"),
    "search": ("consideration", "discovery"),
    "view": ("consideration", "discovery"),
    "product_view": ("consideration", "evaluation"),
    "view_item": ("consideration", "evaluation"),
    "review_read": ("consideration", "evaluation"),
    "compare": ("consideration", "evaluation"),
    "wishlist": ("consideration", "evaluation"),
    "add_to_cart": ("consideration", "evaluation"),
    "cart": ("consideration", "evaluation"),
    "remove_from_cart": ("consideration", "evaluation"),
    "checkout_started": ("consideration", "evaluation"),
    "begin_checkout": ("consideration", "evaluation"),
    "checkout": ("consideration", "evaluation"),
    "signup": ("conversion", "conversion"),
    "purchase": ("conversion", "conversion"),
    "order_completed": ("conversion", "conversion"),
    "order": ("conversion", "conversion"),
    "payment": ("conversion", "conversion"),
    "won": ("conversion", "conversion"),
    "closed_won": ("conversion", "conversion"),
    "invoice": ("retention", "experience"),
    "delivery": ("retention", "experience"),
    "onboarding": ("retention", "experience"),
    "survey_response": ("retention", "experience"),
    "feedback": ("retention", "experience"),
    "return": ("retention", "support"),
    "support_ticket": ("retention", "support"),
    "chat": ("retention", "support"),
    "call": ("retention", "support"),
    "complaint": ("retention", "support"),
    "repeat_purchase": ("loyalty", "repurchase"),
    "referral": ("loyalty", "repurchase"),
    "review_written": ("loyalty", "repurchase"),
    "renewal": ("loyalty", "repurchase"),
}

# Keyword rules for names the dictionary does not know, checked in order.
KEYWORDS: tuple[tuple[str, tuple[str, str]], ...] = (
    (r"repeat|renew|referr|loyal", ("loyalty", "repurchase")),
    (r"review_writ|wrote_review", ("loyalty", "repurchase")),
    (r"support|ticket|chat|call|complain|refund|return", ("retention", "support")),
    (r"invoice|deliver|ship|onboard|survey|feedback", ("retention", "experience")),
    (r"purchase|order|buy|paid|payment|won|subscri", ("conversion", "conversion")),
    (r"cart|checkout|compare|wish|review|product", ("consideration", "evaluation")),
    (r"page|view|visit|search|session|browse", ("consideration", "discovery")),
    (r"email|newsletter|lead|contact|landing", ("awareness", "discovery")),
    (r"\bad\b|ad_|impression|social|campaign|banner|tweet", ("awareness", "awareness")),
)


def model_stages(model: str, custom: tuple[str, ...] = ()) -> tuple[str, ...]:
    if model in schema.STAGE_MODELS:
        return schema.STAGE_MODELS[model]
    if model == "custom":
        if len(custom) < 2 or len(set(custom)) != len(custom):
            raise ParameterError(f"A custom stage model needs at least two distinct stage names; got {list(custom)}.")
        return tuple(custom)
    raise ParameterError(f"Unknown stage model {model!r}: choose '5', '7' or 'custom'.")


def suggest_stage(event: str, model: str) -> str:
    """The stage the dictionary or keyword rules give an event name, or 'unmapped'."""
    if model not in ("5", "7"):
        return schema.UNMAPPED
    which = 0 if model == "5" else 1
    norm = normalise(event)
    if norm in TOUCHPOINTS:
        return TOUCHPOINTS[norm][which]
    for pattern, stages in KEYWORDS:
        if re.search(pattern, norm):
            return stages[which]
    return schema.UNMAPPED


@dataclass
class StageMapping:
    """The stage model and the editable event -> stage table."""

    model: str = "5"
    custom_stages: tuple[str, ...] = ()
    events: dict[str, str] = field(default_factory=dict)  # user overrides and confirmed suggestions

    @property
    def stages(self) -> tuple[str, ...]:
        return model_stages(self.model, tuple(self.custom_stages))

    def stage_of(self, event: str) -> str:
        stage = self.events.get(event)
        if stage is None:
            stage = suggest_stage(event, self.model)
        return stage if stage in self.stages else schema.UNMAPPED

    def table(self, event_names) -> dict[str, str]:
        """event -> stage for every event name seen in the data."""
        return {e: self.stage_of(e) for e in event_names}

    def unmapped(self, event_names) -> list[str]:
        return [e for e in event_names if self.stage_of(e) == schema.UNMAPPED]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["custom_stages"] = list(self.custom_stages)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "StageMapping":
        mapping = cls(model=str(data.get("model", "5")), custom_stages=tuple(data.get("custom_stages") or ()),
                      events=dict(data.get("events") or {}))
        mapping.stages  # validates the model
        return mapping


def stages_present(stages, seen) -> tuple[str, ...]:
    """The stages of the model (`stages`, in model order) that occur among `seen` (stage names of events or
    of customers' reach): the one rule for "the stages present in the data" (default funnel steps)."""
    seen = {str(s) for s in seen if s is not None and s == s}
    return tuple(s for s in stages if s in seen)
