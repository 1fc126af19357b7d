{#- Baseline for the benchmark, not a definition. The end of the channel-revenue baselines:
    from `orders` (session_source, session_medium, sales_date, amount), `refunds` (order_id,
    returns) and `sessions` (session_source, session_medium, sessions) CTEs, every pair's
    channel group by the project's macro default_channel_groups (the seed's rules) and the
    totals per group, as the model channel_revenue sums them. -#}
pairs as (
    select session_source, session_medium from orders
    union distinct
    select session_source, session_medium from sessions
),
groups as (
    {{ default_channel_groups('pairs') }}
),
ledger as (
    select coalesce(g.default_channel_group, 'Unassigned') as channel_group,
        0 as sessions, 1 as orders, o.amount as net_revenue
    from orders as o
    left join groups as g
        on o.session_source = g.session_source and o.session_medium = g.session_medium
    where o.sales_date >= %(start)s and o.sales_date < %(end)s
    union all
    select coalesce(g.default_channel_group, 'Unassigned'), s.sessions, 0, 0
    from sessions as s
    left join groups as g
        on s.session_source = g.session_source and s.session_medium = g.session_medium
    union all
    select coalesce(g.default_channel_group, 'Unassigned'), 0, 0, -r.returns
    from refunds as r
    left join orders as o on r.order_id = o.order_id
    left join groups as g
        on o.session_source = g.session_source and o.session_medium = g.session_medium
    settings join_use_nulls = 1
)
select channel_group as default_channel_group, sum(sessions) as sessions,
    sum(orders) as orders, sum(net_revenue) as net_revenue
from ledger
group by default_channel_group
order by net_revenue desc, default_channel_group
