{#- The incremental state behind int_shopify__refund_sales: one row per refund with what it
    takes back, by Shopify's definitions (returns, shipping and tax refunded, on the refund's
    date). Each refresh recomputes only the refunds that changed since the last one (the refund,
    its lines or its adjustments). Refunds of test orders are here too: whether an order is a
    test order is the order state's to know, and the view over both leaves them out, so an
    order that changes never reaches its refunds here. -#}
{{
    config(
        order_by='(source_relation, refund_id)',
        incremental_columns='source_relation String, refund_id Int64',
        **incremental_state_config(),
    )
}}

with

changes as (
    select * from {{ ref('int_shopify__sales_changes') }}
    where {{ incremental_new('_changed_at') }}
),

changed_refunds as (
    select distinct
        source_relation,
        assumeNotNull(refund_id) as refund_id
    from changes
    where refund_id is not null
),

refunds as (
    select * from {{ current(ref('shopify__refunds')) }}
    where {{ incremental_affected(['source_relation', 'refund_id'], 'changed_refunds') }}
),

refund_lines as (
    select
        source_relation,
        refund_id,
        sum(quantity) as units_returned
    from {{ current(ref('shopify__refund_lines')) }}
    where {{ incremental_affected(['source_relation', 'refund_id'], 'changed_refunds') }}
    group by source_relation, refund_id
),

adjustments as (
    select
        source_relation,
        refund_id,
        -sumIf(amount, kind = 'shipping_refund') as shipping_refunded,
        -sumIf(coalesce(tax_amount, 0), kind = 'shipping_refund') as shipping_tax_refunded
    from {{ current(ref('shopify__order_adjustments')) }}
    where {{ incremental_affected(['source_relation', 'refund_id'], 'changed_refunds') }}
    group by source_relation, refund_id
),

recomputed as (
    select
        refunds.source_relation as source_relation,
        refunds.refund_id as refund_id,
        refunds.order_id as order_id,
        assumeNotNull({{ shopify_refunded_at() }}) as refunded_at,
        toDate(refunded_at, {{ reporting_timezone() }}) as return_date,
        coalesce(refund_lines.units_returned, 0) as units_returned,
        {# `returns` is a keyword, and the name Shopify's reports use #}
        toDecimal128(coalesce(refunds.refund_lines_subtotal, 0), 9) as returns,  -- noqa: RF04,LT05
        toDecimal128(coalesce(adjustments.shipping_refunded, 0), 9) as shipping_refunded,
        toDecimal128(
            coalesce(refunds.refund_lines_tax, 0) + coalesce(adjustments.shipping_tax_refunded, 0), 9
        ) as tax_refunded
    from refunds
    left join refund_lines
        on refunds.source_relation = refund_lines.source_relation and refunds.refund_id = refund_lines.refund_id
    left join adjustments
        on refunds.source_relation = adjustments.source_relation and refunds.refund_id = adjustments.refund_id
    {# a refund with no date cannot be placed on a day (curated flags it) #}
    where {{ shopify_refunded_at() }} is not null
    settings join_use_nulls = 1
),

final as (
    {{ incremental_rows('recomputed', 'changed_refunds', 'changes') }}
)

select * from final
