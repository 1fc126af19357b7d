from dataclasses import dataclass

from dbt.adapters.clickhouse.credentials import ClickHouseCredentials

DEFAULT_PATH = ".chdb"


@dataclass
class ChdbCredentials(ClickHouseCredentials):
    """dbt-clickhouse credentials plus the folder that holds the embedded database."""

    path: str = DEFAULT_PATH

    @property
    def type(self) -> str:
        return "chdb"

    @property
    def unique_field(self) -> str:
        return self.path

    def _connection_keys(self) -> tuple[str, ...]:
        return ("path", "schema", "custom_settings")
