{#- A numeric var (threshold, window, weight) checked before it reaches SQL text: a clear error
    names the var instead of a syntax error, or worse, whatever text it held running. -#}
{% macro number_var(name, minimum=none, maximum=none) -%}
    {%- set value = var(name) -%}
    {%- if value is boolean or value is not number -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be a number, got: " ~ value) }}
    {%- endif -%}
    {%- if (minimum is not none and value < minimum) or (maximum is not none and value > maximum) -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be between " ~ minimum ~ " and " ~ maximum ~ ", got: " ~ value) }}
    {%- endif -%}
    {{ value }}
{%- endmacro %}
