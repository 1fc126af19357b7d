{#- The pre_hook and post_hook of an incremental state, `config(**incremental_state_hooks())`:
    `incremental_previous()` over the table the build writes, then over the state. Templates,
    rendered when the model runs, so `this` is the model's relation. -#}
{% macro incremental_state_hooks() -%}
    {{ return({
        'pre_hook': '{{ incremental_previous_table(during_build=true) }}',
        'post_hook': '{{ incremental_previous_table() }}',
    }) }}
{%- endmacro %}
