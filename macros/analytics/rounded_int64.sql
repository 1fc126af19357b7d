{#- A Decimal figure rounded to a whole count as Int64, NULL beyond Int64's range. toInt64 and
    even accurateCastOrNull throw on a Decimal out of range, which would fail every read of a
    view over one bad raw row; through Float64 (exact for any count below 2^53) it cannot. -#}
{% macro rounded_int64(decimal_expression) -%}
    accurateCastOrNull(toFloat64(round({{ decimal_expression }})), 'Int64')
{%- endmacro %}
