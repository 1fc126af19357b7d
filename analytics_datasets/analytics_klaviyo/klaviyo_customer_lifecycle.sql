{#- One row per Klaviyo profile: orders as Klaviyo saw them (Placed Order events), Klaviyo's
    predictions, and a lifecycle stage and CLV segment by the rules in the vars. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, profile_id)',
    )
}}

with

profiles as (
    select * from {{ current(ref('klaviyo__profiles')) }}
),

named_events as (
    select * from {{ ref('int_klaviyo__events_named') }}
    where metric_name = 'Placed Order' and profile_id != ''
),

profile_orders as (
    select
        source_relation,
        profile_id,
        min(occurred_at) as first_order_at,
        max(occurred_at) as last_order_at,
        uniqExact(order_id) as order_count,
        sum(coalesce(value, 0)) as revenue
    from named_events
    group by source_relation, profile_id
),

lifecycle as (
    select
        profiles.source_relation as source_relation,
        profiles.id as profile_id,
        profile_orders.first_order_at as first_order_at,
        profile_orders.last_order_at as last_order_at,
        profiles.predicted_clv as predicted_clv,
        profiles.churn_probability as churn_probability,
        profiles.email_marketing_consent as email_marketing_consent,
        lower(profiles.email) as email,
        coalesce(profile_orders.order_count, 0) as orders,
        toDecimal128(coalesce(profile_orders.revenue, 0), 9) as historic_revenue,
        dateDiff('day', profile_orders.last_order_at, now()) as days_since_last_order
    from profiles
    left join profile_orders
        on profiles.source_relation = profile_orders.source_relation and profiles.id = profile_orders.profile_id
    settings join_use_nulls = 1
),

final as (
    select
        *,
        {{ klaviyo_lifecycle_stage('orders', 'days_since_last_order') }} as lifecycle_stage,
        multiIf(
            predicted_clv is null, 'none',
            predicted_clv >= {{ number_var('clv_high_threshold', 0) }}, 'high',
            predicted_clv >= {{ number_var('clv_medium_threshold', 0) }}, 'medium',
            'low'
        ) as clv_segment
    from lifecycle
)

select * from final
