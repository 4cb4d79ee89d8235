"""One error hierarchy. Every message names the problem and the fix, in plain language."""


class CJMError(ValueError):
    """Base class: bad input or bad parameters a user can fix. Shown as-is, never as a traceback."""


class FileFormatError(CJMError):
    """The file cannot be read as a table (empty, binary, truncated, too large, malformed)."""


class MappingError(CJMError):
    """The columns cannot supply what cjm needs (customer id, timestamp, event)."""


class TimestampError(CJMError):
    """Dates cannot be parsed, or their style is ambiguous and must be chosen."""


class ParameterError(CJMError):
    """A parameter (steps, window, k, ...) has a value cjm cannot use."""


class InsufficientDataError(CJMError):
    """The analysis needs a column or more rows than the dataset has."""


class NoDatesError(InsufficientDataError):
    """The analysis works in time (windows, order, recency) and no event of the data has a date: an export of
    respondents or sessions without a date column (cjm.journey.funnel.validate.check_dated)."""


class EmptyViewError(InsufficientDataError):
    """The dashboard's filters leave none of the data's interactions (cjm.data.views.check_not_empty)."""
