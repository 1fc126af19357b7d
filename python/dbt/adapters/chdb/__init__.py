"""dbt adapter plugin `chdb`: dbt-clickhouse running on the embedded ClickHouse engine.

Everything (materializations, macros, relation handling) comes from dbt-clickhouse through
the plugin dependency; this package only swaps the HTTP client for clickhouse-connect's
in-process chdb backend.
"""

from dbt.adapters.base import AdapterPlugin
from dbt.adapters.chdb.credentials import ChdbCredentials
from dbt.adapters.chdb.impl import ChdbAdapter
from dbt.include import chdb

Plugin = AdapterPlugin(
    adapter=ChdbAdapter,
    credentials=ChdbCredentials,
    include_path=chdb.PACKAGE_PATH,
    dependencies=["clickhouse"],
)
