"""Nobody gets in: least-privilege roles, no secrets in the repository.

The roles of provisioning_flow.sql are checked as ClickHouse itself reads them: each grant is
normalized by the real parser (formatQuery) and every privilege it names must exist in
system.privileges; then the policy is asserted on the parsed grants (the embedded engine has no
access control to apply them to).
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict

import pytest
import yaml
from ecom_analytics import PROJECT_DIR
from ecom_analytics.provision import raw_databases, render, validate_statement

RENAMED = {"shopify_raw_databases": ["shop_a", "shop_b"], "klaviyo_raw_databases": ["kl_eu"]}
CURATED = {"data_shopify", "data_klaviyo", "data_ga4"}
ANALYTICS = {"analytics_shopify", "analytics_klaviyo", "analytics_ga4", "analytics_cross_source"}
# The analytics databases' former names (<source>_analytics): views over the current ones.
FORMER_ANALYTICS = {name.removeprefix("analytics_") + "_analytics" for name in ANALYTICS}
# What dbt-clickhouse runs in the databases it owns (tables, views, materialized views, seeds,
# backfill's partition swaps, refreshes, dictionaries).
DBT_NEEDS = {
    "SELECT", "INSERT", "ALTER", "TRUNCATE", "CREATE TABLE", "CREATE VIEW", "DROP TABLE",
    "DROP VIEW", "SYSTEM VIEWS",
}  # fmt: skip
READ_ONLY = {"SELECT", "SHOW"}
GRANT = re.compile(r"^GRANT (?P<privileges>.+) ON (?P<database>[^.\s]+)\.\* TO (?P<role>\w+)$")


def grants(client, vars: dict) -> dict[str, dict[str, set[str]]]:
    """role -> database -> privileges, read from the parser's normalized statements."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for statement in render(vars).access_control:
        normalized = validate_statement(client, statement)
        if normalized.startswith("CREATE ROLE"):
            continue
        match = GRANT.match(normalized)
        assert match, f"not a database-level grant: {normalized}"
        privileges = {p.strip() for p in match["privileges"].split(",")}
        found[match["role"]][match["database"]] |= privileges
    return found


@pytest.fixture(scope="module", params=[{}, RENAMED], ids=["default", "renamed"])
def policy(request, project):
    raw = {name for names in raw_databases(request.param).values() for name in names}
    with project.client() as client:
        privileges = client.query("select toString(privilege) from system.privileges")
        known = {p for (p,) in privileges.result_rows}
        return raw, grants(client, request.param), known


def test_every_granted_privilege_exists(policy):
    _, found, known = policy
    named = {p for databases in found.values() for ps in databases.values() for p in ps}
    assert named <= known, named - known


def test_the_loader_writes_raw_and_nothing_else(policy):
    raw, found, _ = policy
    loader = found["ecom_loader"]
    assert set(loader) == raw
    assert all("INSERT" in privileges for privileges in loader.values())


def test_the_transformer_reads_raw_and_owns_curated_and_analytics(policy):
    raw, found, _ = policy
    transformer = found["ecom_transformer"]
    for database in raw:
        assert transformer[database] == READ_ONLY, database
    for database in CURATED | ANALYTICS:
        assert DBT_NEEDS <= transformer[database], database
    assert not any("ALL" in privileges for privileges in transformer.values())
    assert transformer["*"] <= {"CREATE TEMPORARY TABLE", "REMOTE"}


def test_the_reader_reads_analytics_only(policy):
    _, found, _ = policy
    reader = found["ecom_reader"]
    assert set(reader) == ANALYTICS | FORMER_ANALYTICS
    assert all(privileges == READ_ONLY for privileges in reader.values())


# --- secrets ----------------------------------------------------------------------------------

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "API key": re.compile(r"\bsk-[A-Za-z0-9]{20,}\b"),
    "Klaviyo private key": re.compile(r"\bpk_[A-Za-z0-9]{30,}\b"),
    "Shopify access token": re.compile(r"\bshp(at|ca|pa|ss)_[A-Fa-f0-9]{32}\b"),
    # a literal password after a password key (YAML or env style) or in IDENTIFIED ... BY, where the
    # value is neither an env_var call nor a placeholder (`...`, the tests' dummy `unused`)
    "password": re.compile(
        r"""(password\s*[:=]\s*["']?(?!\s*["']?\{\{)(?!\.\.\.|unused\b)[^\s"'{}]{4,}"""
        r"""|IDENTIFIED\s+WITH\s+\w+\s+BY\s+'(?!\.\.\.')[^']+')""",
        re.IGNORECASE,
    ),
}


@pytest.mark.no_engine
def test_tracked_files_hold_no_secrets():
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    leaks = []
    for name in filter(None, tracked):
        path = PROJECT_DIR / name
        if not path.is_file() or path.suffix in {".png", ".jpg", ".parquet"}:
            continue
        text = path.read_text(errors="ignore")
        for kind, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                leaks.append(f"{name}:{line}: {kind}: {match.group(0)[:40]}")
    assert not leaks, "secrets in tracked files:\n" + "\n".join(leaks)


@pytest.mark.no_engine
@pytest.mark.parametrize(
    "line",
    [
        # planted by concatenation, so this file itself stays clean for the scan above
        "pass" + "word: hunter22",
        "CREATE USER a IDENTIFIED WITH sha256_password " + "BY 'correct-horse'",
        "token = ghp_" + "a" * 36,
    ],
)
def test_the_secret_scan_finds_a_planted_secret(line):
    assert any(pattern.search(line) for pattern in SECRET_PATTERNS.values())


@pytest.mark.no_engine
def test_server_targets_read_credentials_only_from_the_environment():
    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml.example").read_text())
    outputs = profiles["ecommerce_analytics"]["outputs"]
    servers = {name: output for name, output in outputs.items() if output["type"] != "chdb"}
    assert servers, "no server target to check"
    for name, output in servers.items():
        for field in ("host", "user", "password"):
            assert re.fullmatch(r"\{\{ env_var\('CLICKHOUSE_\w+'\) \}\}", output[field]), (
                f"target {name}: {field} must come from env_var without a default"
            )


# --- vars that reach SQL ----------------------------------------------------------------------


def relations(project) -> list[tuple]:
    return project.query(
        "select database, name, metadata_modification_time from system.tables "
        "where database not in ('system', 'INFORMATION_SCHEMA', 'information_schema') "
        "order by database, name"
    )


@pytest.mark.parametrize(
    ("vars", "message"),
    [
        ('{reporting_timezone: "UTC\') as d; drop table raw_ga4.pages; --"}', "reporting_timezone"),
        ("{reporting_timezone: 'UTC\\' or 1=1'}", "reporting_timezone"),
        ("{klaviyo_raw_databases: ['raw_klaviyo; drop database raw_ga4']}", "raw database"),
    ],
    ids=["timezone-statement", "timezone-quote", "raw-database"],
)
def test_injection_through_vars_fails_clearly_and_changes_nothing(provisioned, vars, message):
    before = relations(provisioned)
    result = provisioned.dbt("run", "--vars", vars, check=False)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert relations(provisioned) == before
