{#- The rows an incremental state already holds, every version (FINAL for the newest per key),
    through a Merge table `<state>__previous` over the state with the columns of the model's
    config `incremental_columns`. A Merge table that matches no table reads as empty, so the
    model's SQL can read its own target before dbt first creates it (the first build's CREATE
    TABLE AS SELECT runs that SQL); `incremental_previous_table` creates it. A unit test of a
    state that reads it overrides this macro with an empty table (`null('<columns>')`). -#}
{% macro incremental_previous() -%}
    {{ this.schema }}.{{ this.identifier }}__previous
{%- endmacro %}

{#- The columns of `incremental_previous()`: the model's config `incremental_columns` (the
    state's columns the model reads back, typed as in the state), and `_computed_at`. -#}
{% macro incremental_previous_columns() -%}
    {%- set columns = config.get('incremental_columns') -%}
    {%- if not columns and execute -%}
        {{ exceptions.raise_compiler_error(model.name ~ ": an incremental state needs the config incremental_columns, the columns it reads back with their types, e.g. 'source_relation String, order_id Int64'") }}
    {%- endif -%}
    {{ columns }}, _computed_at DateTime64(3, 'UTC')
{%- endmacro %}
