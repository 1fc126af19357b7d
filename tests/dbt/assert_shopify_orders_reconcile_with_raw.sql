{#- Reconciliation: the curated orders hold exactly the order keys of the raw tables, once
    each, across every raw shop database. Returns the keys found on one side only. -#}
with

raw_keys as (
    {% call(raw) for_each_raw_database('shopify', 'orders') %}
    select distinct
        '{{ raw.schema }}' as source_relation,
        id as order_id
    from {{ raw }}
    {% endcall %}
),

curated_keys as (
    select
        source_relation,
        order_id
    from {{ ref('shopify__orders') }} final
),

only_in_raw as (
    select
        'missing from curated' as problem,
        raw_keys.source_relation,
        raw_keys.order_id
    from raw_keys
    left anti join curated_keys
        on
            raw_keys.source_relation = curated_keys.source_relation
            and raw_keys.order_id = curated_keys.order_id
),

only_in_curated as (
    select
        'not in raw' as problem,
        curated_keys.source_relation,
        curated_keys.order_id
    from curated_keys
    left anti join raw_keys
        on
            curated_keys.source_relation = raw_keys.source_relation
            and curated_keys.order_id = raw_keys.order_id
)

select * from only_in_raw
union all
select * from only_in_curated
