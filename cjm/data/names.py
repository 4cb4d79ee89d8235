"""How column names are compared: 'Customer ID', 'customerId' and ' customer-id ' are one name, 'customer_id'.

A leaf module (imports nothing from cjm), so the modules that read names (columns, deals) share it without importing
each other."""

from __future__ import annotations

import re


def normalise(name: str) -> str:
    """'Customer ID' -> 'customer_id', 'customerId' -> 'customer_id', ' event-time ' -> 'event_time'."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(name).strip())
    return re.sub(r"[\W_]+", "_", name.lower()).strip("_")
