{#- Emits one SELECT per raw database listed in the var `<source_name>_raw_databases`, each
    between dbt-clickhouse's `--<name>:begin` / `--<name>:end` markers, joined by UNION ALL.
    A materialized_view model built this way gets one materialized view per raw database
    (named `<table>_<raw database>`), all feeding the one target table; the union is what the
    initial catchup and backfills read.

    The caller block receives the raw table's relation and renders the SELECT for it; use
    `'{{ relation.schema }}' as source_relation` to tag rows with their raw database.

        {% call(raw) for_each_raw_database('shopify', 'orders') %}
        select ... from {{ raw }}
        {% endcall %}
-#}
{% macro for_each_raw_database(source_name, table_name) -%}
    {%- set databases = raw_databases(source_name) -%}
    {#- source() once, for lineage and freshness: it points at the first listed database. -#}
    {%- set first = source(source_name, table_name) -%}
    {%- for database in databases -%}
        {%- set relation = first if loop.first else api.Relation.create(schema=database, identifier=first.identifier) %}
--{{ database }}:begin
{{ caller(relation) }}
--{{ database }}:end
{% if not loop.last %}union all{% endif %}
    {%- endfor -%}
{%- endmacro %}
