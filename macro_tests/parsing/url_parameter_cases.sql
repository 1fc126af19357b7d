{#- url_parameter applied to each case's URL for two parameters, for its unit test. -#}
select
    case_name,
    {{ url_parameter('input_text', 'utm_source') }} as utm_source,
    {{ url_parameter('input_text', 'utm_campaign') }} as utm_campaign
from {{ ref('macro_test_text') }}
