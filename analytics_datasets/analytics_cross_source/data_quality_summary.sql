{#- The curated layer's data-quality counts in one place, per source database, curated model
    and issue: rows kept with a field that could not be parsed (their `_dq_issues` entries),
    and raw rows or child records left out because they carry no key (listed one by one in
    shopify__data_quality and klaviyo__unkeyed_rows). Refreshable: reading every curated table
    with FINAL at query time took 2.4 s at scale 10, too slow for a dashboard. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_name, curated_model, issue_kind, issue)',
    )
}}

{#- every curated materialized view whose rows carry `_dq_issues` (views over them repeat
    it); the source is the name's prefix -#}
{%- set issue_models = [
    'shopify__abandoned_checkout_lines',
    'shopify__abandoned_checkouts',
    'shopify__customers',
    'shopify__discount_codes',
    'shopify__fulfillments',
    'shopify__inventory_items',
    'shopify__inventory_levels',
    'shopify__order_adjustments',
    'shopify__order_discount_codes',
    'shopify__order_lines',
    'shopify__orders',
    'shopify__product_variants',
    'shopify__products',
    'shopify__refund_lines',
    'shopify__refunds',
    'shopify__transactions',
    'klaviyo__campaign_messages',
    'klaviyo__campaigns',
    'klaviyo__events',
    'klaviyo__flows',
    'klaviyo__lists',
    'klaviyo__metrics',
    'klaviyo__profiles',
    'ga4__daily_active_users',
    'ga4__devices',
    'ga4__event_items',
    'ga4__events',
    'ga4__events_report',
    'ga4__four_weekly_active_users',
    'ga4__locations',
    'ga4__pages',
    'ga4__traffic_sources',
    'ga4__website_overview',
    'ga4__weekly_active_users',
] %}

with

{% for issue_model in issue_models %}
    {{ issue_model }}_issues as (
        select
            '{{ issue_model.split("__")[0] }}' as source_name,
            toString(source_relation) as source_relation,
            '{{ issue_model }}' as curated_model,
            'unparsed_field' as issue_kind,
            issue,
            count() as affected_rows
        from {{ current(ref(issue_model)) }}
        array join _dq_issues as issue
        group by source_relation, issue
    ),
{% endfor %}

shopify_unkeyed as (
    select
        'shopify' as source_name,
        toString(source_relation) as source_relation,
        'shopify__data_quality' as curated_model,
        'unkeyed_row' as issue_kind,
        concat(raw_table, '.', collection, ': ', issue) as issue,
        count() as affected_rows
    from {{ ref('shopify__data_quality') }}
    group by source_relation, raw_table, collection, issue
),

klaviyo_unkeyed as (
    select
        'klaviyo' as source_name,
        toString(source_relation) as source_relation,
        'klaviyo__unkeyed_rows' as curated_model,
        'unkeyed_row' as issue_kind,
        concat(stream, ': ', reason) as issue,
        count() as affected_rows
    from {{ ref('klaviyo__unkeyed_rows') }}
    group by source_relation, stream, reason
),

final as (
    {% for issue_model in issue_models %}
        select * from {{ issue_model }}_issues
        union all
    {% endfor %}
    select * from shopify_unkeyed
    union all
    select * from klaviyo_unkeyed
)

select * from final
