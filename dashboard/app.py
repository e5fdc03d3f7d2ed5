"""journey-kpis KPI dashboard (Streamlit): start it with `bash scripts/dashboard.sh`.

Reads the DuckDB build read-only (JOURNEY_KPIS_DUCKDB_PATH, default journey_kpis.duckdb).
One page per journey stage (each KPI's trend against its target, sample size on hover), the
funnel, the cohort-retention heatmap, the attribution model comparison and the top journey
paths. The filters pick exactly one period grain, one channel and one persona (`all` is the
total row), so no view can add an `all` row to the per-channel or per-persona rows.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402

st.set_page_config(page_title="journey-kpis dashboard", layout="wide")

UNIT_FORMATS = {"fraction": ".1%", "percent": ".1f", "currency": ",.0f", "count": ",.0f"}
PLOTLY_CONFIG = {"displaylogo": False, "displayModeBar": False}


@st.cache_data(ttl=300, show_spinner=False)
def _cached(name: str, path: str, mtime: float, *args: object) -> object:
    return getattr(data, name)(Path(path), *args)


def load(name: str, *args: object) -> object:
    """Call data.<name>(path, *args), cached until the DuckDB file changes."""
    path = data.duckdb_path()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _cached(name, str(path), mtime, *args)


def show_chart(figure: go.Figure, page: str, key: str) -> None:
    """Render a Plotly figure full width, its page (url path) in layout.meta for tests."""
    figure.update_layout(meta={**(figure.layout.meta or {}), "page": page})
    st.plotly_chart(figure, key=f"{page}-{key}", config=PLOTLY_CONFIG)


def page_header(title: str, page: str, status: data.BuildStatus, filters: dict) -> bool:
    """Show the title, as-of date, filters and partial-build errors.

    False when the page's tables are missing (the page then shows only the error).
    """
    st.title(title)
    as_of = status.as_of_date if status.as_of_date is not None else "unknown"
    st.caption(
        f"Data as of **{as_of}** (latest data {status.latest_data_date}) · "
        f"grain **{filters['grain']}** · channel **{filters['channel']}** · "
        f"persona **{filters['persona']}** · file `{data.duckdb_path()}`"
    )
    missing = status.pages_missing_tables().get(page)
    if missing:
        st.error(
            f"This page needs {', '.join(missing)}, which the build does not have. "
            f"Run `{data.BUILD_COMMAND}` (a full `dbt build`) and reload."
        )
        return False
    return True


def format_for(unit: str) -> str:
    """Return the Plotly number format of a KPI unit."""
    return UNIT_FORMATS.get(unit, ",.2f")


def kpi_figure(kpi: pd.Series, trend: pd.DataFrame, target: pd.Series | None, filters: dict):
    """Plot a KPI's trend at the selected grain against its target.

    The target is a dashed line; the sample size (denominator, in the KPI's sample unit) is
    on hover.
    """
    fmt = format_for(kpi.unit)
    sample_unit = kpi.sample_unit if isinstance(kpi.sample_unit, str) else None
    samples = [
        f"n = {d:,.0f} {sample_unit}" if sample_unit and pd.notna(d) else "n = n/a (a total)"
        for d in trend["denominator"]
    ]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=[d.isoformat() for d in pd.to_datetime(trend["period_start"]).dt.date],
            y=[None if pd.isna(v) else float(v) for v in trend["value"]],
            mode="lines+markers",
            name=kpi.kpi_name,
            customdata=samples,
            hovertemplate=f"%{{x}}<br>%{{y:{fmt}}}<br>%{{customdata}}<extra></extra>",
        )
    )
    if target is not None and len(trend):
        figure.add_trace(
            go.Scatter(
                x=[
                    trend["period_start"].min().isoformat(),
                    trend["period_start"].max().isoformat(),
                ],
                y=[float(target.target_value)] * 2,
                mode="lines",
                name=f"target ({target.direction})",
                line={"dash": "dash", "color": "#d62728"},
                hovertemplate=f"target %{{y:{fmt}}}: {target.target_description}<extra></extra>",
            )
        )
    figure.update_layout(
        title={"text": f"{kpi.kpi_name} ({kpi.unit}, {kpi.aggregation})"},
        height=300,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        showlegend=target is not None,
        legend={"orientation": "h", "y": -0.2},
        meta={"kpi_name": kpi.kpi_name, **filters},
    )
    figure.update_yaxes(tickformat=fmt)
    if len(trend) == 1:
        # A snapshot KPI (one period only): a category axis, not a zoomed-in time axis.
        figure.update_xaxes(type="category")
    return figure


def stage_page(stage: str, status: data.BuildStatus, filters: dict) -> None:
    """One journey stage: a trend chart per catalog KPI of the stage."""
    if not page_header(f"{stage.capitalize()} KPIs", stage, status, filters):
        return
    kpis = load("stage_kpis", stage)
    trends = load("kpi_trends", stage, filters["grain"], filters["channel"], filters["persona"])
    targets = load("kpi_targets", filters["channel"], filters["persona"]).set_index("kpi_name")
    uncovered = status.uncovered_kpis
    if len(uncovered):
        here = uncovered[uncovered["journey_stage"] == stage]
        if len(here):
            st.warning(
                "The build had no data for some KPIs of this stage (empty or absent sources): "
                + "; ".join(
                    f"{r.kpi_name} ({r.coverage_status}: "
                    f"{r.empty_source_tables or r.missing_records})"
                    for r in here.itertuples()
                )
            )
    st.caption(
        "Each value is the mart_kpi_values row of the selected grain, channel and persona: "
        "nothing is summed. Hover a point for its sample size; the dashed line is the target."
    )
    columns = st.columns(2)
    shown = 0
    for kpi in kpis.itertuples():
        trend = trends[trends["kpi_name"] == kpi.kpi_name]
        with columns[shown % 2]:
            if trend.empty:
                reason = (
                    "not sliced by persona"
                    if filters["persona"] != "all" and not kpi.is_persona_sliced
                    else "no rows for these filters"
                )
                st.info(f"{kpi.kpi_name}: {reason}.")
            else:
                target = targets.loc[kpi.kpi_name] if kpi.kpi_name in targets.index else None
                figure = kpi_figure(pd.Series(kpi._asdict()), trend, target, filters)
                show_chart(figure, stage, kpi.kpi_name)
        shown += 1


def overview_page(status: data.BuildStatus, filters: dict) -> None:
    """Where to start: as-of date, build coverage, and targets met per stage last month."""
    if not page_header("Customer-journey KPIs", "overview", status, filters):
        return
    st.markdown(
        "One page per journey stage, then the funnel, cohort retention, attribution and journey "
        "paths (left). The filters pick **one** period grain, channel and persona; `all` is the "
        "total row, never added to the per-channel or per-persona rows."
    )
    if len(status.uncovered_kpis):
        st.warning(
            f"{len(status.uncovered_kpis)} KPIs have no data in this build:"
            " their sources were empty or absent."
        )
        st.dataframe(status.uncovered_kpis, hide_index=True)
    targets = load("target_status_last_month", filters["channel"], filters["persona"])
    if targets.empty:
        st.info("No KPI with a target has a value for these filters.")
        return
    month = targets["month_start_date"].max()
    figure = go.Figure()
    for outcome, color in [
        ("met", "#2ca02c"),
        ("missed", "#d62728"),
        ("sample_too_small", "#aaaaaa"),
        ("no_value", "#dddddd"),
    ]:
        part = targets[targets["target_status"] == outcome]
        figure.add_trace(
            go.Bar(
                x=list(part["journey_stage"]),
                y=[int(n) for n in part["kpis"]],
                name=outcome,
                marker_color=color,
            )
        )
    figure.update_layout(
        barmode="stack",
        title={"text": f"KPI targets in {month}: met or missed (mart_kpi_targets)"},
        height=350,
    )
    show_chart(figure, "", "targets")


def funnel_page(status: data.BuildStatus, filters: dict) -> None:
    """Show the funnel of the selection, by persona and by channel, and drop-off trends."""
    if not page_header("Journey funnel", "funnel", status, filters):
        return
    channel, persona = filters["channel"], filters["persona"]
    overall = load("funnel", channel, persona)
    if overall.empty:
        st.info("No funnel rows for this channel and persona.")
    else:
        figure = go.Figure(
            go.Funnel(
                y=list(overall["journey_stage"]),
                x=[int(n) for n in overall["people_reached"]],
                textinfo="value+percent initial",
            )
        )
        figure.update_layout(
            title={"text": f"People reaching each stage (channel {channel}, persona {persona})"},
            height=380,
        )
        show_chart(figure, "funnel", "overall")
    left, right = st.columns(2)
    for column, dimension, fixed in [
        (left, "persona", channel),
        (right, "channel", persona),
    ]:
        other = "channel" if dimension == "persona" else "persona"
        by = load("funnel_by", dimension, fixed)
        with column:
            if by.empty:
                st.info(f"No funnel rows per {dimension} for {other} {fixed}.")
                continue
            aware = by[by["stage_order"] == 1].set_index("segment")["people_reached"]
            figure = go.Figure()
            for segment, rows in by.groupby("segment"):
                base = aware.get(segment, 0)
                figure.add_trace(
                    go.Scatter(
                        x=list(rows["journey_stage"]),
                        y=[float(n) / base if base else None for n in rows["people_reached"]],
                        name=str(segment),
                        mode="lines+markers",
                        customdata=[int(n) for n in rows["people_reached"]],
                        hovertemplate="%{x}: %{y:.1%} (%{customdata} people)",
                    )
                )
            figure.update_layout(
                title={"text": f"Share of the aware reaching each stage, by {dimension}"},
                height=380,
            )
            figure.update_yaxes(tickformat=".0%")
            show_chart(figure, "funnel", f"by-{dimension}")
    dropoff = load("funnel_dropoff", filters["grain"], channel, persona)
    if not dropoff.empty:
        figure = go.Figure()
        for step, rows in dropoff.groupby("journey_stage"):
            figure.add_trace(
                go.Scatter(
                    x=[d.isoformat() for d in pd.to_datetime(rows["period_start"]).dt.date],
                    y=[None if pd.isna(v) else float(v) for v in rows["value"]],
                    name=str(step),
                    customdata=[f"n = {d:,.0f} people" for d in rows["denominator"].fillna(0)],
                    hovertemplate="%{x}: %{y:.1%}<br>%{customdata}",
                )
            )
        figure.update_layout(
            title={"text": f"funnel_dropoff_rate per step ({filters['grain']}; never summed)"},
            height=350,
        )
        figure.update_yaxes(tickformat=".0%")
        show_chart(figure, "funnel", "dropoff")


def cohort_page(status: data.BuildStatus, filters: dict) -> None:
    """Cohort-retention heatmap: acquisition month x months since acquisition."""
    if not page_header("Cohort retention", "cohort_retention", status, filters):
        return
    cells = load("cohort_retention", filters["channel"], filters["persona"])
    if cells.empty:
        st.info(
            "No cohort rows for this channel and persona (the mart holds channel x `all` and "
            "`all` x persona): set channel or persona to `all`."
        )
        return
    grid = cells.pivot(
        index="cohort_month", columns="months_since_acquisition", values="retention_rate"
    )
    sizes = cells.pivot(
        index="cohort_month", columns="months_since_acquisition", values="cohort_customers"
    )
    figure = go.Figure(
        go.Heatmap(
            z=[[None if pd.isna(v) else float(v) for v in row] for row in grid.to_numpy()],
            x=[int(m) for m in grid.columns],
            y=[str(m) for m in grid.index],
            customdata=[[0 if pd.isna(v) else int(v) for v in row] for row in sizes.to_numpy()],
            colorscale="Blues",
            hovertemplate=(
                "cohort %{y}, month %{x}: %{z:.1%} retained<br>n = %{customdata} customers"
                "<extra></extra>"
            ),
        )
    )
    figure.update_layout(
        title={"text": "Share of each acquisition cohort still active, by months since"},
        xaxis_title="months since acquisition",
        yaxis_title="cohort month",
        height=560,
    )
    show_chart(figure, "cohort-retention", "heatmap")


def attribution_page(status: data.BuildStatus, filters: dict) -> None:
    """Attributed conversions, revenue and ROAS per channel under every attribution model."""
    if not page_header("Attribution model comparison", "attribution", status, filters):
        return
    persona = filters["persona"]
    st.caption(
        "Whole history per channel; the channel filter does not apply (every channel is shown). "
        "Persona `all` carries credits and spend; a persona carries credits only (no ROAS)."
    )
    credits = load("attribution_by_model", persona)
    if credits.empty:
        st.info("No attribution rows for this persona.")
        return
    metrics = [
        ("attributed_conversions", "Attributed conversions", ",.1f"),
        ("attributed_revenue", "Attributed revenue", ",.0f"),
    ]
    if persona == "all":
        metrics.append(("roas", "ROAS (attributed revenue / spend)", ".2f"))
    for metric, title, fmt in metrics:
        figure = go.Figure()
        for model, rows in credits.groupby("attribution_model"):
            figure.add_trace(
                go.Bar(
                    x=list(rows["channel"]),
                    y=[None if pd.isna(v) else float(v) for v in rows[metric]],
                    name=str(model),
                    hovertemplate=f"%{{x}}: %{{y:{fmt}}}",
                )
            )
        figure.update_layout(
            barmode="group", title={"text": f"{title} per channel and model"}, height=380
        )
        show_chart(figure, "attribution", metric)


def paths_page(status: data.BuildStatus, filters: dict) -> None:
    """Sankey of the top journey paths (mart_journey_paths.is_top_path) of the persona."""
    if not page_header("Top journey paths", "journey_paths", status, filters):
        return
    paths = load("top_paths", filters["persona"])
    if paths.empty:
        st.info("No journey paths for this persona.")
        return
    links = data.sankey_links(paths)
    nodes = sorted(set(links["source"]) | set(links["target"]))
    index = {node: i for i, node in enumerate(nodes)}
    figure = go.Figure(
        go.Sankey(
            node={"label": nodes, "pad": 12},
            link={
                "source": [index[s] for s in links["source"]],
                "target": [index[t] for t in links["target"]],
                "value": [int(v) for v in links["journeys"]],
            },
        )
    )
    figure.update_layout(
        title={"text": f"Top {len(paths)} journey paths, persona {filters['persona']}"},
        height=520,
    )
    show_chart(figure, "journey-paths", "sankey")
    st.dataframe(paths, hide_index=True)


def main() -> None:
    """Check the build, draw the filters, and run the selected page."""
    path = data.duckdb_path()
    try:
        status = load("build_status")
        channels = load("dimension_values", "channel")
        personas = load("dimension_values", "persona")
    except data.DatabaseUnavailable as error:
        st.title("journey-kpis dashboard")
        st.error(str(error))
        st.stop()
    except Exception as error:  # noqa: BLE001 - a partial build: say what to run, no traceback
        st.title("journey-kpis dashboard")
        st.error(
            f"The DuckDB file {path} cannot be read as a journey-kpis build ({error}). "
            f"Run `{data.BUILD_COMMAND}` and reload."
        )
        st.stop()

    # A link can preset the filters: ?grain=week&channel=email&persona=all (invalid values
    # are ignored); after that the widgets own them.
    for name, allowed in [("grain", data.GRAINS), ("channel", channels), ("persona", personas)]:
        wanted = st.query_params.get(name)
        if name not in st.session_state and wanted in allowed:
            st.session_state[name] = wanted

    with st.sidebar:
        st.header("Filters")
        grain = st.radio("Period grain", data.GRAINS, key="grain", horizontal=True)
        channel = st.selectbox("Channel (`all` = total)", channels, key="channel")
        persona = st.selectbox("Persona (`all` = total)", personas, key="persona")
        st.caption(f"Data as of {status.as_of_date}")
        if status.missing_tables:
            st.error(
                "Tables missing from this build: "
                + ", ".join(status.missing_tables)
                + f". Affected pages: {', '.join(status.pages_missing_tables()) or 'none'}. "
                f"Run `{data.BUILD_COMMAND}`."
            )
    filters = {"grain": grain, "channel": channel, "persona": persona}

    def page(function: Callable, *args: object) -> Callable[[], None]:
        def run() -> None:
            try:
                function(*args, status, filters)
            except data.DatabaseUnavailable as error:
                st.error(str(error))
            except Exception as error:  # noqa: BLE001 - shown, not raised as a traceback
                st.error(f"This page could not be drawn: {error}. Run `{data.BUILD_COMMAND}`.")

        run.__name__ = f"page_{'_'.join(str(a) for a in args) or function.__name__}"
        return run

    pages = {
        "Overview": [st.Page(page(overview_page), title="Overview", default=True)],
        "Journey stages": [
            st.Page(page(stage_page, stage), title=stage.capitalize(), url_path=stage)
            for stage in data.STAGES
        ],
        "Journeys": [
            st.Page(page(funnel_page), title="Funnel", url_path="funnel"),
            st.Page(page(cohort_page), title="Cohort retention", url_path="cohort-retention"),
            st.Page(page(attribution_page), title="Attribution", url_path="attribution"),
            st.Page(page(paths_page), title="Journey paths", url_path="journey-paths"),
        ],
    }
    st.navigation(pages).run()


main()
