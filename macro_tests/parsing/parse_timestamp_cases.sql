{#- parse_timestamp applied to each case's text, for its unit test. -#}
with

cases as (
    select * from {{ ref('macro_test_text') }}
),

final as (
    select
        case_name,
        {{ parse_timestamp('input_text') }} as parsed_at
    from cases
)

select * from final
