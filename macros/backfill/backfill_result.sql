{#- What a backfill of one model did, logged as one line `backfill result: {json}` for scripts
    (the bench reads it; log wording may change, these keys stay) and returned to the caller:
    model, target, time_column, start, end, chunk, chunks (of the range), empty_chunks (of
    them, skipped: nothing to backfill there), cutoff, rows (written, after the
    target's engine folds the duplicates within each chunk; a dry run: rows its SELECT would
    give, before folding), loop_seconds (the chunks' work, without dbt's start-up; null in a
    dry run), reconciliation ('ok', 'differs', 'inconclusive' or 'dry run'), reconcile_seconds,
    differing_partitions, skipped_live_partitions. -#}
{% macro backfill_result(node, target, run, empty_chunks, rows, loop_seconds, reconciliation, skipped) -%}
    {%- set result = {
        'model': node.name,
        'target': target.relation | string,
        'time_column': target.time_column,
        'start': run.start | string,
        'end': run.end | string,
        'chunk': run.chunk,
        'chunks': run.chunks | length,
        'empty_chunks': empty_chunks,
        'cutoff': run.cutoff | string,
        'rows': rows,
        'loop_seconds': loop_seconds,
        'reconciliation': reconciliation.status,
        'reconcile_seconds': reconciliation.seconds,
        'differing_partitions': reconciliation.partitions,
        'skipped_live_partitions': skipped | unique | list,
    } -%}
    {{ log('backfill result: ' ~ tojson(result, sort_keys=true), info=True) }}
    {{ return(result) }}
{%- endmacro %}
