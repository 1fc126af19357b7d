"""What every Klaviyo stream shares: the API's address (records link to themselves) and its
timestamps (ISO-8601 in UTC)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ecom_analytics.sample_data.common import iso

API = "https://a.klaviyo.com/api"


def iso_utc(ms: np.ndarray) -> pa.Array:
    """Epoch milliseconds as Klaviyo's timestamps: 2026-05-03T14:12:45+00:00."""
    return iso(ms, "+00:00")


def iso_text(ms: int) -> str:
    """One timestamp, for the records built in plain Python."""
    return iso_utc(np.array([ms])).to_pylist()[0]
