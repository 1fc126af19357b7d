{#- parse_timestamp applied to each case's text, for its unit test. -#}
select
    case_name,
    {{ parse_timestamp('input_text') }} as parsed_at
from {{ ref('macro_test_text') }}
