-- One row per persona of seed persona_rules (plus the catch-all `unassigned`).
with

rules as (
    select * from {{ ref('persona_rules') }}
),

personas as (
    select
        persona,
        min(rule_order) as sort_order,
        {{ dbt.listagg('basis', "', '", 'order by rule_order') }} as bases,
        {{ dbt.listagg('description', "' | '", 'order by rule_order') }} as description
    from rules
    group by 1
),

catch_all as (
    select
        'unassigned' as persona,
        9999 as sort_order,
        'catch_all' as bases,
        'Everyone no rule matched' as description
),

final as (
    select
        persona,
        description,
        bases,
        cast(sort_order as {{ dbt.type_bigint() }}) as sort_order
    from personas
    union all
    select
        catch_all.persona,
        catch_all.description,
        catch_all.bases,
        cast(catch_all.sort_order as {{ dbt.type_bigint() }}) as sort_order
    from catch_all
    where not exists (
        select personas.persona from personas
        where personas.persona = catch_all.persona
    )
)

select * from final
