{#- Per list or segment: its members now, and what they did in the last 30 and 90 days
    (measured at refresh time): engagement, orders, revenue and conversion. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, audience_type, audience_id)',
    )
}}

with

memberships as (
    select * from {{ current(ref('klaviyo__profile_memberships')) }}
),

lists as (
    select * from {{ current(ref('klaviyo__lists')) }}
),

named_events as (
    select * from {{ ref('int_klaviyo__events_named') }}
    where
        occurred_at >= now() - interval 90 day
        and metric_name in ('Opened Email', 'Clicked Email', 'Clicked SMS', 'Placed Order')
),

member_activity as (
    select
        source_relation,
        profile_id,
        maxIf(occurred_at, metric_name != 'Placed Order') as last_engaged_at,
        uniqExactIf(order_id, metric_name = 'Placed Order' and occurred_at >= now() - interval 30 day) as orders_30d,
        uniqExactIf(order_id, metric_name = 'Placed Order') as orders_90d,
        sumIf(coalesce(value, 0), metric_name = 'Placed Order' and occurred_at >= now() - interval 30 day)
            as revenue_30d,
        sumIf(coalesce(value, 0), metric_name = 'Placed Order') as revenue_90d
    from named_events
    group by source_relation, profile_id
),

final as (
    select
        memberships.source_relation as source_relation,
        memberships.audience_type as audience_type,
        memberships.audience_id as audience_id,
        any(lists.name) as audience_name,
        uniqExact(memberships.profile_id) as members,
        uniqExactIf(memberships.profile_id, member_activity.last_engaged_at >= now() - interval 30 day)
            as engaged_members_30d,
        uniqExactIf(memberships.profile_id, member_activity.last_engaged_at >= now() - interval 90 day)
            as engaged_members_90d,
        sum(coalesce(member_activity.orders_30d, 0)) as orders_30d,
        sum(coalesce(member_activity.orders_90d, 0)) as orders_90d,
        toDecimal128(sum(coalesce(member_activity.revenue_30d, 0)), 9) as revenue_30d,
        toDecimal128(sum(coalesce(member_activity.revenue_90d, 0)), 9) as revenue_90d,
        uniqExactIf(memberships.profile_id, member_activity.orders_30d > 0) / members as conversion_rate_30d,
        uniqExactIf(memberships.profile_id, member_activity.orders_90d > 0) / members as conversion_rate_90d
    from memberships
    left join member_activity
        on
            memberships.source_relation = member_activity.source_relation
            and memberships.profile_id = member_activity.profile_id
    left join lists
        on memberships.source_relation = lists.source_relation and memberships.audience_id = lists.id
    group by memberships.source_relation, memberships.audience_type, memberships.audience_id
    settings join_use_nulls = 1
)

select * from final
