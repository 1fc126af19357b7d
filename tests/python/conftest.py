"""Fixtures shared by the Python test suite; shared helpers live in helpers.py.

Set-up is the suite's cost: provisioning, generating and building take minutes per database.
So each is done once per session into a template folder, and a module takes a copy of the
template's folder (well under a second) into its own `project`. Modules that test
provisioning or building themselves start from `project` (an empty folder). Within a module,
`project`, `provisioned` and `standard` are one object on one folder.
"""

from __future__ import annotations

import pytest
from helpers import Project
from helpers.shopify import build_two_shops

# The pinned sample: small, its history ending at a fixed instant (2026-05-04 to 2026-10-31),
# so two projects built from it hold the very same rows.
PINNED_SAMPLE = ("sample", "--scale", "0.02", "--as-of", "2026-11-01")

# The standard sample: large enough for every reconciliation with raw to meet each business
# case (refunds, re-deliveries, restated GA4 days, attributed orders), small enough to build
# in about a minute.
STANDARD_SCALE = "0.2"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    """A dbt project on a fresh, empty embedded database for this test module."""
    return Project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="session")
def provisioned_template(tmp_path_factory) -> Project:
    """Raw databases and tables provisioned once per session (copied, never used directly)."""
    template = Project(tmp_path_factory.mktemp("provisioned-template"))
    template.cli("provision")
    return template


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
    """The standard sample built once per session (copied, never used directly): sample data
    at STANDARD_SCALE whose history ends now, then `dbt build`, whose YAML and unit tests must
    pass."""
    template = provisioned_template.copy_into(Project(tmp_path_factory.mktemp("standard-template")))
    template.cli("sample", "--scale", STANDARD_SCALE)
    template.dbt("build")
    return template


@pytest.fixture(scope="module")
def standard(standard_template: Project, project: Project) -> Project:
    """This module's project, holding a copy of the built standard sample: change it freely."""
    return standard_template.copy_into(project)


@pytest.fixture(scope="session")
def two_shops_template(tmp_path_factory) -> Project:
    """Two raw shop databases and the curated Shopify models built over them, once per session
    (helpers/shopify.py; copied, never used directly)."""
    return build_two_shops(Project(tmp_path_factory.mktemp("two-shops-template")))


@pytest.fixture(scope="module")
def two_shops(two_shops_template: Project, project: Project) -> Project:
    """This module's project, holding a copy of the two-shop database."""
    two_shops_template.copy_into(project)
    project.colliding_id = two_shops_template.colliding_id
    return project


@pytest.fixture(scope="session")
def pinned_sample_template(provisioned_template: Project, tmp_path_factory) -> Project:
    """The pinned sample in the raw tables, nothing built, once per session (copied, never used
    directly)."""
    template = provisioned_template.copy_into(Project(tmp_path_factory.mktemp("pinned-template")))
    template.cli(*PINNED_SAMPLE)
    return template


@pytest.fixture(scope="module")
def pinned_sample(pinned_sample_template: Project, project: Project) -> Project:
    """This module's project, holding a copy of the pinned sample's raw tables, nothing built."""
    return pinned_sample_template.copy_into(project)


@pytest.fixture(scope="session")
def pinned_built_template(pinned_sample_template: Project, tmp_path_factory) -> Project:
    """The pinned sample with the whole project built on it (`dbt build` without the unit
    tests, which do not depend on data), once per session (copied, never used directly)."""
    template = pinned_sample_template.copy_into(
        Project(tmp_path_factory.mktemp("pinned-built-template"))
    )
    template.dbt("build", "--exclude", "resource_type:unit_test")
    return template


@pytest.fixture(scope="module")
def pinned_built(pinned_built_template: Project, project: Project) -> Project:
    """This module's project, holding a copy of the built pinned sample: change it freely."""
    return pinned_built_template.copy_into(project)
