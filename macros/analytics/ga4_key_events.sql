{#- The GA4 key events (formerly conversions) of the var `ga4_key_events`, as a SQL array
    literal of event names, e.g. ['purchase', 'generate_lead']: a session with one of them is
    engaged, and the analytics count them. Each name is checked to be a GA4 event name (letters,
    digits, underscores) before it reaches SQL text. -#}
{% macro ga4_key_events() -%}
    {%- set names = var('ga4_key_events') -%}
    {%- if names is string or names is not iterable or names | length == 0 -%}
        {{ exceptions.raise_compiler_error("var ga4_key_events must be a non-empty list of event names, got: " ~ names) }}
    {%- endif -%}
    {%- for name in names -%}
        {%- if name is not string or not modules.re.fullmatch('[A-Za-z][A-Za-z0-9_]{0,39}', name) -%}
            {{ exceptions.raise_compiler_error("invalid event name '" ~ name ~ "' in var ga4_key_events: GA4 event names use letters, digits and underscores, starting with a letter") }}
        {%- endif -%}
    {%- endfor -%}
    [{% for name in names %}'{{ name }}'{{ ', ' if not loop.last }}{% endfor %}]
{%- endmacro %}
