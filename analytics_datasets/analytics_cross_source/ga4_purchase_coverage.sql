{#- How much of Shopify's web sales GA4 saw: per shop, GA4 property and day, Shopify's web
    orders beside the GA4 export's purchase transactions, matched on transaction_id = the
    order field the var ga4_transaction_id_field names. Consent banners and blockers hide a
    share of purchases from GA4; coverage_rate says how large, so that every GA4 conversion
    figure can be read with it. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, property_id, coverage_date)',
    )
}}

{%- set transaction_keys = {
    'id': 'toString(order_sales.order_id)',
    'name': 'order_sales.order_name',
    'order_number': 'toString(orders.order_number)',
} -%}
{%- set transaction_field = var('ga4_transaction_id_field') -%}
{%- if transaction_field not in transaction_keys -%}
    {{ exceptions.raise_compiler_error(
        "var ga4_transaction_id_field must be one of " ~ (transaction_keys.keys() | list)
        ~ ", got: " ~ transaction_field
    ) }}
{%- endif %}

with

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
    {# Shopify's online store channel: the orders a storefront tag can see #}
    where source_name = 'web'
),

{%- if transaction_field == 'order_number' %}

{# the order number is not in the sales ledger #}
orders as (
    select * from {{ current(ref('shopify__orders')) }}
),
{%- endif %}

{# the export's purchase events, read from the commerce events (a few rows through their key)
   instead of every curated event #}
purchase_events as (
    select * from {{ ref('int_ga4__commerce_events') }}
    where event_name = 'purchase'
),

property_shops as (
    select * from {{ ref('int_ga4__property_shops_matched') }}
),

dated_purchases as (
    select
        property_id,
        transaction_id,
        event_at,
        {# the first sent, in the order that flags the others repeated (is_repeated_purchase);
           the event key settles a tie deterministically #}
        tuple(event_order, event_key) as purchase_order,
        {# a malformed event_date (flagged in curated) falls back to the UTC day #}
        assumeNotNull(coalesce(event_date, toDate(event_at, 'UTC'))) as purchase_date,
        coalesce(purchase_revenue, toDecimal128(0, 9)) as revenue
    from purchase_events
    where coalesce(event_date, toDate(event_at, 'UTC')) is not null
),

{# a transaction counts once however often its purchase was sent: its first event dates it #}
transactions as (
    select
        property_id,
        assumeNotNull(transaction_id) as transaction_id,
        argMin(purchase_date, purchase_order) as purchase_date,
        argMin(revenue, purchase_order) as revenue
    from dated_purchases
    where transaction_id is not null
    group by property_id, transaction_id
),

web_orders as (
    select
        order_sales.source_relation as source_relation,
        order_sales.order_id as order_id,
        order_sales.sales_date as sales_date,
        order_sales.gross_after_discounts as revenue,
        {{ transaction_keys[transaction_field] }} as transaction_key
    from order_sales
    {%- if transaction_field == 'order_number' %}
    left join orders
        on
            order_sales.source_relation = orders.source_relation
            and order_sales.order_id = orders.order_id
    {%- endif %}
),

{# each web order against each property that measures its shop, from the property's first day #}
order_matches as (
    select
        web_orders.source_relation as source_relation,
        property_shops.property_id as property_id,
        web_orders.sales_date as coverage_date,
        web_orders.revenue as shopify_revenue,
        transactions.transaction_id as transaction_id,
        transactions.revenue as ga4_revenue
    from web_orders
    inner join property_shops
        on web_orders.source_relation = property_shops.source_relation
    left join transactions
        on
            property_shops.property_id = transactions.property_id
            and web_orders.transaction_key = transactions.transaction_id
    where web_orders.sales_date >= property_shops.first_export_date
    settings join_use_nulls = 1
),

matched_transactions as (
    select distinct
        property_id,
        assumeNotNull(transaction_id) as transaction_id
    from order_matches
    where transaction_id is not null
),

{# one row per measure and fact; a property no shop's products match keeps its purchases,
   under the shop '' #}
ledger as (
    select
        source_relation,
        property_id,
        coverage_date,
        toUInt64(1) as web_order_count,
        toUInt64(transaction_id is not null) as matched_count,
        toUInt64(transaction_id is not null) as transaction_count,
        toUInt64(0) as ga4_only_count,
        toUInt64(0) as no_id_count,
        if(transaction_id is null, toDecimal128(0, 9), shopify_revenue) as shopify_matched_amount,
        if(transaction_id is null, shopify_revenue, toDecimal128(0, 9)) as shopify_unmatched_amount,
        toDecimal128(coalesce(ga4_revenue, 0), 9) as ga4_matched_amount,
        toDecimal128(0, 9) as ga4_unmatched_amount,
        toDecimal128(0, 9) as no_id_amount
    from order_matches
    union all
    select
        coalesce(property_shops.source_relation, '') as source_relation,
        transactions.property_id as property_id,
        transactions.purchase_date as coverage_date,
        toUInt64(0) as web_order_count,
        toUInt64(0) as matched_count,
        toUInt64(1) as transaction_count,
        toUInt64(1) as ga4_only_count,
        toUInt64(0) as no_id_count,
        toDecimal128(0, 9) as shopify_matched_amount,
        toDecimal128(0, 9) as shopify_unmatched_amount,
        toDecimal128(0, 9) as ga4_matched_amount,
        toDecimal128(transactions.revenue, 9) as ga4_unmatched_amount,
        toDecimal128(0, 9) as no_id_amount
    from transactions
    left join property_shops
        on transactions.property_id = property_shops.property_id
    where (transactions.property_id, transactions.transaction_id) not in (
        select
            matched_transactions.property_id,
            matched_transactions.transaction_id
        from matched_transactions
    )
    union all
    {# a purchase without transaction_id can be matched to no order: counted on its own #}
    select
        coalesce(property_shops.source_relation, '') as source_relation,
        dated_purchases.property_id as property_id,
        dated_purchases.purchase_date as coverage_date,
        toUInt64(0) as web_order_count,
        toUInt64(0) as matched_count,
        toUInt64(0) as transaction_count,
        toUInt64(0) as ga4_only_count,
        toUInt64(1) as no_id_count,
        toDecimal128(0, 9) as shopify_matched_amount,
        toDecimal128(0, 9) as shopify_unmatched_amount,
        toDecimal128(0, 9) as ga4_matched_amount,
        toDecimal128(0, 9) as ga4_unmatched_amount,
        toDecimal128(dated_purchases.revenue, 9) as no_id_amount
    from dated_purchases
    left join property_shops
        on dated_purchases.property_id = property_shops.property_id
    where dated_purchases.transaction_id is null
    settings join_use_nulls = 1
),

final as (
    select
        source_relation,
        property_id,
        coverage_date,
        sum(web_order_count) as shopify_web_orders,
        sum(transaction_count) as ga4_transactions,
        sum(matched_count) as matched_orders,
        shopify_web_orders - matched_orders as shopify_orders_unseen_by_ga4,
        sum(ga4_only_count) as ga4_transactions_without_order,
        sum(no_id_count) as ga4_purchases_without_transaction_id,
        toDecimal128(sum(shopify_matched_amount), 9) as matched_shopify_revenue,
        toDecimal128(sum(ga4_matched_amount), 9) as matched_ga4_revenue,
        toDecimal128(sum(shopify_unmatched_amount), 9) as unseen_shopify_revenue,
        toDecimal128(sum(ga4_unmatched_amount), 9) as ga4_revenue_without_order,
        toDecimal128(sum(no_id_amount), 9) as ga4_revenue_without_transaction_id,
        if(shopify_web_orders = 0, null, matched_orders / shopify_web_orders) as coverage_rate
    from ledger
    group by source_relation, property_id, coverage_date
)

select * from final
