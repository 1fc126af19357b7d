{#- dq_issues applied to each case's text with three checks, for its unit test: a missing
    value, a value that is not a whole number, a negative number. -#}
select
    case_name,
    {{ dq_issues([
        ['missing_value', 'input_text is null'],
        ['not_a_number', 'toInt64OrNull(input_text) is null'],
        ['negative_value', 'toInt64OrNull(input_text) < 0'],
    ]) }} as issues
from {{ ref('macro_test_text') }}
