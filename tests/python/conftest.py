"""Fixtures shared by the Python test suite; shared helpers live in helpers.py."""

from __future__ import annotations

import pytest
from helpers import Project


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    """A dbt project on a fresh, empty embedded database for this test module."""
    return Project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def provisioned(project: Project) -> Project:
    project.cli("provision")
    return project
