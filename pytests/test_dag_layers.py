"""Layers flow one way: staging -> intermediate -> marts, never back.

Reads the manifest of `dbt parse` (no warehouse needed: parsing connects to nothing) and
checks every edge of every model:

- a model lives in models/staging, models/intermediate or models/marts (its layer is its
  folder), so a new folder cannot slip past the check;
- a model never reads a model of a later layer (staging -> intermediate or marts,
  intermediate -> marts): a model that needs a mart is a mart (hence the KPI family models
  in models/marts/kpi_families);
- only staging reads sources (dbt's `source()`) and the demo raw seeds (seeds/raw, which
  fill the raw schema the sources point at): an intermediate model or a mart never does.
Reference seeds (seeds/reference) are rule tables any layer may read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dbt_harness import DbtProject

LAYERS = ["staging", "intermediate", "marts"]


def layer_of(node: dict) -> str | None:
    """The layer of a model (its folder under models/), or None when it is in none."""
    parts = Path(node["original_file_path"]).parts
    if len(parts) > 1 and parts[0] == "models" and parts[1] in LAYERS:
        return parts[1]
    return None


def layer_violations(manifest: dict) -> list[str]:
    """Every edge of the manifest's models that breaks the one-way flow, as text."""
    parents = {**manifest["nodes"], **manifest["sources"]}
    problems = []
    for unique_id, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] != "model":
            continue
        layer = layer_of(node)
        if layer is None:
            problems.append(f"{unique_id}: {node['original_file_path']} is in no layer folder")
            continue
        for parent_id in node["depends_on"]["nodes"]:
            parent = parents[parent_id]
            kind = parent["resource_type"]
            if kind == "source" and layer != "staging":
                problems.append(f"{unique_id} ({layer}) reads the source {parent_id}")
            elif kind == "seed" and layer != "staging":
                if Path(parent["original_file_path"]).parts[:2] == ("seeds", "raw"):
                    problems.append(f"{unique_id} ({layer}) reads the raw seed {parent_id}")
            elif kind == "model":
                parent_layer = layer_of(parent)
                if parent_layer is None or LAYERS.index(parent_layer) > LAYERS.index(layer):
                    problems.append(
                        f"{unique_id} ({layer}) reads {parent_id} ({parent_layer or 'no layer'})"
                    )
    return problems


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The manifest of a fresh `dbt parse` of the project (scratch target directory)."""
    project = DbtProject(tmp_path_factory.mktemp("dag_layers"))
    result = project.dbt("parse")
    assert result.returncode == 0, f"dbt parse failed:\n{result.stdout[-4000:]}"
    return json.loads((project.workdir / "target" / "manifest.json").read_text())


def test_layers_flow_one_way(manifest: dict) -> None:
    problems = layer_violations(manifest)
    assert not problems, "edges against the layer order:\n" + "\n".join(problems)


def test_every_layer_has_models_and_edges(manifest: dict) -> None:
    """The check above has something to check: models in every layer, and edges from the
    marts to the intermediate layer and from staging to the sources."""
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    by_layer = {layer: [m for m in models if layer_of(m) == layer] for layer in LAYERS}
    assert all(len(found) >= 5 for found in by_layer.values()), {
        layer: len(found) for layer, found in by_layer.items()
    }
    staging_sources = [
        parent
        for model in by_layer["staging"]
        for parent in model["depends_on"]["nodes"]
        if parent.startswith("source.")
    ]
    assert len(staging_sources) >= 5
    kpi_families = [m for m in by_layer["marts"] if m["name"].startswith("kpis_")]
    assert kpi_families and all(m["schema"].endswith("kpi_families") for m in kpi_families)


def _node(unique_id: str, path: str, parents: list[str], resource_type: str = "model") -> dict:
    return {
        "resource_type": resource_type,
        "original_file_path": path,
        "depends_on": {"nodes": parents},
    }


def test_the_check_catches_each_kind_of_wrong_edge() -> None:
    """On a hand-written manifest: one allowed edge of each kind, and one of each wrong kind."""
    nodes = {
        "seed.p.events": _node("seed.p.events", "seeds/raw/events.csv", [], "seed"),
        "seed.p.rules": _node("seed.p.rules", "seeds/reference/rules.csv", [], "seed"),
        "model.p.stg_a": _node(
            "model.p.stg_a", "models/staging/a/stg_a.sql", ["source.p.a.t", "seed.p.events"]
        ),
        "model.p.int_b": _node(
            "model.p.int_b", "models/intermediate/b/int_b.sql", ["model.p.stg_a", "seed.p.rules"]
        ),
        "model.p.fct_c": _node("model.p.fct_c", "models/marts/core/fct_c.sql", ["model.p.int_b"]),
        # wrong: intermediate reads a mart, staging reads an intermediate model, a mart
        # reads a source, an intermediate model reads the raw seed, a model in no layer
        "model.p.int_bad": _node(
            "model.p.int_bad", "models/intermediate/b/int_bad.sql", ["model.p.fct_c"]
        ),
        "model.p.stg_bad": _node(
            "model.p.stg_bad", "models/staging/a/stg_bad.sql", ["model.p.int_b"]
        ),
        "model.p.fct_bad": _node(
            "model.p.fct_bad", "models/marts/core/fct_bad.sql", ["source.p.a.t"]
        ),
        "model.p.int_raw": _node(
            "model.p.int_raw", "models/intermediate/b/int_raw.sql", ["seed.p.events"]
        ),
        "model.p.loose": _node("model.p.loose", "models/other/loose.sql", []),
    }
    sources = {"source.p.a.t": _node("source.p.a.t", "models/staging/a/_a__sources.yml", [])}
    sources["source.p.a.t"]["resource_type"] = "source"
    problems = layer_violations({"nodes": nodes, "sources": sources})
    flagged = sorted({problem.split(" ")[0].rstrip(":") for problem in problems})
    assert flagged == [
        "model.p.fct_bad",
        "model.p.int_bad",
        "model.p.int_raw",
        "model.p.loose",
        "model.p.stg_bad",
    ], problems
