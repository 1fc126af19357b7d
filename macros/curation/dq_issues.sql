{#- The `_dq_issues Array(String)` column of a curated row: the labels of the checks that
    failed. `checks` is a list of [label, condition] pairs; a condition is SQL that is true when
    the value is bad. Never throws, whatever the raw value.

        {{ dq_issues([
            ['malformed_line_items_json', 'not isValidJSON(line_items)'],
            ['unparsable_created_at', 'created_at is null and created_at_raw != \'\''],
        ]) }} as _dq_issues
-#}
{% macro dq_issues(checks) -%}
    arrayFilter(issue -> issue != '', [
        {%- for label, condition in checks %}
        if(coalesce({{ condition }}, false), '{{ label }}', ''){{ ',' if not loop.last }}
        {%- endfor %}
    ])
{%- endmacro %}
