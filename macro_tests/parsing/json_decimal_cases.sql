{#- json_decimal applied to each case's JSON text, at a top-level and a nested key, for its
    unit test. -#}
select
    case_name,
    {{ json_decimal('input_text', ['amount']) }} as amount,
    {{ json_decimal('input_text', ['order', 'total']) }} as order_total
from {{ ref('macro_test_text') }}
