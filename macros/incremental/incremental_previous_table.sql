{#- Creates (or re-points) `incremental_previous()`: a Merge table over the state's own table
    with `incremental_previous_columns()`. `during_build`: over no table at all, so a build
    that fills a new target (dbt-clickhouse writes the model's SQL into a new table and swaps
    it in, on the embedded engine even without --full-refresh) finds the state empty and
    recomputes every key; read back, the old state would make the new table hold only the
    keys changed since its watermark. The post_hook points it back at the state. -#}
{% macro incremental_previous_table(during_build=false) -%}
    create or replace table {{ incremental_previous() }} ({{ incremental_previous_columns() }})
    engine = Merge('{{ this.schema }}', '{{ "^$" if during_build else "^" ~ this.identifier ~ "$" }}')
{%- endmacro %}
