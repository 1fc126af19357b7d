{#- Transactions never change once created: created_at is the stream's cursor and the version. -#}
{{
    config(
        engine='ReplacingMergeTree(created_at)',
        order_by='(source_relation, transaction_id)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'transactions') %}
with

transactions as (
    select * from {{ raw }}
),

final as (
    select
        id as transaction_id,
        order_id,
        parent_id,
        kind,
        status,
        gateway,
        currency,
        amount,
        coalesce(test, false) as is_test,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(processed_at, 'UTC') as processed_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_transaction_id', 'id = 0'],
            ['missing_order_id', 'order_id is null'],
            ['invalid_created_at', timestamp_is_invalid('created_at')],
            ['missing_amount', 'amount is null'],
        ]) }} as _dq_issues
    from transactions
)

select * from final
{% endcall %}
