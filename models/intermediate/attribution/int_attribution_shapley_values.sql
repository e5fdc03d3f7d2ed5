{#- One row per channel set S of a converting journey x channel c of S: the exact Shapley
    value of c in the game v (int_attribution_shapley_worths) restricted to the subsets of S,
    phi_c = sum over T within S minus c of |T|! (|S|-|T|-1)! / |S|! x (v(T + c) - v(T)),
    and c's credit share max(phi_c, 0) / sum over S of max(phi, 0). The sum is regrouped by
    coalition: each T within S adds (|T|-1)! (|S|-|T|)! x v(T) to the channels in T and takes
    |T|! (|S|-|T|-1)! x v(T) from those outside it; the total is divided by |S|! once. The
    integer weights keep the sum exact whenever the worths are (dyadic test worths), so
    every engine returns the same doubles. See the doc block attribution_shapley. -#}
{%- set channels = channel_codes() -%}
{%- set factorials = [1] -%}
{%- for i in range(1, channels | length + 1) -%}
    {%- do factorials.append(factorials[-1] * i) -%}
{%- endfor -%}
{%- set size_pairs = [] -%}
{%- for set_size in range(1, channels | length + 1) -%}
    {%- for coalition_size in range(1, set_size + 1) -%}
        {%- do size_pairs.append([set_size, coalition_size]) -%}
    {%- endfor -%}
{%- endfor -%}
{%- set within_set = [] -%}
{%- for channel in channels -%}
    {%- do within_set.append(
        "coalitions.has_" ~ channel ~ " <= converting_sets.has_" ~ channel
    ) -%}
{%- endfor -%}

with

worths as (
    select * from {{ ref('int_attribution_shapley_worths') }}
),

converting_sets as (
    select * from worths
    where is_converting_set
),

-- per set size n and coalition size k (1..n): (k-1)! (n-k)!, k! (n-k-1)! (0 when k = n) and n!
weights as (
    {%- for pair in size_pairs %}
        {%- set set_size, coalition_size = pair[0], pair[1] %}
        {%- set inside = coalition_size %}
        {%- set outside = set_size - coalition_size %}
        {%- set with_channel = factorials[inside - 1] * factorials[outside] %}
        {%- set without_channel = 0 %}
        {%- if outside > 0 %}
            {%- set without_channel = factorials[inside] * factorials[outside - 1] %}
        {%- endif %}
        select
            {{ set_size }} as set_size,
            {{ coalition_size }} as coalition_size,
            cast({{ with_channel }} as {{ type_double() }}) as weight_with,
            cast({{ without_channel }} as {{ type_double() }}) as weight_without,
            cast({{ factorials[set_size] }} as {{ type_double() }}) as set_factorial
        {{- ' union all' if not loop.last }}
    {%- endfor %}
),

set_coalitions as (
    select
        converting_sets.coalition as channel_set,
        converting_sets.coalition_size as channel_set_size,
        converting_sets.worth as set_worth,
        {%- for channel in channels %}
            converting_sets.has_{{ channel }} as in_set_{{ channel }},
            case
                when coalitions.has_{{ channel }} = 1 then weights.weight_with
                else -weights.weight_without
            end * coalitions.worth as term_{{ channel }},
        {%- endfor %}
        weights.set_factorial
    from converting_sets
    inner join worths as coalitions
        on {{ within_set | join(' and ') }}
    inner join weights
        on
            converting_sets.coalition_size = weights.set_size
            and coalitions.coalition_size = weights.coalition_size
),

set_values as (
    select
        channel_set,
        channel_set_size,
        set_worth,
        set_factorial,
        {%- for channel in channels %}
            max(in_set_{{ channel }}) as in_set_{{ channel }},
            sum(term_{{ channel }}) as scaled_value_{{ channel }},
        {%- endfor %}
        count(*) as coalitions
    from set_coalitions
    group by 1, 2, 3, 4
),

channel_list as (
    {%- for channel in channels %}
        select '{{ channel }}' as channel
        {{- ' union all' if not loop.last }}
    {%- endfor %}
),

channel_values as (
    select
        set_values.channel_set,
        channel_list.channel,
        set_values.channel_set_size,
        set_values.set_worth,
        set_values.set_factorial,
        case channel_list.channel
            {%- for channel in channels %}
                when '{{ channel }}' then set_values.in_set_{{ channel }}
            {%- endfor %}
        end as in_set,
        case channel_list.channel
            {%- for channel in channels %}
                when '{{ channel }}' then set_values.scaled_value_{{ channel }}
            {%- endfor %}
        end as scaled_value
    from set_values
    cross join channel_list
),

clipped as (
    select
        *,
        greatest(scaled_value, 0) as positive_value
    from channel_values
    where in_set = 1
),

final as (
    select
        -- ids
        channel_set,
        channel,

        -- numerics
        cast(channel_set_size as {{ dbt.type_bigint() }}) as channel_set_size,
        cast(set_worth as {{ type_double() }}) as set_worth,
        cast(scaled_value / set_factorial as {{ type_double() }}) as shapley_value,
        cast(
            positive_value / sum(positive_value) over (partition by channel_set)
            as {{ type_double() }}
        ) as credit_share
    from clipped
)

select * from final
