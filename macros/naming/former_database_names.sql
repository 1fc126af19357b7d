{#- The analytics databases were named <source>_analytics until they took the layer-first names
    analytics_<source> (data_<source> / analytics_<source>: the layer, then the source). -#}
{% macro former_database_names() -%}
    {{ return({
        'analytics_shopify': 'shopify_analytics',
        'analytics_klaviyo': 'klaviyo_analytics',
        'analytics_ga4': 'ga4_analytics',
        'analytics_cross_source': 'cross_source_analytics',
    }) }}
{%- endmacro %}


{#- on-run-end of `dbt run` / `dbt build`: every analytics relation that exists is also readable
    under its former database name, as a plain view (`select *`) over it, so dashboards and
    notebooks written against the former names keep working. Whatever an older release built
    under a former name (a table, a refreshable view `<name>_mv` feeding it) is replaced: those
    would otherwise keep refreshing stale copies. Var keep_former_database_names: false turns
    this off (the views already created stay until dropped). -#}
{% macro create_former_database_views() -%}
    {%- if execute and flags.WHICH in ('run', 'build') and var('keep_former_database_names', true) -%}
        {%- set former = former_database_names() -%}
        {%- set existing = {} -%}
        {%- for row in run_query(
            "select database, name, engine from system.tables where database in ('"
            ~ (former.keys() | list + former.values() | list) | join("', '") ~ "')"
        ).rows -%}
            {%- do existing.update({row[0] ~ '.' ~ row[1]: row[2]}) -%}
        {%- endfor -%}
        {%- set created = [] -%}
        {%- for node in graph.nodes.values() | sort(attribute='unique_id')
            if node.resource_type == 'model' and node.schema in former
            and (node.schema ~ '.' ~ node.alias) in existing -%}
            {%- set view = former[node.schema] ~ '.' ~ node.alias -%}
            {%- for leftover in [view ~ '_mv', view] if existing.get(leftover, 'View') != 'View' -%}
                {%- do log('Replacing ' ~ leftover ~ ' (' ~ existing[leftover] ~ ') by a view over '
                    ~ node.schema ~ '.' ~ node.alias, info=true) -%}
                {%- do run_query('drop table ' ~ leftover ~ ' sync') -%}
            {%- endfor -%}
            {%- if former[node.schema] not in created -%}
                {%- do run_query('create database if not exists ' ~ former[node.schema]) -%}
                {%- do created.append(former[node.schema]) -%}
            {%- endif -%}
            {%- do run_query(
                'create or replace view ' ~ view ~ ' as select * from ' ~ node.schema ~ '.' ~ node.alias
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
