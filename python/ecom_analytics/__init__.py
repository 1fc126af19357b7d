"""Tooling for the ClickHouse e-commerce analytics dbt project."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
