"""Shared pieces of the generator: the clock, random streams, Arrow column builders, the writer.

Everything is vectorized: a generator builds numpy arrays for a batch of entities, turns them
into Arrow columns (JSON text included, by element-wise string concatenation) and hands one
Arrow table per batch to the writer, which adds the Airbyte metadata columns and inserts it.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
HISTORY_DAYS = 180
SYNC_MS = 10 * 60_000  # a sync extracts its rows within 10 minutes of starting
SYNC_ID_BASE = {"shopify": 41_000, "klaviyo": 52_000, "ga4": 63_000}
GENERATION_ID = 1
SHOP_UTC_OFFSET = "-05:00"  # the shop's offset, used in timestamps inside Shopify JSON
SHOP_OFFSET_MS = -5 * HOUR_MS
BATCH_ROWS = 200_000  # entities per batch: bounds memory whatever the scale


def rng_for(seed: int, *keys: int | str) -> np.random.Generator:
    """An independent random stream per (seed, purpose, batch): reorderings never shift values."""
    words = [seed] + [
        k if isinstance(k, int) else int.from_bytes(k.encode()[:8], "little") for k in keys
    ]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))


# ---------------------------------------------------------------------------------------------
# Arrow builders
# ---------------------------------------------------------------------------------------------
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_ALNUM = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", np.uint8)


def fixed_width(chars: np.ndarray) -> pa.Array:
    """An (n, w) uint8 matrix of ASCII codes as n strings of width w, without a Python loop."""
    n, width = chars.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    data = np.ascontiguousarray(chars, dtype=np.uint8)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def uuids(rng: np.random.Generator, n: int) -> pa.Array:
    """Random version-4 UUID strings."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = np.empty((n, 32), np.uint8)
    hexed[:, 0::2] = _HEX[raw >> 4]
    hexed[:, 1::2] = _HEX[raw & 0x0F]
    dash = np.full((n, 1), ord("-"), np.uint8)
    parts = [hexed[:, 0:8], dash, hexed[:, 8:12], dash, hexed[:, 12:16], dash]
    parts += [hexed[:, 16:20], dash, hexed[:, 20:32]]
    return fixed_width(np.hstack(parts))


def alnum_ids(rng: np.random.Generator, n: int, width: int, prefix: str = "") -> pa.Array:
    """Random alphanumeric ids (Klaviyo style), optionally with a fixed prefix."""
    body = _ALNUM[rng.integers(0, len(_ALNUM), size=(n, width))]
    if prefix:
        head = np.tile(np.frombuffer(prefix.encode(), np.uint8), (n, 1))
        body = np.hstack([head, body])
    return fixed_width(body)


def money(cents: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Exact Decimal(38, 9) from integer cents (never through floats)."""
    return decimal(cents, 2, mask)


def decimal(units: np.ndarray, scale: int, mask: np.ndarray | None = None) -> pa.Array:
    """Exact Decimal(38, 9) from integers counted in 10**-scale (a null where mask is True)."""
    lo = np.asarray(units, dtype=np.int64)
    words = np.column_stack([lo, lo >> 63]).ravel()
    validity = None if mask is None else pa.array(~mask).buffers()[1]
    arr = pa.Array.from_buffers(
        pa.decimal128(38, scale), len(lo), [validity, pa.py_buffer(words)], null_count=-1
    )
    return arr.cast(pa.decimal128(38, 9))


def money_text(cents: np.ndarray) -> pa.Array:
    """Cents as Shopify's money strings: "12.30"."""
    return pc.cast(decimal(cents, 2).cast(pa.decimal128(38, 2)), pa.string())


def ts(ms: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """DateTime64(3) from epoch milliseconds (a null where mask is True)."""
    return pa.array(np.asarray(ms, dtype=np.int64), pa.timestamp("ms"), mask=mask)


def iso(ms: np.ndarray, offset: str = "+00:00", offset_ms: int = 0) -> pa.Array:
    """Epoch milliseconds as ISO-8601 text in a fixed UTC offset: 2026-05-03T09:12:45-05:00."""
    seconds = pa.array((np.asarray(ms, dtype=np.int64) + offset_ms) // 1000, pa.timestamp("s"))
    return cat(pc.strftime(seconds, format="%Y-%m-%dT%H:%M:%S"), offset)


def text(values: Any) -> pa.Array:
    """Numbers (or anything Arrow can cast) as strings."""
    return pc.cast(pa.array(values) if not isinstance(values, pa.Array) else values, pa.string())


def pick(vocab: list[str] | np.ndarray, idx: np.ndarray) -> pa.Array:
    """vocab[idx] as an Arrow string column."""
    return pa.array(np.asarray(vocab, dtype=object)[idx], pa.string())


def strings(values: Any) -> pa.Array:
    """A numpy/Python sequence of str (or None) as an Arrow string column."""
    return pa.array(np.asarray(values, dtype=object), pa.string())


def cat(*parts: Any) -> pa.Array:
    """Element-wise concatenation of string arrays and Python strings."""
    return pc.binary_join_element_wise(*[_str(p) for p in parts], "")


def quoted(values: Any) -> pa.Array:
    """JSON string literals (values come from controlled vocabularies: nothing to escape)."""
    return cat('"', values, '"')


def obj(**fields: Any) -> pa.Array:
    """JSON objects from columns that already hold JSON literals (quoted(), text(), obj()...).

    A null field value becomes JSON null. Keys starting with a `$` are passed as `d_name`.
    """
    parts: list[Any] = []
    for i, (key, value) in enumerate(fields.items()):
        name = "$" + key[2:] if key.startswith("d_") else key
        parts.append(("{" if i == 0 else ",") + f'"{name}":')
        parts.append(pc.fill_null(_str(value), "null") if isinstance(value, pa.Array) else value)
    parts.append("}")
    return cat(*parts)


def json_lists(items: pa.Array, owner: np.ndarray, n_owners: int) -> pa.Array:
    """JSON arrays: items (JSON text, sorted by owner) grouped per owner index 0..n_owners-1."""
    counts = np.bincount(owner, minlength=n_owners)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), items), ",")
    return cat("[", joined, "]")


def where(mask: np.ndarray, when_true: Any, when_false: Any) -> pa.Array:
    return pc.if_else(pa.array(mask), _str(when_true), _str(when_false))


def compact_json(value: Any) -> str:
    """JSON text without spaces, as the APIs send it (for the few rows built in plain Python)."""
    return json.dumps(value, separators=(",", ":"))


def _str(value: Any) -> Any:
    if isinstance(value, pa.Array | pa.ChunkedArray):
        return value if pa.types.is_string(value.type) else pc.cast(value, pa.string())
    return pa.scalar(str(value), pa.string())


# ---------------------------------------------------------------------------------------------
# Syncs and bad input
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Clock:
    """The generated world's clock. The history ends at `as_of` (the caller's; the command line
    defaults it to now): the last daily sync starts at `now_ms`, 10 minutes before, and has
    extracted its rows by `as_of`, so sources are fresh. Nothing else reads the wall clock:
    the same seed, scale and as-of always give the same rows."""

    as_of: datetime

    @property
    def now_ms(self) -> int:
        """The world's "now": the start of the last sync; nothing happens after it."""
        return int(self.as_of.timestamp() * 1000) - SYNC_MS

    @property
    def day0_ms(self) -> int:
        """The start of the history; sync k (1..HISTORY_DAYS) starts at day0 + k days."""
        return self.now_ms - HISTORY_DAYS * DAY_MS

    def sync_of(self, changed_ms: np.ndarray) -> np.ndarray:
        """Index k of the daily sync that first reads a record changed at `changed_ms`:
        sync k reads what changed since sync k-1; records older than the history arrive with
        the first (full) sync."""
        k = (np.asarray(changed_ms, dtype=np.int64) - self.day0_ms) // DAY_MS + 1
        return np.clip(k, 1, HISTORY_DAYS)

    def sync_time(self, sync: np.ndarray) -> np.ndarray:
        """When sync `sync` starts."""
        return self.day0_ms + np.asarray(sync, dtype=np.int64) * DAY_MS


def truncate(values: pa.Array, mask: np.ndarray) -> pa.Array:
    """Malformed JSON where mask is True, as a feed cut off mid-record: the first half of it."""
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return values
    cut = [v[: len(v) // 2] if v is not None else None for v in values.take(idx).to_pylist()]
    return replace_rows(values, mask, cut)


def replace_rows(values: pa.Array, mask: np.ndarray, new: list | pa.Array) -> pa.Array:
    """values with the rows where mask is True replaced by `new` (one value per masked row)."""
    if not np.any(mask):
        return values
    return pc.replace_with_mask(values, pa.array(mask), pa.array(new, values.type))


# ---------------------------------------------------------------------------------------------
# Writer
# ---------------------------------------------------------------------------------------------
class Writer:
    """Adds the Airbyte metadata columns and inserts Arrow batches; counts rows per table."""

    def __init__(
        self,
        client: Any,
        databases: dict[str, str],
        seed: int,
        clock: Clock,
        progress: Any = None,
    ):
        self.client = client
        self.clock = clock
        self.databases = databases
        self.seed = seed
        self.progress = progress
        self.rows: Counter = Counter()
        self.seconds = 0.0
        self.bad: Counter = Counter()  # "source.table.kind" -> rows deliberately bad
        self._batches: Counter = Counter()
        # "source.table" -> (sync, changed_ms, row): the newest good record written so far
        self._newest: dict[str, tuple[int, int, pa.Table]] = {}

    def _remember_newest(self, key: str, sync, changed_ms, rows: pa.Table, bad) -> None:
        """Keep the table's newest good record (latest sync, then latest change) for
        redeliver_newest."""
        good = np.ones(len(sync), bool)
        for mask in (bad or {}).values():
            good &= ~np.asarray(mask, bool)
        candidates = np.flatnonzero(good)
        if len(candidates) == 0:
            return
        changed = np.asarray(changed_ms, np.int64)
        i = int(candidates[np.lexsort((changed[candidates], sync[candidates]))[-1]])
        newest = (int(sync[i]), int(changed[i]))
        if key not in self._newest or newest >= self._newest[key][:2]:
            self._newest[key] = (*newest, rows.slice(i, 1))

    def redeliver_newest(self) -> None:
        """Airbyte's incremental cursor is inclusive: a sync re-reads the records at the
        stream's newest cursor value. The last sync does so for every stream whose newest
        record came earlier, so every raw table has rows extracted by the last sync (source
        freshness holds however rarely a stream changes). The re-delivered row is a good one,
        unchanged."""
        for key, (sync, changed, row) in list(self._newest.items()):
            if sync < HISTORY_DAYS:
                source, table = key.split(".", 1)
                columns = dict(zip(row.column_names, row.columns, strict=True))
                changed_ms = np.array([changed], np.int64)
                delay = HISTORY_DAYS - self.clock.sync_of(changed_ms)
                self.write(source, table, columns, changed_ms, delay_sync=delay)

    def _airbyte_columns(
        self, rng: np.random.Generator, source: str, sync: np.ndarray
    ) -> dict[str, pa.Array]:
        """Airbyte's metadata columns of rows extracted by syncs `sync`."""
        n = len(sync)
        extracted = self.clock.sync_time(sync) + rng.integers(0, SYNC_MS, n)
        meta = cat('{"sync_id":', text(sync + SYNC_ID_BASE[source]), ',"changes":[]}')
        return {
            "_airbyte_raw_id": uuids(rng, n),
            "_airbyte_extracted_at": ts(extracted),
            "_airbyte_meta": meta,
            "_airbyte_generation_id": pa.array(np.full(n, GENERATION_ID, np.uint32)),
        }

    def write(
        self,
        source: str,
        table: str,
        columns: dict[str, Any],
        changed_ms: np.ndarray,
        delay_sync: np.ndarray | None = None,
        redeliver_share: float = 0.0,
        bad: dict[str, np.ndarray] | None = None,
    ) -> None:
        """Insert one batch. Each row is extracted by the first sync after `changed_ms`
        (plus `delay_sync` syncs); `redeliver_share` of the rows arrive again, unchanged, with
        the next sync too (Airbyte's inclusive cursor). `bad` names the deliberately bad rows.
        """
        n = len(changed_ms)
        if n == 0:
            return
        key = f"{source}.{table}"
        rng = rng_for(self.seed, "airbyte", key, self._batches[key])
        self._batches[key] += 1
        sync = self.clock.sync_of(changed_ms) + (0 if delay_sync is None else delay_sync)
        rows = pa.table(columns)
        self._remember_newest(key, sync, changed_ms, rows, bad)
        again = np.flatnonzero((rng.random(n) < redeliver_share) & (sync < HISTORY_DAYS))
        if len(again):
            rows = pa.concat_tables([rows, rows.take(again)])
            sync = np.concatenate([sync, sync[again] + 1])
        n = len(sync)
        for i, (name, values) in enumerate(self._airbyte_columns(rng, source, sync).items()):
            rows = rows.add_column(i, name, values)
        for kind, mask in (bad or {}).items():
            self.bad[f"{key}.{kind}"] += int(np.count_nonzero(mask)) + int(
                np.count_nonzero(mask[again])
            )
        started = time.perf_counter()
        # One batch spans many syncs, which Airbyte would insert separately: keep the rows of
        # every sync (ReplacingMergeTree would otherwise collapse the batch's versions on insert).
        self.client.insert_arrow(
            table, rows, database=self.databases[source], settings={"optimize_on_insert": 0}
        )
        self.seconds += time.perf_counter() - started
        self.rows[key] += n
        if self.progress is not None:
            self.progress.update(n)
