from __future__ import annotations

import os
from pathlib import Path

import pytest
from dbt_harness import DbtProject


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file holding a full `dbt build` of the bundled demo data.

    scripts/test.sh builds it once and passes it in JOURNEY_KPIS_BUILT_DB; run alone,
    pytest builds it here.
    """
    prebuilt = os.environ.get("JOURNEY_KPIS_BUILT_DB")
    if prebuilt and Path(prebuilt).exists():
        return Path(prebuilt)
    project = DbtProject(tmp_path_factory.mktemp("demo_build"))
    project.build()
    return project.database
