{#- Backfill one materialized-view model from its source rows, chunk by chunk:

        dbt run-operation backfill --args '{model: klaviyo__events, start: 2026-05-01, end: 2026-06-01, chunk: day}'

    Arguments are validated before anything runs (see backfill_parse_arguments); `end` is
    exclusive. How each chunk is put in place: backfill_chunk. A reconciliation that differs
    (while raw received no rows) fails the command (non-zero exit), after the report. -#}
{% macro backfill(model=none, start=none, end=none, chunk='month', dry_run=false, cutoff=none, show_sql=false) -%}
    {%- set run = backfill_parse_arguments(start, end, chunk, dry_run, cutoff, show_sql) -%}
    {%- set node = backfill_find_model(model) -%}
    {%- set result = backfill_model(node, run) -%}
    {%- do backfill_fail_on_mismatches([node.name] if result.reconciliation == 'differs' else []) -%}
{%- endmacro %}
