{#- Baseline for the benchmark, not a definition: the typical question of the model
    shopify_daily_sales (the definition) answered from raw, to time what the analytics layer
    saves a reader. JSON is parsed with the project's macros (json_decimal, json_array_sum);
    the model's data-quality fallbacks are skipped, so on bad input rows its figures can
    differ slightly from the model's. -#}
with
orders as (
    select
        toDate(assumeNotNull(coalesce(processed_at, created_at, updated_at)),
            %(timezone)s) as sales_date,
        1 as orders,
        {{ json_array('line_items') }} as lines,
        if(
            not isValidJSON(coalesce(line_items, ''))
            or arrayExists(line -> JSONExtractInt(line, 'id') = 0, lines),
            toDecimal128(coalesce(total_line_items_price, 0), 9),
            arraySum(
                line -> coalesce({{ json_decimal('line', ['price']) }}, toDecimal128(0, 9))
                    * JSONExtractInt(line, 'quantity'),
                lines
            )
        ) as gross,
        toDecimal128(coalesce(total_discounts, 0), 9) as discounts,
        toDecimal128(0, 9) as returns,
        {{ json_array_sum('shipping_lines', ['price']) }} as shipping,
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
        {{ json_array_sum('refund_line_items', ['subtotal']) }} as returns,
        {{ json_array('order_adjustments') }} as adjustments,
        arraySum(
            a -> if(JSONExtractString(a, 'kind') = 'shipping_refund',
                coalesce({{ json_decimal('a', ['amount']) }}, toDecimal128(0, 9)), 0),
            adjustments
        ) as shipping,
        arraySum(
            a -> if(JSONExtractString(a, 'kind') = 'shipping_refund',
                coalesce({{ json_decimal('a', ['tax_amount']) }}, toDecimal128(0, 9)), 0),
            adjustments
        ) - {{ json_array_sum('refund_line_items', ['total_tax']) }} as taxes
    from raw_shopify.order_refunds final
),
ledger as (
    select * except (lines) from orders
    union all
    select * except (adjustments) from refunds
)
{% include '_daily_sales_from_ledger.sql' %}
