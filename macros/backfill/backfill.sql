{#- Backfill one materialized-view model from its source rows, chunk by chunk:

        dbt run-operation backfill --args '{model: klaviyo__events, start: 2026-05-01, end: 2026-06-01, chunk: day}'

    Arguments are validated before anything runs (see backfill_parse_arguments); `end` is
    exclusive. How each chunk is put in place: backfill_chunk. -#}
{% macro backfill(model=none, start=none, end=none, chunk='day', dry_run=false, cutoff=none) -%}
    {%- set run = backfill_parse_arguments(start, end, chunk, dry_run, cutoff) -%}
    {%- set node = backfill_find_model(model) -%}
    {%- do backfill_model(node, run) -%}
{%- endmacro %}
