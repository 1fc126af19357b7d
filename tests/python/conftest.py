"""Fixtures shared by the Python test suite; shared helpers live in the helpers package.

Set-up is the suite's cost: provisioning, generating and building take minutes per database.
So each database the tests start from is built once per run into a template folder, and a
module takes a copy of the template's folder (well under a second) into its own `project`.
Modules that test provisioning or building themselves start from `project` (an empty folder).
Within a module, `project` and the fixture that filled it (`provisioned`, `standard`, ...) are
one object on one folder.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable

import pyarrow as pa
import pytest
from helpers import Project
from helpers.delivery import read_pool, save_pool
from helpers.incremental import NO_OVERLAP, STATES
from helpers.shopify import SHOP, build_two_shops

# The pinned sample: small, its history ending at a fixed instant (2026-05-04 to 2026-10-31),
# so two projects built from it hold the very same rows.
PINNED_SAMPLE = ("sample", "--scale", "0.02", "--as-of", "2026-11-01")

# The standard sample: large enough for every reconciliation with raw to meet each business
# case (refunds, re-deliveries, restated GA4 days, attributed orders), small enough to build
# in about a minute.
STANDARD_SCALE = "0.2"


# The modules that take longest (set-up included; --durations=0 summed per module), longest
# first. `make test` runs the suite on two workers, each taking the next module in collection
# order when done with one (pytest-xdist, --dist loadfile --no-loadscope-reorder): started last,
# a long module would keep one worker busy alone at the end. The other modules keep their order
# after these.
LONGEST_FIRST = (
    "test_bench.py",
    "test_backfill_all.py",
    "test_dashboard.py",
    "test_delivery_equivalence.py",
    "test_faults.py",
    "test_incremental_analytics.py",
    "test_cross_source_analytics.py",
    "test_ga4_export_models.py",
    "test_bad_input.py",
    "test_backfill.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: position for position, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def pytest_terminal_summary(terminalreporter) -> None:
    """Seconds per module, set-up and teardown included, longest first: what orders
    LONGEST_FIRST, and where the suite's time goes."""
    seconds: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if isinstance(report, pytest.TestReport):
                module = report.nodeid.split("::")[0].rsplit("/", 1)[-1]
                seconds[module] = seconds.get(module, 0.0) + report.duration
    if len(seconds) > 1:
        terminalreporter.write_sep("=", "seconds per module (set-up included)")
        for module, total in sorted(seconds.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"{total:8.1f}  {module}")


def template(tmp_path_factory, name: str, build: Callable[[Project], object]) -> Project:
    """The template folder `name`, built by `build` the first time any test process of this run
    asks for it (under a lock, so parallel workers share one build); copied, never changed."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, shared by its workers
    project = Project(root / name)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (project.workdir / "built").exists():
            project.workdir.mkdir(exist_ok=True)
            build(project)
            (project.workdir / "built").touch()
    return project


def refreshed(project: Project) -> None:
    """Refresh the built template's analytics layer once, so that its refresh record
    (ecom_analytics/refresh_record.py) goes into every copy: a module's first refresh then
    finds the views current instead of recomputing every one of them."""
    from ecom_analytics.refresh import refresh_analytics

    with project.client() as client:
        refresh_analytics(client)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    """A dbt project on a fresh, empty embedded database for this test module."""
    return Project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="session")
def provisioned_template(tmp_path_factory) -> Project:
    """Raw databases and tables, provisioned."""
    return template(tmp_path_factory, "provisioned", lambda p: p.cli("provision"))


@pytest.fixture(scope="module")
def provisioned(provisioned_template: Project, project: Project) -> Project:
    """This module's project, holding a freshly provisioned database (empty raw tables): a copy
    of the template, or, where the module opened its folder before, provisioned in place."""
    if project.path.exists():
        project.cli("provision")
        return project
    return provisioned_template.copy_into(project)


@pytest.fixture(scope="session")
def standard_template(provisioned_template: Project, tmp_path_factory) -> Project:
    """The standard sample: sample data at STANDARD_SCALE whose history ends now, then
    `dbt build`, whose YAML and unit tests must pass."""

    def build(project: Project) -> None:
        provisioned_template.copy_into(project)
        project.cli("sample", "--scale", STANDARD_SCALE)
        project.dbt("build")
        refreshed(project)

    return template(tmp_path_factory, "standard", build)


@pytest.fixture(scope="module")
def standard(standard_template: Project, project: Project) -> Project:
    """This module's project, holding a copy of the built standard sample: change it freely."""
    return standard_template.copy_into(project)


@pytest.fixture(scope="session")
def pinned_sample_template(provisioned_template: Project, tmp_path_factory) -> Project:
    """The pinned sample in the raw tables, nothing built."""

    def build(project: Project) -> None:
        provisioned_template.copy_into(project)
        project.cli(*PINNED_SAMPLE)

    return template(tmp_path_factory, "pinned-sample", build)


@pytest.fixture(scope="module")
def pinned_sample(pinned_sample_template: Project, project: Project) -> Project:
    """This module's project, holding a copy of the pinned sample's raw tables, nothing built."""
    return pinned_sample_template.copy_into(project)


@pytest.fixture(scope="session")
def pinned_built_template(pinned_sample_template: Project, tmp_path_factory) -> Project:
    """The pinned sample with the whole project built on it: seeds and models, no tests (the
    standard sample's build runs every data and unit test; the modules on this one compare
    relations and rows)."""

    def build(project: Project) -> None:
        pinned_sample_template.copy_into(project)
        project.dbt("build", "--exclude", "resource_type:unit_test", "resource_type:test")
        refreshed(project)

    return template(tmp_path_factory, "pinned-built", build)


@pytest.fixture(scope="module")
def pinned_built(pinned_built_template: Project, project: Project) -> Project:
    """This module's project, holding a copy of the built pinned sample: change it freely."""
    return pinned_built_template.copy_into(project)


@pytest.fixture(scope="session")
def incremental_template(pinned_built_template: Project, tmp_path_factory) -> Project:
    """The built pinned sample with its incremental states rebuilt with no overlap
    (helpers/incremental.py): what the delivery-pattern and incremental tests start from."""

    def build(project: Project) -> None:
        pinned_built_template.copy_into(project)
        project.dbt("run", "-s", *STATES, "--vars", NO_OVERLAP)

    return template(tmp_path_factory, "incremental", build)


@pytest.fixture(scope="module")
def incremental(incremental_template: Project, project: Project) -> Project:
    """This module's project, holding a copy of the incremental template: change it freely."""
    return incremental_template.copy_into(project)


@pytest.fixture(scope="session")
def delivery_pool(provisioned_template: Project, tmp_path_factory) -> dict[str, pa.Table]:
    """Every delivered raw row of a small sample, per raw table, in load order: generated once
    per run into a copy of the provisioned template (no view fires on it) and saved as Arrow
    files, which each test process reads (helpers/delivery.py)."""

    def build(project: Project) -> None:
        save_pool(provisioned_template.copy_into(project))

    return read_pool(template(tmp_path_factory, "delivery-pool", build))


@pytest.fixture(scope="session")
def two_shops_template(tmp_path_factory) -> Project:
    """Two raw shop databases and the curated Shopify models built over them
    (helpers/shopify.py)."""
    return template(tmp_path_factory, "two-shops", build_two_shops)


@pytest.fixture(scope="module")
def two_shops(two_shops_template: Project, project: Project) -> Project:
    """This module's project, holding a copy of the two-shop database; `colliding_id` is the
    first shop's order id that the second shop's hand-made order shares."""
    two_shops_template.copy_into(project)
    project.colliding_id = project.one(f"select min(id) as id from {SHOP}.orders")["id"]
    return project
