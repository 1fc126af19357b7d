{#- Baseline for the benchmark, not a definition: the typical question of the model
    ga4_purchase_coverage (the definition) answered from the curated tables, to time what the
    analytics layer saves a reader who knows which export property measures the shop: the
    month's Shopify web orders (test orders left out) matched to the property's purchase
    transactions on transaction_id = the order field of the var ga4_transaction_id_field, each
    transaction dated by its first purchase event; transactions without an order and purchase
    events without transaction_id counted on their own day. -#}
{%- set transaction_keys = {
    'id': 'toString(order_id)',
    'name': 'order_name',
    'order_number': 'toString(order_number)',
} -%}
with
web_orders as (
    select
        {{ transaction_keys[var('ga4_transaction_id_field')] }} as transaction_key,
        toDate(assumeNotNull(coalesce(processed_at, created_at, updated_at)), %(timezone)s)
            as coverage_date
    from data_shopify.orders final
    where source_relation = %(shop)s and source_name = 'web'
        and not coalesce(is_test, false)
),
purchases as (
    select
        transaction_id,
        tuple(coalesce(event_timestamp, 0), event_key) as event_order,
        coalesce(event_date, toDate(event_at, 'UTC')) as purchase_date
    from data_ga4.events final
    where source_relation = %(export_property)s and event_name = 'purchase'
        and purchase_date is not null
),
transactions as (
    select transaction_id, argMin(purchase_date, event_order) as purchase_date
    from purchases
    where transaction_id is not null
    group by transaction_id
),
order_matches as (
    select o.coverage_date as coverage_date, t.transaction_id is not null as matched,
        t.transaction_id as transaction_id
    from web_orders as o
    left join transactions as t on o.transaction_key = t.transaction_id
    where o.coverage_date >= %(start)s and o.coverage_date < %(end)s
    settings join_use_nulls = 1
),
ledger as (
    select coverage_date, 1 as web_orders, toUInt64(matched) as matched, 0 as no_id
    from order_matches
    union all
    select purchase_date as coverage_date, 0 as web_orders, 1 as matched, 0 as no_id
    from transactions
    where purchase_date >= %(start)s and purchase_date < %(end)s
        and transaction_id not in (
            select transaction_key from web_orders where transaction_key is not null
        )
    union all
    select purchase_date as coverage_date, 0 as web_orders, 0 as matched, 1 as no_id
    from purchases
    where transaction_id is null
        and purchase_date >= %(start)s and purchase_date < %(end)s
),
final as (
    select
        coverage_date,
        sum(web_orders) as shopify_web_orders,
        sumIf(matched, web_orders = 1) as matched_orders,
        sum(matched) as ga4_transactions,
        sum(no_id) as ga4_purchases_without_transaction_id,
        if(shopify_web_orders = 0, null, matched_orders / shopify_web_orders) as coverage_rate
    from ledger
    group by coverage_date
)
select * from final order by coverage_date
