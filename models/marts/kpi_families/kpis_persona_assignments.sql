{#- One row per person: the persona the KPI family models count the person under, stamped
    with the run that assigned it. Incremental (macros/incremental.sql): a run re-inserts
    only the people who are new or whose persona changed (assigned_at = the run), and
    deletes the people gone from dim_people; the incremental KPI models then recompute the
    periods from such a person's first day (kpi_touched_from). -#}
{{ config(
    materialized=incremental_chain_materialization(),
    unique_key='person_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{% if is_incremental() %}{{ delete_rows_missing_from(ref('dim_people'), 'person_id') }}{% endif %}"
) }}
{#- Incremental: only the people in reassigned_people; a full build: everyone. -#}
{%- if is_incremental() -%}
    {%- set reassigned_only =
        'person_id in (select reassigned.person_id from reassigned_people as reassigned)' -%}
{%- else -%}
    {%- set reassigned_only = '1 = 1' -%}
{%- endif %}

with

people as (
    select * from {{ ref('dim_people') }}
),

{%- if is_incremental() %}

    -- People new since the last run, or whose persona differs from the one stored.
    reassigned_people as (
        select people.person_id
        from people
        left join {{ this }} as assigned
            on people.person_id = assigned.person_id
        where
            assigned.person_id is null
            or not (
                assigned.persona = people.persona
                or (assigned.persona is null and people.persona is null)
            )
    ),
{%- endif %}

final as (
    select
        person_id,
        persona,
        {{ run_processed_at() }} as assigned_at
    from people
    where {{ reassigned_only }}
)

select * from final
