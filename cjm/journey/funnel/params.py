"""Funnel parameters: one frozen, JSON-friendly dataclass validated on creation (DESIGN.md section 4)."""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass

from cjm.errors import ParameterError

MODES = ("ordered", "strict", "any")
STEP_KINDS = ("stage", "event")
ATTRIBUTIONS = ("first", "last")
MIN_STEPS, MAX_STEPS = 2, 10
MIN_WINDOW, MAX_WINDOW = 60, 90 * 86400

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_WINDOW_TEXT = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.IGNORECASE)


def parse_window(text: str | int) -> int:
    """Seconds in a window written as "90s", "30m", "12h" or "7d" (an int is taken as seconds)."""
    if isinstance(text, bool):
        raise ParameterError(f"window: expected a duration such as '7d', '12h' or '30m', found {text!r}.")
    if isinstance(text, int):
        seconds = text
    else:
        match = _WINDOW_TEXT.match(str(text))
        if not match:
            raise ParameterError(
                f"window: expected a number followed by s, m, h or d (for example '7d', '12h', '30m'), "
                f"found {text!r}. Write weeks as days, e.g. '14d'."
            )
        seconds = int(match.group(1)) * _UNITS[match.group(2).lower()]
    _check_window(seconds, shown=text)
    return seconds


def _check_window(seconds: int, *, shown) -> None:
    if not MIN_WINDOW <= seconds <= MAX_WINDOW:
        raise ParameterError(
            f"window: expected between 1 minute and 90 days (60 to {MAX_WINDOW} seconds), found {shown!r}. "
            "Choose a conversion window inside that range."
        )


def _choice(name: str, value, allowed) -> None:
    if value not in allowed:
        raise ParameterError(f"{name}: expected one of {', '.join(map(repr, allowed))}, found {value!r}.")


@dataclass(frozen=True)
class FunnelParams:
    """What a funnel counts. Lists (from JSON) are turned into tuples and "7d"-style windows into seconds."""

    steps: tuple[str, ...]
    step_kind: str = "stage"
    window_seconds: int = 604800
    mode: str = "ordered"
    exclude_event: str | None = None
    exclude_between: tuple[int, int] = (0, 1)
    breakdown: str | None = None
    attribution: str = "first"
    max_groups: int = 8

    def __post_init__(self):
        steps = self.steps
        if isinstance(steps, str) or not isinstance(steps, (list, tuple)):
            raise ParameterError(f"steps: expected a list of 2 to 10 stage or event names, found {steps!r}.")
        steps = tuple(steps)
        object.__setattr__(self, "steps", steps)
        if not MIN_STEPS <= len(steps) <= MAX_STEPS:
            raise ParameterError(
                f"steps: expected 2 to 10 steps, found {len(steps)} ({list(steps)!r}). "
                "Add or remove steps so the funnel has between 2 and 10."
            )
        for step in steps:
            if not isinstance(step, str) or not step.strip():
                raise ParameterError(f"steps: every step must be a non-empty name, found {step!r} in {list(steps)!r}.")
        _choice("step_kind", self.step_kind, STEP_KINDS)
        _choice("mode", self.mode, MODES)
        _choice("attribution", self.attribution, ATTRIBUTIONS)
        if self.mode == "any" and len(set(steps)) < len(steps):
            raise ParameterError(
                f"steps: in any-order mode every step must be different, found {list(steps)!r}. "
                "Remove the repeated step or use ordered mode."
            )
        window = self.window_seconds
        if isinstance(window, str):
            window = parse_window(window)
        elif isinstance(window, numbers.Real) and not isinstance(window, bool) and float(window).is_integer():
            window = int(window)
        if isinstance(window, bool) or not isinstance(window, int):
            raise ParameterError(f"window_seconds: expected a whole number of seconds, found {window!r}.")
        _check_window(window, shown=self.window_seconds)
        object.__setattr__(self, "window_seconds", window)
        if self.exclude_event is not None and (not isinstance(self.exclude_event, str) or not self.exclude_event):
            raise ParameterError(f"exclude_event: expected an event name or nothing, found {self.exclude_event!r}.")
        between = self.exclude_between
        if isinstance(between, (list, tuple)):
            between = tuple(between)
        object.__setattr__(self, "exclude_between", between)
        if (
            not isinstance(between, tuple)
            or len(between) != 2
            or not all(isinstance(i, int) and not isinstance(i, bool) for i in between)
            or not 0 <= between[0] < between[1] < len(steps)
        ):
            raise ParameterError(
                f"exclude_between: expected two step positions i < j between 0 and {len(steps) - 1} "
                f"(0 = the first step), found {self.exclude_between!r}."
            )
        if self.breakdown is not None and (not isinstance(self.breakdown, str) or not self.breakdown):
            raise ParameterError(f"breakdown: expected a column name or nothing, found {self.breakdown!r}.")
        if isinstance(self.max_groups, bool) or not isinstance(self.max_groups, int) or self.max_groups < 1:
            raise ParameterError(f"max_groups: expected a whole number of at least 1, found {self.max_groups!r}.")

    @property
    def name_column(self) -> str:
        """The events-table column the step names are matched against."""
        return "stage" if self.step_kind == "stage" else "event"

    @property
    def labels(self) -> tuple[str, ...]:
        """What each funnel row is called: the step names, or "1 step", "2 steps", ... in any-order mode."""
        if self.mode == "any":
            return tuple(f"{k} step" if k == 1 else f"{k} steps" for k in range(1, len(self.steps) + 1))
        return self.steps

    @property
    def distinct_steps(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.steps))
