{#- created_at never changes for an order, so every version lands in the same partition and
    collapses there; a missing created_at goes to a fixed partition (1970). Partitions are years,
    not months: one sync can carry orders created over many years (a bulk edit touches old
    orders; the cursor is updated_at), and one insert block may touch at most 100 partitions
    (max_partitions_per_insert_block) before the raw insert itself fails. -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, order_id)',
        partition_by="toYear(coalesce(created_at, toDateTime64(0, 3, 'UTC')))",
    )
}}

{% call(raw) for_each_raw_database('shopify', 'orders') %}
with

orders as (
    select * from {{ raw }}
),

final as (
    select
        id as order_id,
        name as order_name,
        order_number,
        customer_id,
        lower(trimBoth(email)) as email,
        lower(financial_status) as financial_status,
        lower(fulfillment_status) as fulfillment_status,
        cancel_reason,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(processed_at, 'UTC') as processed_at,
        toTimeZone(cancelled_at, 'UTC') as cancelled_at,
        toTimeZone(closed_at, 'UTC') as closed_at,
        currency,
        presentment_currency,
        subtotal_price,
        total_discounts,
        {{ json_array_sum('shipping_lines', ['price']) }} as shipping_price,
        total_tax,
        total_price,
        total_line_items_price,
        current_total_price,
        -- what the customer saw, in presentment_currency; NULL when the money set is absent
        {{ json_decimal('subtotal_price_set', ['presentment_money', 'amount']) }} as presentment_subtotal_price,
        {{ json_decimal('total_discounts_set', ['presentment_money', 'amount']) }} as presentment_total_discounts,
        {{ json_decimal('total_shipping_price_set', ['presentment_money', 'amount']) }} as presentment_shipping_price,
        {{ json_decimal('total_tax_set', ['presentment_money', 'amount']) }} as presentment_total_tax,
        {{ json_decimal('total_price_set', ['presentment_money', 'amount']) }} as presentment_total_price,
        landing_site,
        referring_site,
        source_name,
        {{ url_parameter('landing_site', 'utm_source') }} as utm_source,
        {{ url_parameter('landing_site', 'utm_medium') }} as utm_medium,
        {{ url_parameter('landing_site', 'utm_campaign') }} as utm_campaign,
        {{ url_parameter('landing_site', 'utm_content') }} as utm_content,
        {{ url_parameter('landing_site', 'utm_term') }} as utm_term,
        coalesce(test, false) as is_test,
        cancelled_at is not null as is_cancelled,
        tags,
        length({{ json_array('line_items') }}) as line_item_count,
        shop_url,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_order_id', 'id = 0'],
            ['invalid_created_at', timestamp_is_invalid('created_at')],
            ['malformed_line_items_json', json_is_malformed('line_items')],
            ['malformed_shipping_lines_json', json_is_malformed('shipping_lines')],
            ['malformed_discount_codes_json', json_is_malformed('discount_codes')],
            ['malformed_refunds_json', json_is_malformed('refunds')],
            [
                'unparsable_refund_created_at',
                'arrayExists(refund -> ' ~ parse_timestamp("JSONExtractString(refund, 'created_at')") ~ ' is null, '
                ~ json_array('refunds') ~ ')',
            ],
            ['malformed_customer_json', json_is_malformed('customer', 'Object')],
            ['malformed_subtotal_price_set_json', json_is_malformed('subtotal_price_set', 'Object')],
            ['malformed_total_discounts_set_json', json_is_malformed('total_discounts_set', 'Object')],
            [
                'malformed_total_shipping_price_set_json',
                json_is_malformed('total_shipping_price_set', 'Object'),
            ],
            ['malformed_total_tax_set_json', json_is_malformed('total_tax_set', 'Object')],
            ['malformed_total_price_set_json', json_is_malformed('total_price_set', 'Object')],
            ['missing_total_price', 'total_price is null'],
            [
                'unexpected_financial_status',
                "financial_status not in ('pending', 'authorized', 'partially_paid', 'paid', "
                ~ "'partially_refunded', 'refunded', 'voided', 'expired')",
            ],
        ]) }} as _dq_issues
    from orders
)

select * from final
{% endcall %}
