{#- json_decimal applied to each case's JSON text, at a top-level and a nested key, for its
    unit test. -#}
with

cases as (
    select * from {{ ref('macro_test_text') }}
),

final as (
    select
        case_name,
        {{ json_decimal('input_text', ['amount']) }} as amount,
        {{ json_decimal('input_text', ['order', 'total']) }} as order_total
    from cases
)

select * from final
