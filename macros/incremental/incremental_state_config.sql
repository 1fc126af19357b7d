{#- The config an incremental state shares, `config(order_by=..., incremental_columns=...,
    **incremental_state_config())`: a refreshable materialized view (`incremental_refresh`,
    APPEND) into `incremental_engine()` with `incremental_table_settings()`, and the pre_hook
    and post_hook that point `incremental_previous()` at no table during the build, then at the
    state (templates, rendered when the model runs, so `this` is the model's relation). -#}
{% macro incremental_state_config() -%}
    {{ return({
        'materialized': 'materialized_view',
        'refreshable': incremental_refresh(),
        'engine': incremental_engine(),
        'settings': incremental_table_settings(),
        'pre_hook': '{{ incremental_previous_table(during_build=true) }}',
        'post_hook': '{{ incremental_previous_table() }}',
    }) }}
{%- endmacro %}
