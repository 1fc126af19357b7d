{#- Backfills one materialized-view model (graph node) over the validated run arguments:
    prints the plan, creates the scratch table the chunks share, runs (or in a dry run prints)
    every chunk with progress, drops the scratch table and ends with the reconciliation report
    and one machine-readable line, `backfill result: {json}` (backfill_result). Shared by
    backfill and backfill_all. -#}
{% macro backfill_model(node, run) -%}
    {%- set target = backfill_target(node) -%}
    {%- set chunks = backfill_chunks_with_rows(target, run, run.chunks) -%}
    {%- set empty_chunks = run.chunks | length - chunks | length -%}
    {%- set strategy_text = {
        'attach': 'add partitions (ATTACH PARTITION FROM scratch; ReplacingMergeTree collapses re-added rows)',
        'replace': 'replace whole partitions (REPLACE PARTITION FROM scratch; live partitions skipped)',
    }[target.strategy] -%}
    {{ log((('DRY RUN, nothing is changed: ' if run.dry_run else '') ~ 'backfill ' ~ node.name ~ ' into ' ~ target.relation), info=True) }}
    {{ log('  engine ' ~ target.engine ~ ', partition key ' ~ (target.partition_key or 'none') ~ ', strategy: ' ~ strategy_text, info=True) }}
    {{ log('  views: ' ~ target.views | map('first') | join(', ') ~ '; sources: ' ~ target.load_times.keys() | list | join(', '), info=True) }}
    {{ log(
        '  rows with ' ~ target.time_column ~ ' in [' ~ run.start ~ ', ' ~ run.end ~ '), source rows loaded before the cutoff '
        ~ run.cutoff ~ ' UTC; ' ~ run.chunks | length ~ ' chunk(s) of one ' ~ run.chunk
        ~ ((', ' ~ empty_chunks ~ ' of them empty in the sources' ~ (' and the target' if target.strategy == 'replace' else '') ~ ', skipped') if empty_chunks else ''),
        info=True
    ) }}
    {%- set started = modules.datetime.datetime.now() -%}
    {#- one scratch table for every chunk (emptied by each): whatever an interrupted run left
        there, and its structure, is replaced here -#}
    {%- do backfill_execute('drop table if exists ' ~ target.scratch, run) -%}
    {%- do backfill_execute('create table ' ~ target.scratch ~ ' as ' ~ target.relation, run) -%}
    {%- set scratch = namespace(empty=true) -%}
    {%- set skipped = [] -%}
    {%- set total_rows = [] -%}
    {%- for chunk_start, chunk_end in chunks -%}
        {%- if run.show_sql and run.dry_run -%}
            {{ log('  chunk ' ~ loop.index ~ '/' ~ loop.length ~ ' [' ~ chunk_start ~ ', ' ~ chunk_end ~ '):', info=True) }}
        {%- endif -%}
        {%- set result = backfill_chunk(target, run, chunk_start, chunk_end, scratch.empty) -%}
        {%- set scratch.empty = not result.scratch_filled -%}
        {%- do skipped.extend(result.skipped) -%}
        {%- do total_rows.append(result.rows) -%}
        {%- set elapsed = (modules.datetime.datetime.now() - started).total_seconds() -%}
        {%- set eta = elapsed / loop.index * (loop.length - loop.index) -%}
        {{ log(
            '  chunk ' ~ loop.index ~ '/' ~ loop.length ~ ' [' ~ chunk_start ~ ', ' ~ chunk_end ~ '): '
            ~ result.rows ~ (' rows planned' if run.dry_run else ' rows')
            ~ ', partitions ' ~ (result.partitions | join(' ') or 'none')
            ~ (', skipped live ' ~ result.skipped | join(' ') if result.skipped else '')
            ~ ', elapsed ' ~ '%.1f' | format(elapsed) ~ ' s, ETA ' ~ '%.1f' | format(eta) ~ ' s',
            info=True
        ) }}
    {%- endfor -%}
    {%- if run.dry_run -%}
        {{ log('  dry run: nothing was changed' ~ ('' if run.show_sql else ' (show_sql: true prints every statement)'), info=True) }}
        {{ return(backfill_result(node, target, run, empty_chunks, total_rows | sum, none, {'status': 'dry run', 'partitions': [], 'seconds': none}, skipped)) }}
    {%- endif -%}
    {%- do run_query('drop table if exists ' ~ target.scratch) -%}
    {%- set elapsed = (modules.datetime.datetime.now() - started).total_seconds() -%}
    {{ log(
        '  done: ' ~ total_rows | sum ~ ' rows in ' ~ '%.2f' | format(elapsed) ~ ' s ('
        ~ '%.0f' | format((total_rows | sum) / ([elapsed, 0.001] | max)) ~ ' rows/s)',
        info=True
    ) }}
    {%- set reconcile_started = modules.datetime.datetime.now() -%}
    {%- set reconciliation = backfill_reconcile(target, run, skipped) -%}
    {%- do reconciliation.update({'seconds': (modules.datetime.datetime.now() - reconcile_started).total_seconds()}) -%}
    {{ return(backfill_result(node, target, run, empty_chunks, total_rows | sum, elapsed, reconciliation, skipped)) }}
{%- endmacro %}
