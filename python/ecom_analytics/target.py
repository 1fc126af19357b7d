"""Connections to the selected dbt target, built from profiles.yml exactly as dbt builds them.

The Python tooling (provisioning, sample data, tests) talks to the same database dbt does:
the profile is rendered by dbt's own renderer (env_var and all) and the client comes from the
adapter's own factory, so there is one definition of every connection setting.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ecom_analytics import PROJECT_DIR


@dataclass(frozen=True)
class Target:
    name: str
    credentials: Any

    @property
    def is_embedded(self) -> bool:
        return self.credentials.type == "chdb"

    @property
    def cluster(self) -> str | None:
        return getattr(self.credentials, "cluster", None) or None

    @property
    def database_engine(self) -> str | None:
        return getattr(self.credentials, "database_engine", None) or None


def profiles_dir() -> Path:
    return Path(os.environ.get("DBT_PROFILES_DIR", PROJECT_DIR))


def project_config() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())


def project_vars(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """dbt_project.yml vars with `--vars`-style overrides, the values dbt itself would see."""
    return {**project_config().get("vars", {}), **(overrides or {})}


def source_names(overrides: dict[str, Any] | None = None) -> list[str]:
    """The sources the project loads (var `sources`), as the project's macro source_names
    reads them."""
    from ecom_analytics.project_macros import call

    return call("source_names", vars=project_vars(overrides))


def load_target(target_name: str | None = None) -> Target:
    from argparse import Namespace

    from dbt.adapters.factory import load_plugin
    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.exceptions import EnvVarMissingError
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context

    set_from_args(Namespace(), None)
    set_invocation_context(dict(os.environ))
    folder = profiles_dir()
    raw_profiles = read_profile(str(folder))
    if not raw_profiles:
        raise SystemExit(
            f"No profiles.yml in {folder}. Run `make setup` (it copies profiles.yml.example) "
            "or set DBT_PROFILES_DIR."
        )
    profile_name = project_config()["profile"]
    target_name = target_name or os.environ.get("DBT_TARGET")
    try:
        profile = Profile.from_raw_profiles(
            raw_profiles, profile_name, ProfileRenderer({}), target_override=target_name
        )
    except EnvVarMissingError as ex:
        output_name = target_name or "local"
        output = raw_profiles.get(profile_name, {}).get("outputs", {}).get(output_name, {})
        missing = missing_env_vars(output) or [str(ex.var)]
        raise SystemExit(
            f"error: target '{output_name}' of profiles.yml reads environment variables "
            f"that are not set: {', '.join(missing)}. Export them (README, Targets) or pick "
            "another target with --target."
        ) from None
    load_plugin(profile.credentials.type)
    return Target(name=profile.target_name, credentials=profile.credentials)


# env_var('NAME') with no default: the profile cannot render without NAME in the environment
_REQUIRED_ENV_VAR = re.compile(r"""env_var\(\s*['"](\w+)['"]\s*\)""")


def missing_env_vars(output: dict[str, Any]) -> list[str]:
    """The environment variables a profile output requires (env_var without a default) that
    are not set, in the order the output names them: dbt stops at the first one."""
    required = _REQUIRED_ENV_VAR.findall(" ".join(str(v) for v in output.values()))
    return [name for name in dict.fromkeys(required) if name not in os.environ]


@contextmanager
def connect(target: Target) -> Iterator[Any]:
    """A clickhouse-connect client for the target, closed on exit.

    Close it before starting dbt in another process: the embedded engine admits one process.
    """
    if target.is_embedded:
        from dbt.adapters.chdb.client import open_embedded

        client = open_embedded(target.credentials.path, query_limit=0)
    else:
        client = _server_client(target)
    try:
        yield client
    finally:
        client.close()


def _server_client(target: Target) -> Any:
    """The server's clickhouse-connect client; an unreachable server is an error naming the
    target, the host and the port, not dbt-clickhouse's retry traceback."""
    from dbt.adapters.clickhouse.dbclient import get_db_client
    from dbt.adapters.exceptions import FailedToConnectError

    credentials = target.credentials
    try:
        return get_db_client(credentials)._client
    except Exception as ex:
        reason = str(ex).split(" executing HTTP request")[0].removeprefix("Error ")
        raise FailedToConnectError(
            f"Cannot reach ClickHouse target {target.name} at {credentials.host}:"
            f"{credentials.port}: {reason}. Check CLICKHOUSE_HOST (and CLICKHOUSE_PORT), the "
            "network, and that the server is up."
        ) from ex
