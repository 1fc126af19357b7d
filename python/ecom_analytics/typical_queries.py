"""The typical dashboard query of each analytics model, in one place.

`TYPICAL_QUERIES` maps an analytics model to the question a dashboard asks it most (a month of
daily sales for one shop, the top campaigns by revenue, the flagged products, ...), written as
a plain read of the model (no FINAL, no -Merge). For a few representative models it also
holds the same question answered from the curated tables and from raw, which is what the
analytics layer saves every reader: `ecom bench` times all three (median of 20 runs).

Queries take clickhouse-connect parameters: `shop`, `account`, `property` (the source_relation
of one shop, Klaviyo account and GA4 property: their raw database names), `start` and `end`
(a date range, `end` exclusive) and `timezone` (the `reporting_timezone` var).

The curated and raw formulations follow the model's definitions in plain SQL (deduplicating
with FINAL, parsing raw JSON where raw holds it); they skip the models' data-quality
fallbacks, so on bad input rows their figures can differ slightly from the model's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TypicalQuery:
    question: str
    analytics: str
    curated: str | None = None
    raw: str | None = None
    # whether the three formulations give the same rows (the columns they share); not so for
    # an answer that depends on when it is read
    comparable: bool = True


_SHOP = "source_relation = %(shop)s"
_ACCOUNT = "source_relation = %(account)s"
_PROPERTY = "source_relation = %(property)s"

# GA4's default channel group of each (session_source, session_medium) of `pairs`, by the seed's
# rules (the macro default_channel_groups, for the curated and raw formulations)
_CHANNEL_GROUPS = """
    select
        pairs.session_source as session_source,
        pairs.session_medium as session_medium,
        argMin(rules.channel_group, rules.priority) as channel_group
    from (select distinct session_source, session_medium from {pairs}) as pairs
    cross join (select * from merge(REGEXP('.*'), '^ga4_default_channel_groups$')) as rules
    where if(
        rules.match_mode = 'any',
        match(lower(pairs.session_source), rules.source_pattern)
        or match(lower(pairs.session_medium), rules.medium_pattern),
        match(lower(pairs.session_source), rules.source_pattern)
        and match(lower(pairs.session_medium), rules.medium_pattern)
    )
    group by session_source, session_medium
"""


def _json_decimal(json: str, key: str) -> str:
    return f"toDecimal128OrZero(replaceAll(JSONExtractRaw({json}, '{key}'), '\"', ''), 9)"


# The end of the daily-sales formulations: Shopify's measures per day from a `ledger` CTE of
# orders and refunds (sales_date, orders, gross, discounts, returns, shipping, taxes)
_DAILY_SALES_FROM_LEDGER = """
            select
                sales_date,
                sum(orders) as orders,
                sum(gross) - sum(discounts) - sum(returns) as net_sales,
                if(orders = 0, null, (sum(gross) - sum(discounts)) / orders) as average_order_value,
                net_sales + sum(shipping) + sum(taxes) as total_sales
            from ledger
            where sales_date >= %(start)s and sales_date < %(end)s
            group by sales_date
            order by sales_date
"""

# The end of the channel-revenue formulations: from `orders` (session_source, session_medium,
# sales_date, amount), `refunds` (order_id, returns) and `sessions` (session_source,
# session_medium, sessions) CTEs, every pair's channel group and the totals per group
_CHANNEL_REVENUE_FROM_LEDGER = f"""
            pairs as (
                select session_source, session_medium from orders
                union distinct
                select session_source, session_medium from sessions
            ),
            groups as ({_CHANNEL_GROUPS.format(pairs="pairs")}),
            ledger as (
                select coalesce(g.channel_group, 'Unassigned') as channel_group,
                    0 as sessions, 1 as orders, o.amount as net_revenue
                from orders as o
                left join groups as g
                    on o.session_source = g.session_source and o.session_medium = g.session_medium
                where o.sales_date >= %(start)s and o.sales_date < %(end)s
                union all
                select coalesce(g.channel_group, 'Unassigned'), s.sessions, 0, 0
                from sessions as s
                left join groups as g
                    on s.session_source = g.session_source and s.session_medium = g.session_medium
                union all
                select coalesce(g.channel_group, 'Unassigned'), 0, 0, -r.returns
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
"""


TYPICAL_QUERIES: dict[str, TypicalQuery] = {
    "shopify_daily_sales": TypicalQuery(
        question="a month of daily sales for one shop",
        analytics=f"""
            select sales_date, orders, net_sales, average_order_value, total_sales
            from shopify_analytics.shopify_daily_sales
            where {_SHOP} and sales_date >= %(start)s and sales_date < %(end)s
            order by sales_date
        """,
        curated=f"""
            with
            orders as (
                select * from data_shopify.orders final
                where {_SHOP} and not is_test
            ),
            lines as (
                select l.order_id as order_id, sum(l.price * l.quantity) as gross,
                    count() as keyed_lines
                from data_shopify.order_lines as l final
                inner join orders as o on l.order_id = o.order_id and l.updated_at = o.updated_at
                where l.{_SHOP}
                group by l.order_id
            ),
            ledger as (
                select
                    toDate(assumeNotNull(coalesce(o.processed_at, o.created_at, o.updated_at)),
                        %(timezone)s) as sales_date,
                    1 as orders,
                    toDecimal128(if(
                        has(o._dq_issues, 'malformed_line_items_json')
                        or coalesce(lines.keyed_lines, 0) != o.line_item_count,
                        coalesce(o.total_line_items_price, 0),
                        lines.gross
                    ), 9) as gross,
                    toDecimal128(coalesce(o.total_discounts, 0), 9) as discounts,
                    toDecimal128(0, 9) as returns,
                    toDecimal128(o.shipping_price, 9) as shipping,
                    toDecimal128(coalesce(o.total_tax, 0), 9) as taxes
                from orders as o
                left join lines on o.order_id = lines.order_id
                union all
                select
                    toDate(coalesce(r.processed_at, r.created_at), %(timezone)s),
                    0,
                    toDecimal128(0, 9),
                    toDecimal128(0, 9),
                    toDecimal128(r.refund_lines_subtotal, 9),
                    toDecimal128(coalesce(a.shipping, 0), 9),
                    toDecimal128(coalesce(a.shipping_tax, 0) - r.refund_lines_tax, 9)
                from data_shopify.refunds as r final
                left join (
                    select
                        refund_id,
                        sumIf(amount, kind = 'shipping_refund') as shipping,
                        sumIf(coalesce(tax_amount, 0), kind = 'shipping_refund') as shipping_tax
                    from data_shopify.order_adjustments final
                    where {_SHOP}
                    group by refund_id
                ) as a on r.refund_id = a.refund_id
                where r.{_SHOP}
            )
            {_DAILY_SALES_FROM_LEDGER}
        """,
        raw=f"""
            with
            orders as (
                select
                    toDate(assumeNotNull(coalesce(processed_at, created_at, updated_at)),
                        %(timezone)s) as sales_date,
                    1 as orders,
                    JSONExtractArrayRaw(coalesce(line_items, '')) as lines,
                    if(
                        not isValidJSON(coalesce(line_items, ''))
                        or arrayExists(line -> JSONExtractInt(line, 'id') = 0, lines),
                        toDecimal128(coalesce(total_line_items_price, 0), 9),
                        arraySum(
                            line -> {_json_decimal("line", "price")}
                                * JSONExtractInt(line, 'quantity'),
                            lines
                        )
                    ) as gross,
                    toDecimal128(coalesce(total_discounts, 0), 9) as discounts,
                    toDecimal128(0, 9) as returns,
                    arraySum(
                        line -> {_json_decimal("line", "price")},
                        JSONExtractArrayRaw(coalesce(shipping_lines, '[]'))
                    ) as shipping,
                    toDecimal128(coalesce(total_tax, 0), 9) as taxes
                from raw_shopify.orders final
                where not coalesce(test, false)
            ),
            refunds as (
                select
                    toDate(coalesce(processed_at, created_at), %(timezone)s) as sales_date,
                    0 as orders,
                    toDecimal128(0, 9) as gross,
                    toDecimal128(0, 9) as discounts,
                    arraySum(
                        line -> {_json_decimal("line", "subtotal")},
                        JSONExtractArrayRaw(coalesce(refund_line_items, '[]'))
                    ) as returns,
                    JSONExtractArrayRaw(coalesce(order_adjustments, '[]')) as adjustments,
                    arraySum(
                        a -> if(JSONExtractString(a, 'kind') = 'shipping_refund',
                            {_json_decimal("a", "amount")}, 0),
                        adjustments
                    ) as shipping,
                    arraySum(
                        a -> if(JSONExtractString(a, 'kind') = 'shipping_refund',
                            {_json_decimal("a", "tax_amount")}, 0),
                        adjustments
                    ) - arraySum(
                        line -> {_json_decimal("line", "total_tax")},
                        JSONExtractArrayRaw(coalesce(refund_line_items, '[]'))
                    ) as taxes
                from raw_shopify.order_refunds final
            ),
            ledger as (
                select * except (lines) from orders
                union all
                select * except (adjustments) from refunds
            )
            {_DAILY_SALES_FROM_LEDGER}
        """,
    ),
    "klaviyo_campaign_performance": TypicalQuery(
        question="top 10 campaigns by attributed revenue, sent in the month",
        analytics=f"""
            select campaign_name, channel, send_time, recipients, open_rate, click_rate,
                attributed_orders, attributed_revenue
            from klaviyo_analytics.klaviyo_campaign_performance
            where {_ACCOUNT} and send_time >= %(start)s and send_time < %(end)s
            order by attributed_revenue desc, campaign_name
            limit 10
        """,
        curated=f"""
            with
            placed as (
                select id from data_klaviyo.metrics final
                where {_ACCOUNT} and name = 'Placed Order'
            ),
            attributed as (
                select
                    order_id,
                    argMax(attributed_message_id, occurred_at) as message_id,
                    argMax(coalesce(value, 0), occurred_at) as order_value
                from data_klaviyo.events final
                where {_ACCOUNT} and metric_id in (select id from placed)
                    and coalesce(attributed_message_id, '') != ''
                    and coalesce(attributed_flow_id, '') = ''
                group by order_id
            ),
            revenue as (
                select message_id, count() as orders, sum(order_value) as revenue
                from attributed
                group by message_id
            )
            select c.name as campaign_name, c.send_time as send_time,
                revenue.orders as attributed_orders, revenue.revenue as attributed_revenue
            from data_klaviyo.campaigns as c final
            inner join (
                select distinct message_id from data_klaviyo.events
                where {_ACCOUNT} and coalesce(message_id, '') != ''
            ) as sent on c.message_id = sent.message_id
            left join revenue on c.message_id = revenue.message_id
            where c.{_ACCOUNT} and c.send_time >= %(start)s and c.send_time < %(end)s
            order by attributed_revenue desc, campaign_name
            limit 10
        """,
        raw="""
            with
            placed as (
                select id from raw_klaviyo.metrics final
                where JSONExtractString(attributes, 'name') = 'Placed Order'
            ),
            events as (
                select
                    datetime as occurred_at,
                    JSONExtractString(attributes, 'event_properties', '$attributed_message')
                        as event_message_id,
                    JSONExtractString(attributes, 'event_properties', '$attributed_flow')
                        as event_flow_id,
                    JSONExtractString(attributes, 'event_properties', '$event_id') as order_id,
                    toDecimal128OrZero(JSONExtractRaw(attributes, 'event_properties', '$value'), 9)
                        as event_value
                from raw_klaviyo.events final
                where JSONExtractString(relationships, 'metric', 'data', 'id')
                    in (select id from placed)
            ),
            attributed as (
                select
                    order_id,
                    argMax(event_message_id, occurred_at) as message_id,
                    argMax(event_value, occurred_at) as order_value
                from events
                where event_message_id != '' and event_flow_id = ''
                group by order_id
            ),
            revenue as (
                select message_id, count() as orders, sum(order_value) as revenue
                from attributed
                group by message_id
            ),
            campaigns as (
                select
                    JSONExtractString(attributes, 'name') as campaign_name,
                    JSONExtractString(attributes, 'message') as message_id,
                    parseDateTime64BestEffortOrNull(JSONExtractString(attributes, 'send_time'), 3)
                        as send_time
                from raw_klaviyo.campaigns final
            )
            select campaigns.campaign_name as campaign_name, campaigns.send_time as send_time,
                coalesce(revenue.orders, 0) as attributed_orders,
                coalesce(revenue.revenue, 0) as attributed_revenue
            from campaigns
            inner join (
                select distinct
                    JSONExtractString(attributes, 'event_properties', '$message') as message_id
                from raw_klaviyo.events
            ) as sent on campaigns.message_id = sent.message_id
            left join revenue on campaigns.message_id = revenue.message_id
            where campaigns.send_time >= %(start)s and campaigns.send_time < %(end)s
            order by attributed_revenue desc, campaign_name
            limit 10
        """,
    ),
    "channel_revenue": TypicalQuery(
        question="a month of sessions, orders and net revenue per channel group",
        analytics="""
            select default_channel_group, sum(sessions) as sessions, sum(orders) as orders,
                sum(net_revenue) as net_revenue
            from cross_source_analytics.channel_revenue
            where revenue_date >= %(start)s and revenue_date < %(end)s
            group by default_channel_group
            order by net_revenue desc, default_channel_group
        """,
        curated=f"""
            with
            orders as (
                select
                    order_id,
                    toDate(assumeNotNull(coalesce(processed_at, created_at, updated_at)),
                        %(timezone)s) as sales_date,
                    domain(coalesce(referring_site, '')) as host,
                    multiIf(utm_source is not null or utm_medium is not null,
                        lower(coalesce(utm_source, '(not set)')), host != '', host, '(direct)')
                        as session_source,
                    multiIf(utm_source is not null or utm_medium is not null,
                        lower(coalesce(utm_medium, '(not set)')), host != '', 'referral', '(none)')
                        as session_medium,
                    coalesce(total_line_items_price, 0) - coalesce(total_discounts, 0) as amount
                from data_shopify.orders final
                where not is_test
            ),
            refunds as (
                select order_id, refund_lines_subtotal as returns
                from data_shopify.refunds final
                where toDate(coalesce(processed_at, created_at), %(timezone)s) >= %(start)s
                    and toDate(coalesce(processed_at, created_at), %(timezone)s) < %(end)s
                    and order_id not in (select order_id from data_shopify.orders final
                        where is_test)
            ),
            sessions as (
                select session_source, session_medium, sum(sessions) as sessions
                from data_ga4.traffic_sources final
                where date >= %(start)s and date < %(end)s
                group by session_source, session_medium
            ),
            {_CHANNEL_REVENUE_FROM_LEDGER}
        """,
        raw=f"""
            with
            orders as (
                select
                    id as order_id,
                    toDate(assumeNotNull(coalesce(processed_at, created_at, updated_at)),
                        %(timezone)s) as sales_date,
                    extractURLParameter(coalesce(landing_site, ''), 'utm_source') as utm_source,
                    extractURLParameter(coalesce(landing_site, ''), 'utm_medium') as utm_medium,
                    domain(coalesce(referring_site, '')) as host,
                    multiIf(utm_source != '' or utm_medium != '',
                        lower(if(utm_source = '', '(not set)', utm_source)),
                        host != '', host, '(direct)') as session_source,
                    multiIf(utm_source != '' or utm_medium != '',
                        lower(if(utm_medium = '', '(not set)', utm_medium)),
                        host != '', 'referral', '(none)') as session_medium,
                    coalesce(total_line_items_price, 0) - coalesce(total_discounts, 0) as amount
                from raw_shopify.orders final
                where not coalesce(test, false)
            ),
            refunds as (
                select
                    order_id,
                    arraySum(
                        line -> {_json_decimal("line", "subtotal")},
                        JSONExtractArrayRaw(coalesce(refund_line_items, '[]'))
                    ) as returns
                from raw_shopify.order_refunds final
                where toDate(coalesce(processed_at, created_at), %(timezone)s) >= %(start)s
                    and toDate(coalesce(processed_at, created_at), %(timezone)s) < %(end)s
                    and order_id not in (select id from raw_shopify.orders final
                        where coalesce(test, false))
            ),
            sessions as (
                select sessionSource as session_source, sessionMedium as session_medium,
                    sum(sessions) as sessions
                from raw_ga4.traffic_sources final
                where parseDateTimeOrNull(date, '%%Y%%m%%d') >= %(start)s
                    and parseDateTimeOrNull(date, '%%Y%%m%%d') < %(end)s
                group by session_source, session_medium
            ),
            {_CHANNEL_REVENUE_FROM_LEDGER}
        """,
    ),
    "data_freshness": TypicalQuery(
        question="every raw table's status, worst first",
        comparable=False,
        analytics="""
            select source_name, source_table, last_loaded_at, lag_minutes, status
            from cross_source_analytics.data_freshness
            order by status = 'fresh', lag_minutes desc
        """,
        curated="""
            select _database as curated_database, _table as curated_table,
                max(_loaded_at) as last_loaded_at,
                round(dateDiff('millisecond', last_loaded_at, now64(3, 'UTC')) / 60000, 1)
                    as lag_minutes
            from merge(REGEXP('^data_(shopify|klaviyo|ga4)$'), '^[a-z]')
            group by curated_database, curated_table
            order by lag_minutes desc
        """,
        raw="""
            select _database as source_database, _table as source_table,
                max(_airbyte_extracted_at) as last_loaded_at,
                round(dateDiff('millisecond', last_loaded_at, now64(3)) / 60000, 1) as lag_minutes
            from merge(REGEXP('^raw_(shopify|klaviyo|ga4)$'), '.*')
            group by source_database, source_table
            order by lag_minutes desc
        """,
    ),
    "ga4_active_users": TypicalQuery(
        question="a month of DAU, WAU, MAU and stickiness for one property",
        analytics=f"""
            select activity_date, daily_active_users, weekly_active_users,
                monthly_active_users, stickiness
            from ga4_analytics.ga4_active_users
            where {_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            order by activity_date
        """,
        curated=f"""
            select d.date as activity_date, d.active_users as daily_active_users,
                w.active_users as weekly_active_users, m.active_users as monthly_active_users,
                if(m.active_users > 0, d.active_users / m.active_users, null) as stickiness
            from data_ga4.daily_active_users as d final
            left join data_ga4.weekly_active_users as w final
                on d.property_id = w.property_id and d.date_text = w.date_text
                and w.{_PROPERTY}
            left join data_ga4.four_weekly_active_users as m final
                on d.property_id = m.property_id and d.date_text = m.date_text
                and m.{_PROPERTY}
            where d.{_PROPERTY} and d.date >= %(start)s and d.date < %(end)s
            order by activity_date
            settings join_use_nulls = 1
        """,
        raw="""
            with
            daily as (
                select property_id, date, active1DayUsers as users
                from raw_ga4.daily_active_users final
            ),
            weekly as (
                select property_id, date, active7DayUsers as users
                from raw_ga4.weekly_active_users final
            ),
            monthly as (
                select property_id, date, active28DayUsers as users
                from raw_ga4.four_weekly_active_users final
            )
            select toDate(parseDateTimeOrNull(d.date, '%%Y%%m%%d')) as activity_date,
                d.users as daily_active_users, w.users as weekly_active_users,
                m.users as monthly_active_users,
                if(m.users > 0, d.users / m.users, null) as stickiness
            from daily as d
            left join weekly as w on d.property_id = w.property_id and d.date = w.date
            left join monthly as m on d.property_id = m.property_id and d.date = m.date
            where activity_date >= %(start)s and activity_date < %(end)s
            order by activity_date
            settings join_use_nulls = 1
        """,
    ),
    "shopify_monthly_sales": TypicalQuery(
        question="the last twelve months of sales for one shop",
        analytics=f"""
            select sales_month, orders, net_sales, average_order_value
            from shopify_analytics.shopify_monthly_sales
            where {_SHOP} order by sales_month desc limit 12
        """,
    ),
    "shopify_hourly_orders": TypicalQuery(
        question="orders and net sales by hour over the last 7 days",
        analytics=f"""
            select order_hour, orders, net_sales
            from shopify_analytics.shopify_hourly_orders
            where {_SHOP} order by order_hour
        """,
    ),
    "shopify_customer_value": TypicalQuery(
        question="customers and lifetime net sales per RFM segment",
        analytics=f"""
            select rfm_segment, count() as customers, sum(lifetime_net_sales) as net_sales
            from shopify_analytics.shopify_customer_value
            where {_SHOP} group by rfm_segment order by net_sales desc
        """,
    ),
    "shopify_customer_cohorts": TypicalQuery(
        question="the retention heat map of one shop",
        analytics=f"""
            select cohort_month, months_since_first_order, retention_rate
            from shopify_analytics.shopify_customer_cohorts
            where {_SHOP} order by cohort_month, months_since_first_order
        """,
    ),
    "shopify_product_performance": TypicalQuery(
        question="top 20 products by net revenue in the month",
        analytics=f"""
            select product_id, sum(units) as units, sum(net_revenue) as net_revenue
            from shopify_analytics.shopify_product_performance
            where {_SHOP} and sales_date >= %(start)s and sales_date < %(end)s
            group by product_id order by net_revenue desc limit 20
        """,
    ),
    "shopify_abandoned_checkout_recovery": TypicalQuery(
        question="a month of checkout recovery for one shop",
        analytics=f"""
            select checkout_date, checkouts, recovered, recovery_rate, revenue_lost
            from shopify_analytics.shopify_abandoned_checkout_recovery
            where {_SHOP} and checkout_date >= %(start)s and checkout_date < %(end)s
            order by checkout_date
        """,
    ),
    "shopify_discount_performance": TypicalQuery(
        question="top 20 discount codes by orders",
        analytics=f"""
            select code, orders, discount_amount, net_sales, average_order_value
            from shopify_analytics.shopify_discount_performance
            where {_SHOP} order by orders desc, code limit 20
        """,
    ),
    "shopify_inventory_health": TypicalQuery(
        question="variants out of stock or with under two weeks of cover",
        analytics=f"""
            select variant_id, sku, available, days_of_cover, is_stockout
            from shopify_analytics.shopify_inventory_health
            where {_SHOP} and (is_stockout or days_of_cover < 14)
            order by days_of_cover limit 50
        """,
    ),
    "klaviyo_flow_performance": TypicalQuery(
        question="flows by attributed revenue",
        analytics=f"""
            select flow_name, channel, sum(recipients) as recipients,
                sum(attributed_revenue) as attributed_revenue
            from klaviyo_analytics.klaviyo_flow_performance
            where {_ACCOUNT} group by flow_name, channel order by attributed_revenue desc
        """,
    ),
    "marketing_attribution": TypicalQuery(
        question="the three attribution methods side by side over the month",
        analytics=f"""
            select attribution_method, channel, sum(attributed_orders) as orders,
                sum(attributed_revenue) as revenue
            from cross_source_analytics.marketing_attribution
            where {_ACCOUNT} and attribution_date >= %(start)s and attribution_date < %(end)s
            group by attribution_method, channel order by attribution_method, channel
        """,
    ),
    "klaviyo_customer_lifecycle": TypicalQuery(
        question="profiles per lifecycle stage",
        analytics=f"""
            select lifecycle_stage, count() as profiles, sum(historic_revenue) as revenue
            from klaviyo_analytics.klaviyo_customer_lifecycle
            where {_ACCOUNT} group by lifecycle_stage order by profiles desc
        """,
    ),
    "klaviyo_daily_event_summary": TypicalQuery(
        question="a month of events per metric and day",
        analytics=f"""
            select event_date, metric_name, events, unique_profiles
            from klaviyo_analytics.klaviyo_daily_event_summary
            where {_ACCOUNT} and event_date >= %(start)s and event_date < %(end)s
            order by event_date, metric_name
        """,
    ),
    "klaviyo_segment_performance": TypicalQuery(
        question="lists and segments by 30-day revenue",
        analytics=f"""
            select audience_type, audience_name, members, revenue_30d, conversion_rate_30d
            from klaviyo_analytics.klaviyo_segment_performance
            where {_ACCOUNT} order by revenue_30d desc limit 20
        """,
    ),
    "klaviyo_hourly_engagement": TypicalQuery(
        question="open and click rates by day of week and hour",
        analytics=f"""
            select day_of_week, hour, sum(sends) as sends, sum(unique_opens) as opens
            from klaviyo_analytics.klaviyo_hourly_engagement
            where {_ACCOUNT} group by day_of_week, hour order by day_of_week, hour
        """,
    ),
    "ga4_traffic_overview": TypicalQuery(
        question="a month of sessions, users and engagement for one property",
        analytics=f"""
            select activity_date, sessions, users, page_views, engagement_rate
            from ga4_analytics.ga4_traffic_overview
            where {_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            order by activity_date
        """,
    ),
    "ga4_channel_performance": TypicalQuery(
        question="sessions per channel group over the month",
        analytics=f"""
            select default_channel_group, sum(sessions) as sessions,
                sum(engaged_sessions) as engaged_sessions
            from ga4_analytics.ga4_channel_performance
            where {_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            group by default_channel_group order by sessions desc
        """,
    ),
    "ga4_device_performance": TypicalQuery(
        question="sessions per device category over the month",
        analytics=f"""
            select device_category, sum(sessions) as sessions, sum(page_views) as page_views
            from ga4_analytics.ga4_device_performance
            where {_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            group by device_category order by sessions desc
        """,
    ),
    "ga4_location_performance": TypicalQuery(
        question="top 20 countries by sessions over the month",
        analytics=f"""
            select country, sum(sessions) as sessions
            from ga4_analytics.ga4_location_performance
            where {_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            group by country order by sessions desc limit 20
        """,
    ),
    "ga4_page_views": TypicalQuery(
        question="top 20 product pages by views over the month",
        analytics=f"""
            select product_handle, sum(page_views) as page_views
            from ga4_analytics.ga4_page_views
            where {_PROPERTY} and is_product_page
                and activity_date >= %(start)s and activity_date < %(end)s
            group by product_handle order by page_views desc limit 20
        """,
    ),
    "product_engagement": TypicalQuery(
        question="the flagged products (top engagement, hidden gems, leaky, declining)",
        analytics=f"""
            select product_id, any(engagement_rank) as engagement_rank,
                max(is_top_engagement) as top, max(is_hidden_gem) as hidden_gem,
                max(is_leaky) as leaky, max(is_declining) as declining
            from cross_source_analytics.product_engagement
            where {_SHOP}
                and (is_top_engagement or is_hidden_gem or is_leaky or is_declining)
            group by product_id order by engagement_rank
        """,
    ),
    "customer_360": TypicalQuery(
        question="customers per lifecycle stage and RFM segment",
        analytics="""
            select lifecycle_stage, rfm_segment, count() as customers
            from cross_source_analytics.customer_360
            group by lifecycle_stage, rfm_segment order by customers desc
        """,
    ),
    "data_quality_summary": TypicalQuery(
        question="data-quality issues by model",
        analytics="""
            select source_name, curated_model, issue, sum(affected_rows) as affected_rows
            from cross_source_analytics.data_quality_summary
            group by source_name, curated_model, issue order by affected_rows desc
        """,
    ),
}
