{#- A numeric var (threshold, window, weight) checked before it reaches SQL text: a clear error
    names the var instead of a syntax error, or worse, whatever text it held running. `key`
    reads one entry of a var that maps names to numbers (freshness hours per source). -#}
{% macro number_var(name, minimum=none, maximum=none, key=none) -%}
    {%- set value = var(name) -%}
    {%- set label = name -%}
    {%- if key is not none -%}
        {%- if value is not mapping or key not in value -%}
            {{ exceptions.raise_compiler_error("var " ~ name ~ " must map " ~ key ~ " to a number, got: " ~ value) }}
        {%- endif -%}
        {%- set value = value[key] -%}
        {%- set label = name ~ "['" ~ key ~ "']" -%}
    {%- endif -%}
    {%- if value is boolean or value is not number -%}
        {{ exceptions.raise_compiler_error("var " ~ label ~ " must be a number, got: " ~ value) }}
    {%- endif -%}
    {%- if (minimum is not none and value < minimum) or (maximum is not none and value > maximum) -%}
        {{ exceptions.raise_compiler_error("var " ~ label ~ " must be between " ~ minimum ~ " and " ~ maximum ~ ", got: " ~ value) }}
    {%- endif -%}
    {{ value }}
{%- endmacro %}
