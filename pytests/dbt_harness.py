"""Helpers for the end-to-end tests: run the project's dbt CLI into a scratch DuckDB file.

Every build gets its own DuckDB file, target path and log path under pytest's tmp dir,
and a profiles.yml copied from profiles.yml.example, so tests never touch the user's
profiles.yml, journey_kpis.duckdb or target/.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent

# Raw table -> (staging clean model, staging rejects model, natural key columns).
STAGING = {
    "events": ("stg_tracking__events", "stg_tracking__events_rejects", ["event_id"]),
    "leads": ("stg_crm__leads", "stg_crm__leads_rejects", ["lead_id"]),
    "orders": ("stg_commerce__orders", "stg_commerce__orders_rejects", ["order_id"]),
    "survey_responses": (
        "stg_surveys__responses",
        "stg_surveys__responses_rejects",
        ["response_id"],
    ),
    "marketing_spend": (
        "stg_ads__marketing_spend",
        "stg_ads__marketing_spend_rejects",
        ["spend_date", "channel", "campaign_id"],
    ),
}


@dataclass
class DbtProject:
    """One scratch build of the project.

    `profile_settings`, when given, replaces the `settings` of the DuckDB `dev` target in
    the copied profile (e.g. `{"TimeZone": "America/New_York"}`).
    """

    workdir: Path
    profile_settings: dict[str, str] | None = None

    @property
    def database(self) -> Path:
        return self.workdir / "journey_kpis.duckdb"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DBT_PROFILES_DIR=str(self.workdir),
            JOURNEY_KPIS_DUCKDB_PATH=str(self.database),
            JOURNEY_KPIS_TARGET="dev",
            DBT_SEND_ANONYMOUS_USAGE_STATS="False",
            PATH=f"{BIN_DIR}{os.pathsep}{env.get('PATH', '')}",
        )
        return env

    def write_profile(self) -> None:
        """Copy profiles.yml.example into the workdir, with `profile_settings` applied."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        target = self.workdir / "profiles.yml"
        if self.profile_settings is None:
            shutil.copy(REPO_ROOT / "profiles.yml.example", target)
            return
        profile = yaml.safe_load((REPO_ROOT / "profiles.yml.example").read_text())
        profile["journey_kpis"]["outputs"]["dev"]["settings"] = dict(self.profile_settings)
        target.write_text(yaml.safe_dump(profile, sort_keys=False))

    def dbt(self, *args: str, vars_: dict | None = None) -> subprocess.CompletedProcess:
        """Run a dbt command from the repo root; returns the completed process (no raise)."""
        if not (self.workdir / "profiles.yml").exists():
            self.write_profile()
        cmd = [
            str(BIN_DIR / "dbt"),
            *args,
            "--target-path",
            str(self.workdir / "target"),
            "--log-path",
            str(self.workdir / "logs"),
        ]
        if vars_:
            cmd += ["--vars", json.dumps(vars_)]
        return subprocess.run(
            cmd, cwd=REPO_ROOT, env=self.env(), capture_output=True, text=True, check=False
        )

    def build(self, *args: str, vars_: dict | None = None) -> subprocess.CompletedProcess:
        """`dbt build`; fails the test with dbt's output when the build fails."""
        result = self.dbt("build", *args, vars_=vars_)
        assert result.returncode == 0, f"dbt build failed:\n{result.stdout[-6000:]}"
        return result


def query(database: Path, sql: str) -> list[tuple]:
    """Run a read-only query against a built DuckDB file."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Read a raw CSV with Python's csv module (an implementation independent of DuckDB)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run_datagen(*args: str) -> None:
    """Run the data generator CLI (`python -m datagen ...`) from the repo root."""
    subprocess.run([sys.executable, "-m", "datagen", "--quiet", *args], cwd=REPO_ROOT, check=True)
