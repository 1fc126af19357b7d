"""The docs site is a product surface: everything described, and the site renders.

One module-wide build: provision, a small sample, `dbt build`, `dbt docs generate --static`.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import subprocess
import threading
from pathlib import Path

import pytest
from helpers import PROJECT_DIR, Project, chromium_binary

PACKAGE = "ecommerce_analytics"
ARTIFACTS_DIR = PROJECT_DIR / "artifacts" / "docs"


@pytest.fixture(scope="module")
def docs_site(standard: Project) -> Path:
    standard.dbt("docs", "generate", "--static")
    return Path(standard.env["DBT_TARGET_PATH"])


def _load(site: Path, name: str) -> dict:
    return json.loads((site / name).read_text())


def _undescribed(site: Path) -> list[str]:
    """Every project node, column and macro argument without a description."""
    manifest, catalog = _load(site, "manifest.json"), _load(site, "catalog.json")
    missing = []
    documented = {**manifest["nodes"], **manifest["sources"], **manifest["exposures"]}
    for unique_id, node in documented.items():
        if node["package_name"] != PACKAGE or node["resource_type"] not in (
            "model",
            "seed",
            "source",
            "snapshot",
            "exposure",
        ):
            continue
        if not node.get("description", "").strip():
            missing.append(unique_id)
        described = {
            name.lower()
            for name, col in node.get("columns", {}).items()
            if col["description"].strip()
        }
        built = catalog["nodes"].get(unique_id) or catalog["sources"].get(unique_id) or {}
        for column in built.get("columns", {}):
            if column.lower() not in described:
                missing.append(f"{unique_id}.{column}")
    for unique_id, macro in manifest["macros"].items():
        if macro["package_name"] != PACKAGE:
            continue
        if not macro["description"].strip():
            missing.append(unique_id)
        missing += [
            f"{unique_id}({arg['name']})" for arg in macro["arguments"] if not arg["description"]
        ]
    return missing


def test_every_model_column_source_seed_and_macro_is_described(docs_site: Path):
    assert _undescribed(docs_site) == []


def test_curated_descriptions_name_their_clickhouse_table(docs_site: Path):
    """A curated model's dbt name (shopify__orders) is not its table name (data_shopify.orders):
    its description says where to find it in ClickHouse."""
    manifest, catalog = _load(docs_site, "manifest.json"), _load(docs_site, "catalog.json")
    curated = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("curated_datasets/")
    ]
    assert curated
    unnamed = []
    for node in curated:
        built = catalog["nodes"][node["unique_id"]]["metadata"]
        table = f"{built['schema']}.{built['name']}"
        if f"`{table}`" not in node["description"]:
            unnamed.append(f"{node['name']} ({table})")
    assert unnamed == []


def test_description_check_catches_a_missing_description(docs_site: Path, tmp_path: Path):
    """The check above can fail: blank one column description and it is reported."""
    manifest, catalog = _load(docs_site, "manifest.json"), _load(docs_site, "catalog.json")
    model_id, column = next(
        (uid, column)
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        for column in catalog["nodes"].get(uid, {}).get("columns", {})
        if column in node["columns"]
    )
    manifest["nodes"][model_id]["columns"][column]["description"] = " "
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    newly_missing = set(_undescribed(tmp_path)) - set(_undescribed(docs_site))
    assert newly_missing == {f"{model_id}.{column}"}


@pytest.fixture(scope="module")
def served_site(docs_site: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(docs_site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _render(chromium: str, url: str, screenshot: Path, tmp_path: Path) -> str:
    """The page's DOM after its scripts ran, and a screenshot of it."""
    common = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--window-size=1400,1000",
        "--virtual-time-budget=15000",
    ]
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [*common, f"--screenshot={screenshot}", url], check=True, capture_output=True, timeout=120
    )
    result = subprocess.run(
        [*common, "--dump-dom", url], check=True, capture_output=True, text=True, timeout=120
    )
    screenshot.with_suffix(".html").write_text(result.stdout)
    return result.stdout


def _plain(text: str) -> str:
    """Visible text only: no tags, no markdown marks, no whitespace (rendering moves it)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return "".join(re.sub(r"[`*_]", "", text).split())


def _page_cases(site: Path) -> list[tuple[str, dict]]:
    """A curated model, and an analytics model where one exists."""
    manifest = _load(site, "manifest.json")
    models = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == PACKAGE
    ]
    cases = []
    for layer in ("curated_datasets", "analytics_datasets"):
        layer_models = sorted(
            (m for m in models if m["original_file_path"].startswith(layer)),
            key=lambda m: m["name"],
        )
        if layer_models:
            cases.append((layer, layer_models[0]))
    return cases


def test_model_pages_render_with_description_and_lineage(
    docs_site: Path, served_site: str, tmp_path: Path
):
    chromium = chromium_binary()
    cases = _page_cases(docs_site)
    assert cases and cases[0][0] == "curated_datasets"
    for layer, model in cases:
        url = f"{served_site}/index.html#!/model/{model['unique_id']}"
        dom = _render(chromium, url, ARTIFACTS_DIR / f"{model['name']}.png", tmp_path)
        assert _plain(model["description"])[:50] in _plain(dom), (
            f"{layer} model page lacks its description"
        )
        # The page lists the model's lineage (what it depends on) and its columns.
        assert "Depends On" in dom or "depends on" in dom.lower()
        assert model["depends_on"]["nodes"], "a model with no lineage proves nothing"
        parent = model["depends_on"]["nodes"][0].split(".")[-1]
        assert parent in dom, f"{layer} model page does not show its parent {parent}"
        assert (ARTIFACTS_DIR / f"{model['name']}.png").stat().st_size > 10_000
