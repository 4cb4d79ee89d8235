"""The A/B test's parameters on the Funnel page: which arm is the control (DESIGN.md section 4).

Kept apart from cjm.journey.experiments (which imports scipy) so that reading a saved dashboard's settings
stays light; saved in the dashboard spec under "ab_test" (cjm.spec.PAGE_PARAMS).
"""

from __future__ import annotations

from dataclasses import dataclass

from cjm.errors import ParameterError


@dataclass(frozen=True)
class ExperimentParams:
    """control: the arm every other arm is compared with; None for the default rule (an arm named control, A,
    baseline, original, ctrl, champion or 0, else the first arm alphabetically: cjm.journey.experiments).
    Whether the arm is in the data is checked against the data (compute_variant_funnel, the Funnel page)."""

    control: str | None = None

    def __post_init__(self):
        control = self.control
        if control is not None and (not isinstance(control, str) or not control.strip()):
            raise ParameterError(f"control: expected the name of an arm (a value of the variant column) or nothing "
                                 f"for the default rule, found {control!r}.")
        if control is not None:
            object.__setattr__(self, "control", control.strip())
