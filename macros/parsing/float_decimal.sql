{#- A Decimal(38, 9) from a number the GA4 export gives as FLOAT64 (revenue, prices, tax):
    NULL for NULL, NaN, an infinity or a value beyond Decimal(38, 9), instead of an error. The
    value goes through its shortest text, so 19.99 stays 19.99 (a direct conversion would keep
    the binary float's 19.989999999). -#}
{% macro float_decimal(expression) -%}
    toDecimal128OrNull(toString({{ expression }}), 9)
{%- endmacro %}
