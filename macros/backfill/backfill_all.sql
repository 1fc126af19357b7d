{#- Backfill every materialized-view model of the project over one range, upstream models
    first, all with the same cutoff (`models`, a list of names, restricts the set):

        dbt run-operation backfill_all --args '{start: 2026-05-01, end: 2026-06-01, chunk: month}'

    Dependency order matters when a view reads another view's target: partitions put in place by
    ATTACH/REPLACE PARTITION do not fire the views downstream, so those are recomputed after.
    Every model runs; if any reconciliation differs, the command then fails (non-zero exit). -#}
{% macro backfill_all(start=none, end=none, chunk='month', dry_run=false, cutoff=none, models=none, show_sql=false) -%}
    {%- set run = backfill_parse_arguments(start, end, chunk, dry_run, cutoff, show_sql) -%}
    {%- set nodes = backfill_models_in_dependency_order() -%}
    {%- if models is not none -%}
        {%- if models is string or models is mapping or models is not iterable -%}
            {{ exceptions.raise_compiler_error("backfill_all: argument 'models' must be a list of model names, got: " ~ models) }}
        {%- endif -%}
        {%- for name in models -%}
            {%- do backfill_find_model(name) -%}
        {%- endfor -%}
        {%- set nodes = nodes | selectattr('name', 'in', models | list) | list -%}
    {%- endif -%}
    {{ log('backfill_all: ' ~ nodes | length ~ ' materialized-view models, in order: ' ~ nodes | map(attribute='name') | join(', '), info=True) }}
    {%- set differing = [] -%}
    {%- for node in nodes -%}
        {{ log('[' ~ loop.index ~ '/' ~ loop.length ~ '] ' ~ node.name, info=True) }}
        {%- set result = backfill_model(node, run) -%}
        {%- if result.reconciliation == 'differs' -%}
            {%- do differing.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ log('backfill_all: done; models whose reconciliation differs: ' ~ (differing | join(', ') or 'none'), info=True) }}
    {%- do backfill_fail_on_mismatches(differing) -%}
{%- endmacro %}
