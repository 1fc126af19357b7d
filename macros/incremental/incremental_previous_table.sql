{#- Creates (or re-points) `incremental_previous()`: a Merge table over the state's own table
    with `incremental_previous_columns()`. `during_build`: over the table dbt's CREATE TABLE AS
    SELECT is about to write instead (under --full-refresh, dbt-clickhouse's `__dbt_backup`
    copy, which does not exist yet: the build recomputes every key); the post_hook points it
    back at the state. -#}
{% macro incremental_previous_table(during_build=false) -%}
    {%- set suffix = '__dbt_backup' if during_build and should_full_refresh() else '' -%}
    create or replace table {{ incremental_previous() }} ({{ incremental_previous_columns() }})
    engine = Merge('{{ this.schema }}', '^{{ this.identifier ~ suffix }}$')
{%- endmacro %}
