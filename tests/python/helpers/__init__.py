"""Shared helpers for the Python test suite: import them with `from helpers import ...`.

Every test runs real dbt and the real ClickHouse engine (embedded). Each test module gets its
own embedded database folder through ECOM_CHDB_PATH, so tests never touch the user's `.chdb`
and a subprocess (dbt, the CLI) can open the folder while the test holds no connection.

- project.py: `Project`, the dbt project on one folder (dbt, the CLI, a client, copies)
- raw.py: reading results (`rows`, `one`), Python dedup (`newest_per_key`), Airbyte-shaped
  raw inserts
- snapshots.py: every model's rows at once, and what a closed folder leaves behind
- backfill.py, bad_input.py, klaviyo.py, shopify.py: the hand-made rows (as data) and set-ups
  of one area each
- delivery.py: the pool of raw rows the delivery-pattern tests replay, and how they replay it
- incremental.py: the analytics layer's incremental states, their refreshes and their
  comparison with a full recompute
"""

from ecom_analytics import PROJECT_DIR

from helpers.project import Project, chromium_binary, model_manifest
from helpers.raw import (
    AIRBYTE_INSERT_SETTINGS,
    KLAVIYO_COLUMNS,
    KLAVIYO_CURSORS,
    insert_json_lines,
    insert_json_rows,
    insert_klaviyo,
    newest_per_key,
    one,
    raw_message_campaigns,
    rows,
)
from helpers.snapshots import (
    CLOCK_COLUMNS,
    CLOCK_MODELS,
    LOAD_METADATA,
    MODEL_DATABASES,
    NO_LEFTOVERS,
    leftovers,
    model_relations,
    models_snapshot,
)

__all__ = [
    "AIRBYTE_INSERT_SETTINGS",
    "CLOCK_COLUMNS",
    "CLOCK_MODELS",
    "KLAVIYO_COLUMNS",
    "KLAVIYO_CURSORS",
    "LOAD_METADATA",
    "MODEL_DATABASES",
    "NO_LEFTOVERS",
    "PROJECT_DIR",
    "Project",
    "chromium_binary",
    "insert_json_lines",
    "insert_json_rows",
    "insert_klaviyo",
    "leftovers",
    "model_manifest",
    "model_relations",
    "models_snapshot",
    "newest_per_key",
    "one",
    "raw_message_campaigns",
    "rows",
]
