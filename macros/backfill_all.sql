{#- Backfill every materialized-view model of the project over one range, upstream models
    first, all with the same cutoff:

        dbt run-operation backfill_all --args '{start: 2026-05-01, end: 2026-06-01, chunk: month}'

    Dependency order matters when a view reads another view's target: partitions put in place by
    ATTACH/REPLACE PARTITION do not fire the views downstream, so those are recomputed after. -#}
{% macro backfill_all(start=none, end=none, chunk='day', dry_run=false, cutoff=none) -%}
    {%- set run = backfill_parse_arguments(start, end, chunk, dry_run, cutoff) -%}
    {%- set nodes = backfill_models_in_dependency_order() -%}
    {{ log('backfill_all: ' ~ nodes | length ~ ' materialized-view models, in order: ' ~ nodes | map(attribute='name') | join(', '), info=True) }}
    {%- set differing = [] -%}
    {%- for node in nodes -%}
        {{ log('[' ~ loop.index ~ '/' ~ loop.length ~ '] ' ~ node.name, info=True) }}
        {%- set result = backfill_model(node, run) -%}
        {%- if result.mismatches -%}
            {%- do differing.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ log('backfill_all: done; models whose reconciliation differs: ' ~ (differing | join(', ') or 'none'), info=True) }}
{%- endmacro %}
