{#- The change log of the Shopify sales models: one row per curated order, order line, refund,
    refund line and order adjustment inserted, with its order (and refund), the day its version
    places the sale or refund on, and when it was inserted. Insert-triggered on the curated
    tables, so the incremental states find the keys new rows touch without reading whole
    curated tables; every version's day is kept, so a recompute also reaches the day an updated
    order or refund left. Not backfilled (config backfill: false): a backfill's partition swap
    inserts nothing, so `make backfill` ends with a full recompute of the analytics. -#}
{{ config(**incremental_log_config()) }}

{#- (curated model, its refund id, the day its row places the sale or refund on) per logged table -#}
{%- set logged = [
    ('shopify__orders', none, 'toDate(' ~ shopify_ordered_at() ~ ', ' ~ reporting_timezone() ~ ')'),
    ('shopify__order_lines', none, none),
    ('shopify__refunds', 'refund_id', 'toDate(' ~ shopify_refunded_at() ~ ', ' ~ reporting_timezone() ~ ')'),
    ('shopify__refund_lines', 'refund_id', none),
    ('shopify__order_adjustments', 'refund_id', none),
] -%}

{% for model_name, refund_id, sales_date in logged -%}
    --{{ model_name | replace('shopify__', '') }}:begin
    select
        source_relation,
        {# a refund may name no order (curated flags it): 0 #}
        coalesce(order_id, 0) as order_id,
        {{ 'toNullable(' ~ refund_id ~ ')' if refund_id else 'cast(null as Nullable(Int64))' }} as refund_id,
        {{ sales_date or 'cast(null as Nullable(Date))' }} as sales_date,
        now64(3, 'UTC') as _changed_at
    from {{ ref(model_name) }}
    --{{ model_name | replace('shopify__', '') }}:end
    {% if not loop.last %}union all{% endif %}
{% endfor %}
