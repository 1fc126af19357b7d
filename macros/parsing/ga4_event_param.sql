{#- One event parameter of a GA4 export row by its key, from the typed params array
    (ga4_export_field('event_params')), NULL when the key is absent. `value_type`:
    - 'string': the string_value;
    - 'lower_string': the string_value in lower case (event-level source, medium, campaign,
      content and term, as GA4's traffic reports and dbt-ga4 compare them);
    - 'int': the int_value, else integer text in string_value (`session_engaged` arrives as
      the int 1 or the string '1');
    - 'number': the first of int_value, double_value, float_value, numeric string_value, as
      Float64 (`value`, `engagement_time_msec` sent as a double).
    The first parameter of a key wins when the array repeats it. Never throws.

        {{ ga4_event_param('event_params', 'ga_session_id', 'int') }} as ga_session_id
-#}
{% macro ga4_event_param(params, key, value_type='string') -%}
    {%- set value = "tupleElement(arrayFirst(param -> param.key = '" ~ key ~ "', " ~ params ~ "), 'value')" -%}
    {%- if value_type == 'string' -%}
        tupleElement({{ value }}, 'string_value')
    {%- elif value_type == 'lower_string' -%}
        lower(tupleElement({{ value }}, 'string_value'))
    {%- elif value_type == 'int' -%}
        coalesce(tupleElement({{ value }}, 'int_value'), toInt64OrNull(tupleElement({{ value }}, 'string_value')))
    {%- elif value_type == 'number' -%}
        coalesce(
            toFloat64(tupleElement({{ value }}, 'int_value')),
            tupleElement({{ value }}, 'double_value'),
            tupleElement({{ value }}, 'float_value'),
            toFloat64OrNull(tupleElement({{ value }}, 'string_value'))
        )
    {%- else -%}
        {{ exceptions.raise_compiler_error("ga4_event_param: value_type must be string, lower_string, int or number, got: " ~ value_type) }}
    {%- endif -%}
{%- endmacro %}
