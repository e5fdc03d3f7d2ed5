"""The KPI dashboard (dashboard/app.py) in a real browser: Debian's headless chromium, driven
by Selenium through the system chromedriver (no browser download).

Three Streamlit servers run side by side on free local ports: one on a copy of the demo build,
one on a DuckDB path that does not exist, one on a copy with mart_channel_attribution dropped
and NPS's source reported empty (a partial build). Every page must render its charts with
no error element; the NPS, conversion-rate and CSAT charts must hold exactly the
mart_kpi_values rows of their filters, the hover its sample size, and the target line the
value of seed kpi_targets. Screenshots go to target/dashboard_screenshots/.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = REPO / "target" / "dashboard_screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
]
STAGES = ["awareness", "consideration", "conversion", "onboarding", "retention", "advocacy"]
# url path -> (page title, minimum number of charts) for the pages that are not stages.
OTHER_PAGES = {
    "": ("Customer-journey KPIs", 1),
    "funnel": ("Journey funnel", 4),
    "cohort-retention": ("Cohort retention", 1),
    "attribution": ("Attribution model comparison", 3),
    "journey-paths": ("Top journey paths", 1),
}
PAGE_TIMEOUT_S = 45
# The page's title, its drawn charts (layout.meta.page = the page's url path), whether the
# script still runs, and how many error elements its main area shows (the sidebar's are
# checked by _assert_no_error).
JS_PAGE_STATE = """
const h = document.querySelector('[data-testid="stMain"] h1');
const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(
    p => p.data && p.layout && p.layout.meta && p.layout.meta.page === arguments[0]
        && p.querySelector('.main-svg'));
return {
    title: h ? h.innerText : null,
    drawn: plots.length,
    running: !!document.querySelector('[data-testid="stStatusWidget"]'),
    errors: document.querySelectorAll('[data-testid="stMain"] [data-testid="stException"],'
        + ' [data-testid="stMain"] [data-testid="stAlertContentError"]').length,
};
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(db_path: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "JOURNEY_KPIS_DUCKDB_PATH": str(db_path),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(REPO / "dashboard" / "app.py"),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=minimal",
    ]
    handle = log.open("w")
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=handle, stderr=handle)
    return process, f"http://127.0.0.1:{port}"


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer on {url}: {log.read_text()}")


@pytest.fixture(scope="module")
def dashboard_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the demo build, so no lock of another process can interfere."""
    target = tmp_path_factory.mktemp("dashboard") / "journey_kpis.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture(scope="module")
def servers(dashboard_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Dashboard URLs: `full` (demo build), `missing` (no file), `partial` (a mart dropped)."""
    workdir = tmp_path_factory.mktemp("dashboard_servers")
    partial = workdir / "partial.duckdb"
    shutil.copy(dashboard_db, partial)
    with duckdb.connect(str(partial)) as con:
        con.execute("drop table marts.mart_channel_attribution")
        # As a build whose surveys source was empty reports it (mart_kpi_coverage).
        con.execute(
            "update marts.mart_kpi_coverage set coverage_status = 'source_empty',"
            " empty_source_tables = 'surveys.survey_responses' where kpi_name = 'nps'"
        )
    started = {
        name: (*_start_server(path, workdir / f"{name}.log"), workdir / f"{name}.log")
        for name, path in [
            ("full", dashboard_db),
            ("missing", workdir / "does_not_exist.duckdb"),
            ("partial", partial),
        ]
    }
    try:
        for process, url, log in started.values():
            _wait_healthy(url, process, log)
        yield {name: url for name, (_, url, _) in started.items()}
    finally:
        for process, _, _ in started.values():
            process.terminate()
        for process, _, _ in started.values():
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium through the system chromedriver (Selenium Manager off)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail(
            "The dashboard browser test needs Debian's chromium and chromium-driver: "
            "`apt-get install -y chromium chromium-driver` (scripts/test.sh installs them)."
        )
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(PAGE_TIMEOUT_S)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _texts(driver, selector: str) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText)", selector
    )


def _open(driver, url: str, title: str, min_charts: int, via_link: str | None = None) -> None:
    """Open a page and wait until its title shows and min_charts of its charts have drawn.

    A chart belongs to the page whose url path its layout.meta.page holds, so a chart left
    over from the previous page never counts. With via_link (a url path), click that sidebar
    link of the page already open instead of loading the URL: the same browser session, no
    reload of Streamlit's scripts (faster).
    """
    page = urllib.parse.urlparse(url).path.strip("/")
    if via_link is None:
        driver.get(url)
    else:
        driver.execute_script(
            "[...document.querySelectorAll('[data-testid=\"stSidebarNavLink\"]')]"
            ".find(a => new URL(a.href).pathname === '/' + arguments[0]).click();",
            via_link,
        )
    deadline = time.time() + PAGE_TIMEOUT_S
    state = None
    while time.time() < deadline:
        state = driver.execute_script(JS_PAGE_STATE, page)
        if state["errors"]:
            return
        if state["title"] == title and state["drawn"] >= min_charts and not state["running"]:
            return
        time.sleep(0.25)
    pytest.fail(f"{url}: no {min_charts} charts under '{title}' in {PAGE_TIMEOUT_S}s: {state}")


def _assert_no_error(driver, url: str) -> None:
    exceptions = _texts(driver, '[data-testid="stException"]')
    errors = _texts(driver, '[data-testid="stAlertContentError"]')
    assert not exceptions and not errors, f"{url}: {exceptions} {errors}"
    assert "Traceback" not in driver.find_element("tag name", "body").text


def _kpi_chart(driver, kpi_name: str) -> dict:
    """The figure data of the KPI's chart, read from the Plotly div in the page."""
    figure = driver.execute_script(
        "const g = [...document.querySelectorAll('.js-plotly-plot')]"
        ".find(p => p.layout && p.layout.meta && p.layout.meta.kpi_name === arguments[0]);"
        "return g ? {meta: g.layout.meta, traces: g.data.map(t => ({name: t.name,"
        " x: Array.from(t.x), y: Array.from(t.y),"
        " customdata: t.customdata ? Array.from(t.customdata) : null}))} : null;",
        kpi_name,
    )
    assert figure, f"no chart of {kpi_name} on the page"
    return figure


def _mart_rows(db: Path, kpi: str, grain: str, channel: str, persona: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select cast(period_start as varchar), value, denominator"
            " from marts.mart_kpi_values where kpi_name = ? and period_grain = ?"
            " and channel = ? and persona = ? order by period_start",
            [kpi, grain, channel, persona],
        ).fetchall()


def _seed_target(kpi: str) -> float:
    """The catch-all target of a KPI in seeds/reference/kpi_targets.csv (no stage/channel/
    persona), read from the seed file, not from the build."""
    with (REPO / "seeds" / "reference" / "kpi_targets.csv").open() as handle:
        for row in csv.DictReader(handle):
            if row["kpi_name"] == kpi and not (
                row["journey_stage"] or row["channel"] or row["persona"]
            ):
                return float(row["target_value"])
    raise AssertionError(f"no catch-all target for {kpi}")


def _stage_kpis_with_rows(db: Path, stage: str) -> int:
    """How many KPIs of the stage (seed kpi_definitions) have a month row for all/all."""
    with (REPO / "seeds" / "reference" / "kpi_definitions.csv").open() as handle:
        names = [r["kpi_name"] for r in csv.DictReader(handle) if r["journey_stage"] == stage]
    with duckdb.connect(str(db), read_only=True) as con:
        present = con.execute(
            "select distinct kpi_name from marts.mart_kpi_values where period_grain = 'month'"
            " and channel = 'all' and persona = 'all'"
        ).fetchall()
    return len(set(names) & {name for (name,) in present})


def test_every_page_renders_its_charts(servers, browser, dashboard_db):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {stage: (f"{stage.capitalize()} KPIs", 0) for stage in STAGES} | OTHER_PAGES
    for path, (title, min_charts) in sorted(pages.items(), key=lambda page: page[0] != ""):
        started = time.time()
        if path in STAGES:
            min_charts = _stage_kpis_with_rows(dashboard_db, path)
            assert min_charts > 0, f"no KPI of stage {path} in the demo build"
        url = f"{servers['full']}/{path}"
        _open(browser, url, title, min_charts, via_link=None if path == "" else path)
        _assert_no_error(browser, url)
        drawn = browser.execute_script(JS_PAGE_STATE, path)["drawn"]
        assert drawn >= min_charts, f"{url}: {drawn} charts, expected at least {min_charts}"
        if path == "advocacy":  # default filters: month, channel all, persona all
            _assert_chart_equals_mart(browser, dashboard_db, path, "nps", "month", "all", "all")
        browser.save_screenshot(str(SCREENSHOTS / f"{path or 'overview'}.png"))
        print(f"{path or 'overview'}: {time.time() - started:.1f}s")


def _assert_chart_equals_mart(browser, db, page, kpi, grain, channel, persona) -> None:
    """The KPI's chart on the open page holds exactly the mart_kpi_values rows of its slice."""
    figure = _kpi_chart(browser, kpi)
    assert figure["meta"] == {
        "page": page,
        "kpi_name": kpi,
        "grain": grain,
        "channel": channel,
        "persona": persona,
    }
    trend, *others = figure["traces"]
    expected = _mart_rows(db, kpi, grain, channel, persona)
    assert len(expected) > 3
    assert [x[:10] for x in trend["x"]] == [period for period, _, _ in expected]
    for shown, (period, value, _) in zip(trend["y"], expected, strict=True):
        if value is None:
            assert shown is None, f"{kpi} {period}: shown {shown}, mart has no value"
        else:
            assert shown is not None and math.isclose(shown, value, rel_tol=0, abs_tol=1e-9), (
                f"{kpi} {period}: chart {shown} != mart_kpi_values {value}"
            )
    # The sample size on hover is the row's denominator.
    for hover, (period, _, denominator) in zip(trend["customdata"], expected, strict=True):
        assert hover.startswith(f"n = {denominator:,.0f} "), f"{kpi} {period}: {hover}"
    # The dashed target line is the seed's catch-all target (no channel/persona override).
    (target,) = others
    assert target["y"] == [_seed_target(kpi)] * 2


@pytest.mark.parametrize(
    ("page", "kpi", "grain", "channel", "persona"),
    [
        ("conversion", "conversion_rate", "week", "email", "all"),
        ("retention", "csat", "month", "all", "enterprise_buyer"),
    ],
)
def test_filtered_chart_numbers_equal_mart_kpi_values(
    servers, browser, dashboard_db, page, kpi, grain, channel, persona
):
    """Filters preset by the URL: the chart shows that one slice (default filters: NPS in
    test_every_page_renders_its_charts)."""
    url = f"{servers['full']}/{page}?grain={grain}&channel={channel}&persona={persona}"
    _open(browser, url, f"{page.capitalize()} KPIs", 1)
    _assert_no_error(browser, url)
    _assert_chart_equals_mart(browser, dashboard_db, page, kpi, grain, channel, persona)


def test_missing_database_says_what_to_run(servers, browser):
    url = f"{servers['missing']}/"
    browser.get(url)
    deadline = time.time() + PAGE_TIMEOUT_S
    errors: list[str] = []
    while time.time() < deadline and not errors:
        errors = _texts(browser, '[data-testid="stAlertContentError"]')
        time.sleep(0.25)
    assert errors, "no error message when the DuckDB file is missing"
    assert "does_not_exist.duckdb does not exist" in errors[0]
    assert "bash scripts/build.sh" in errors[0]
    assert not _texts(browser, '[data-testid="stException"]')
    assert "Traceback" not in browser.find_element("tag name", "body").text
    browser.save_screenshot(str(SCREENSHOTS / "missing_database.png"))


def test_partial_build_names_the_missing_mart(servers, browser):
    url = f"{servers['partial']}/attribution"
    browser.get(url)
    deadline = time.time() + PAGE_TIMEOUT_S
    errors: list[str] = []
    while time.time() < deadline and len(errors) < 2:
        errors = _texts(browser, '[data-testid="stAlertContentError"]')
        time.sleep(0.25)
    page_errors = [e for e in errors if "This page needs" in e]
    assert page_errors, f"no page error for the dropped mart: {errors}"
    assert "marts.mart_channel_attribution" in page_errors[0]
    assert "bash scripts/build.sh" in page_errors[0]
    assert not _texts(browser, '[data-testid="stException"]')
    # A page that does not read the dropped mart still draws its charts, and names the KPI
    # whose source was empty.
    _open(browser, f"{servers['partial']}/advocacy", "Advocacy KPIs", 4)
    assert not _texts(browser, '[data-testid="stMain"] [data-testid="stAlertContentError"]')
    warnings = _texts(browser, '[data-testid="stAlertContentWarning"]')
    assert any("nps (source_empty: surveys.survey_responses)" in w for w in warnings), warnings
