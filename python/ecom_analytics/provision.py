"""`python -m ecom_analytics provision`: run provisioning_flow.sql against the selected dbt target.

provisioning_flow.sql stays the one source of truth (plain SQL that clickhouse-client could run
as it is). This module only adapts it to the target:

- raw database names: the file uses the defaults raw_shopify, raw_klaviyo, raw_ga4; the dbt vars
  `<source>_raw_databases` (the same vars the dbt sources and curated models read) rename them,
  and every statement that mentions one is repeated for each listed database;
- layouts: a block between `-- @if <var> = <value>` and `-- @end if` lines is kept only when
  the dbt var has that value (the raw tables of a source that lands in more than one layout);
- clusters: CREATE DATABASE gets ON CLUSTER and, for `database_engine: Replicated`, the
  Replicated engine, so the tables inside replicate on their own;
- access control (between the `-- @access-control:begin/end` markers) runs on servers; the
  embedded engine has no access control, so there each statement is checked with ClickHouse's
  own parser (formatQuery) instead.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from ecom_analytics import PROJECT_DIR

SQL_FILE = PROJECT_DIR / "provisioning_flow.sql"


def raw_database_vars() -> dict[str, str]:
    """Default raw database of each source in provisioning_flow.sql (`raw_<source>`, for every
    source of the var `sources`) -> the dbt var that renames it."""
    from ecom_analytics.target import source_names

    return {f"raw_{source}": f"{source}_raw_databases" for source in source_names()}


ACCESS_BEGIN = "@access-control:begin"
ACCESS_END = "@access-control:end"
_MARKER = re.compile(r"^[ \t]*--[ \t]*(@access-control:(?:begin|end))[ \t]*$", re.MULTILINE)


class ProvisioningError(Exception):
    """The provisioning file, the vars or the target cannot be used; the message says why."""


_IF = re.compile(r"^[ \t]*--[ \t]*@if[ \t]+(\w+)[ \t]*=[ \t]*(\w+)[ \t]*$", re.MULTILINE)
_END_IF = re.compile(r"^[ \t]*--[ \t]*@end if[ \t]*$", re.MULTILINE)


def select_blocks(sql: str, vars: Mapping[str, Any]) -> str:
    """`sql` without the `-- @if <var> = <value>` ... `-- @end if` blocks whose var has another
    value. A var must match one of its blocks: a value with none is an error naming the choices."""
    kept: list[str] = []
    choices: dict[str, set[str]] = {}
    position = 0
    for opening in _IF.finditer(sql):
        if opening.start() < position:
            raise ProvisioningError(f"nested `-- @if` block: {opening.group(0).strip()}")
        closing = _END_IF.search(sql, opening.end())
        if closing is None or (
            (following := _IF.search(sql, opening.end())) and following.start() < closing.start()
        ):
            raise ProvisioningError(f"`{opening.group(0).strip()}` has no `-- @end if` line")
        name, value = opening.groups()
        choices.setdefault(name, set()).add(value)
        kept.append(sql[position : opening.start()])
        if str(vars.get(name)) == value:
            kept.append(sql[opening.end() : closing.start()])
        position = closing.end()
    if _END_IF.search(sql, position):
        raise ProvisioningError("`-- @end if` line without its `-- @if` line")
    for name, values in choices.items():
        if str(vars.get(name)) not in values:
            raise ProvisioningError(
                f"var {name} is {vars.get(name)!r}; provisioning_flow.sql knows "
                + ", ".join(sorted(values))
            )
    return "".join(kept) + sql[position:]


# ---------------------------------------------------------------------------------------------
# Parsing the file
# ---------------------------------------------------------------------------------------------


def split_statements(sql: str) -> list[str]:
    """The statements of a SQL script, comments removed, without their terminating `;`.

    Semicolons only end a statement outside quotes ('...', "...", `...`) and comments
    (`-- ...`, `/* ... */`); comments are dropped, quoted text is kept verbatim.
    """
    statements: list[str] = []
    current: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"`":
            end = _end_of_quoted(sql, i)
            current.append(sql[i:end])
            i = end
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end == -1 else end  # keep the newline as whitespace
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                raise ProvisioningError("unterminated /* comment in the SQL")
            current.append(" ")
            i = end + 2
        elif ch == ";":
            statements.append("".join(current))
            current = []
            i += 1
        else:
            current.append(ch)
            i += 1
    statements.append("".join(current))
    return [s.strip() for s in statements if s.strip()]


def _end_of_quoted(sql: str, start: int) -> int:
    """Index just past the quoted token opening at `start` (backslash escapes and doubled
    quotes both allowed, as in ClickHouse)."""
    quote = sql[start]
    i = start + 1
    while i < len(sql):
        if sql[i] == "\\":
            i += 2
        elif sql[i] == quote:
            if i + 1 < len(sql) and sql[i + 1] == quote:
                i += 2
            else:
                return i + 1
        else:
            i += 1
    raise ProvisioningError(
        f"unterminated {quote}-quoted text in the SQL: {sql[start : start + 60]!r}"
    )


def split_sections(sql: str) -> tuple[list[str], list[str]]:
    """(raw statements, access-control statements) of the provisioning file."""
    markers = [(m.group(1), m.start(), m.end()) for m in _MARKER.finditer(sql)]
    if [name for name, _, _ in markers] != [ACCESS_BEGIN, ACCESS_END]:
        raise ProvisioningError(
            f"expected one `-- {ACCESS_BEGIN}` line followed by one `-- {ACCESS_END}` line, "
            f"found {[name for name, _, _ in markers]}"
        )
    (_, begin_start, begin_end), (_, end_start, end_end) = markers
    raw = split_statements(sql[:begin_start]) + split_statements(sql[end_end:])
    return raw, split_statements(sql[begin_end:end_start])


# ---------------------------------------------------------------------------------------------
# Adapting statements to the vars and the target
# ---------------------------------------------------------------------------------------------

# Quoted text or a bare word: identifiers are renamed, string literals never are.
_TOKEN = re.compile(r"'(?:[^'\\]|\\.|'')*'|(`|\")((?:[^\\]|\\.)*?)\1|[A-Za-z_][A-Za-z0-9_]*")


def raw_databases(vars: Mapping[str, Any]) -> dict[str, list[str]]:
    """Default raw database name -> the databases it stands for, validated by the project's
    macro raw_databases (the rule dbt applies too); `vars` override dbt_project.yml's."""
    from ecom_analytics.project_macros import MacroError, call
    from ecom_analytics.target import project_vars, source_names

    values = project_vars(dict(vars))
    try:
        return {
            f"raw_{source}": call("raw_databases", source, vars=values, needs=("source_names",))
            for source in source_names(dict(vars))
        }
    except MacroError as ex:
        raise ProvisioningError(str(ex)) from ex


def mentioned_raw_database(statement: str) -> str | None:
    """The default raw database a statement names as an identifier, if any."""
    found = {
        m.group(2) if m.group(1) else m.group(0)
        for m in _TOKEN.finditer(statement)
        if not m.group(0).startswith("'")
    } & raw_database_vars().keys()
    if len(found) > 1:
        raise ProvisioningError(
            f"a statement of provisioning_flow.sql names several raw databases {sorted(found)}; "
            "write one statement per database so each can be renamed:\n" + statement
        )
    return found.pop() if found else None


def rename_database(statement: str, old: str, new: str) -> str:
    """`statement` with the identifier `old` (bare or quoted) replaced by `new`."""

    def replace(m: re.Match) -> str:
        if m.group(1):
            return f"{m.group(1)}{new}{m.group(1)}" if m.group(2) == old else m.group(0)
        return new if m.group(0) == old else m.group(0)

    return _TOKEN.sub(replace, statement)


_CREATE_DATABASE = re.compile(
    r"^create\s+database\s+(if\s+not\s+exists\s+)?(`?)([A-Za-z_][A-Za-z0-9_]*)\2(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_CREATE_TABLE = re.compile(
    r"^(create\s+table\s+(?:if\s+not\s+exists\s+)?[`\w]+\.[`\w]+)(.*)$", re.IGNORECASE | re.DOTALL
)
_ACCESS = re.compile(
    r"^(create\s+role\s+(?:if\s+not\s+exists\s+)?\w+|grant|revoke)(.*)$", re.IGNORECASE | re.DOTALL
)


def for_cluster(statement: str, cluster: str | None, database_engine: str | None) -> str:
    """The statement as it must run on the target's cluster (unchanged without a cluster)."""
    if not cluster:
        return statement
    if not re.fullmatch(r"[\w.{}-]+", cluster):
        raise ProvisioningError(f"invalid cluster name in the profile: {cluster!r}")
    replicated = (database_engine or "").lower() == "replicated"
    on_cluster = f"ON CLUSTER '{cluster}'"
    if m := _CREATE_DATABASE.match(statement):
        if_not_exists, quote, name, rest = m.groups()
        if rest.strip():
            raise ProvisioningError(
                "CREATE DATABASE in provisioning_flow.sql must not set its own options (the "
                f"target decides the engine): {statement}"
            )
        head = f"CREATE DATABASE {if_not_exists or ''}{quote}{name}{quote} {on_cluster}"
        if replicated:
            zk_path = f"/clickhouse/databases/{name}"
            return f"{head}\nENGINE = Replicated('{zk_path}', '{{shard}}', '{{replica}}')"
        return head
    if m := _CREATE_TABLE.match(statement):
        # A Replicated database replicates its tables' DDL and data itself (ON CLUSTER is not
        # allowed there); in an ordinary database every node needs the table created.
        return statement if replicated else f"{m.group(1)} {on_cluster}{m.group(2)}"
    if m := _ACCESS.match(statement):
        return f"{m.group(1)} {on_cluster}{m.group(2)}"
    raise ProvisioningError(f"do not know how to run this statement on a cluster: {statement}")


@dataclass
class Step:
    """Statements to run, labelled for progress output."""

    label: str
    statements: list[str] = field(default_factory=list)
    tables: list[tuple[str, str]] = field(default_factory=list)  # (database, table) created


@dataclass
class Plan:
    raw: list[Step]  # one per raw database, in file order
    access_control: list[str]


def render(
    vars: Mapping[str, Any] | None = None,
    cluster: str | None = None,
    database_engine: str | None = None,
    sql: str | None = None,
) -> Plan:
    """Every statement provisioning would run for these vars and this target, in order."""
    from ecom_analytics.target import project_vars

    sql = SQL_FILE.read_text() if sql is None else sql
    databases = raw_databases(vars or {})
    raw_statements, access_statements = split_sections(
        select_blocks(sql, project_vars(dict(vars or {})))
    )

    steps: dict[str, Step] = {}
    for statement in raw_statements:
        default = mentioned_raw_database(statement)
        if default is None:
            raise ProvisioningError(
                "every statement before the access-control section must belong to a raw "
                f"database ({', '.join(raw_database_vars())}): {statement}"
            )
        for name in databases[default]:
            step = steps.setdefault(name, Step(label=name))
            renamed = rename_database(statement, default, name)
            step.statements.append(for_cluster(renamed, cluster, database_engine))
            if table := _CREATE_TABLE.match(renamed):
                step.tables.append(_table_name(table.group(1)))

    access: list[str] = []
    for statement in access_statements:
        default = mentioned_raw_database(statement)
        if default is None:
            access.append(for_cluster(statement, cluster, database_engine))
            continue
        for name in databases[default]:
            renamed = rename_database(statement, default, name)
            access.append(for_cluster(renamed, cluster, database_engine))
    return Plan(raw=list(steps.values()), access_control=access)


def _table_name(create_head: str) -> tuple[str, str]:
    qualified = create_head.split()[-1].replace("`", "")
    database, table = qualified.split(".", 1)
    return database, table


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def validate_statement(client: Any, statement: str) -> str:
    """Parse `statement` with the engine's own SQL parser; a syntax error raises."""
    try:
        return client.query("SELECT formatQuery(%(q)s)", parameters={"q": statement}).result_rows[
            0
        ][0]
    except Exception as ex:
        raise ProvisioningError(
            f"access-control statement does not parse: {statement}\n{ex}"
        ) from ex


def _existing_tables(client: Any, databases: Iterable[str]) -> set[tuple[str, str]]:
    rows = client.query(
        "SELECT database, name FROM system.tables WHERE database IN %(dbs)s",
        parameters={"dbs": tuple(databases)},
    ).result_rows
    return {(db, name) for db, name in rows}


def execute(plan: Plan, client: Any, embedded: bool, out: TextIO | None = None) -> dict[str, int]:
    """Run the plan on a connected client, printing progress (to `out`, else the standard
    output of the moment); returns counts for the summary."""
    out = out or sys.stdout
    if embedded:  # before anything runs, so a bad statement changes nothing
        for statement in plan.access_control:
            validate_statement(client, statement)
    databases = [step.label for step in plan.raw]
    before = _existing_tables(client, databases)
    tables = new = 0
    for step in plan.raw:
        for statement in step.statements:
            client.command(statement)
        created = [t for t in step.tables if t not in before]
        tables += len(step.tables)
        new += len(created)
        print(f"{step.label}: {len(step.tables)} tables ({len(created)} new)", file=out)

    if embedded:
        print(
            f"access control: {len(plan.access_control)} statements checked with the parser, "
            "not applied (the embedded engine has no users or roles; they run on servers)",
            file=out,
        )
    else:
        for statement in plan.access_control:
            client.command(statement)
        print(f"access control: {len(plan.access_control)} statements applied", file=out)
    return {
        "databases": len(databases),
        "tables": tables,
        "new_tables": new,
        "access_control": len(plan.access_control),
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--print",
        "--dry-run",
        dest="print_only",
        action="store_true",
        help="print the statements for the target instead of running them (no connection)",
    )


def run(args: argparse.Namespace) -> int:
    from ecom_analytics.target import connect, load_target, project_vars

    target = load_target(args.target)
    try:
        plan = render(project_vars(args.vars), target.cluster, target.database_engine)
    except ProvisioningError as ex:
        print(f"error: {ex}", file=sys.stderr)
        return 2

    if args.print_only:
        print(f"-- provisioning_flow.sql rendered for target {target.name}")
        for step in plan.raw:
            print(f"\n-- {step.label}")
            for statement in step.statements:
                print(f"{statement};")
        print(
            "\n-- access control"
            + (" (not applied on the embedded engine)" if target.is_embedded else "")
        )
        for statement in plan.access_control:
            print(f"{statement};")
        return 0

    print(f"provisioning target {target.name} from {SQL_FILE.name}")
    with connect(target) as client:
        try:
            counts = execute(plan, client, target.is_embedded)
        except ProvisioningError as ex:
            print(f"error: {ex}", file=sys.stderr)
            return 2
    print(
        f"done: {counts['databases']} raw databases, {counts['tables']} tables "
        f"({counts['new_tables']} new, the rest already existed), "
        f"{counts['access_control']} access-control statements"
    )
    return 0
