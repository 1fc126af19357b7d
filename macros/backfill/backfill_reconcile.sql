{#- Reconciliation report after a backfill, per partition of the range [run.start, run.end):
    rows and a checksum of what the model's SELECT gives from all source rows now, against what
    the target holds (FINAL). Like is compared with like: for ReplacingMergeTree targets every
    version of every key is deduplicated by the target's own rule before the range is applied,
    so a key whose newest version falls after the range is on neither side (filtering first
    would keep its older version on the raw side only). With a version column and a sorting
    key of plain columns, that rule is computed directly: per partition and key the highest
    version, and the time column of its row (argMax), reading only those columns of the
    model's SELECT (the engine prunes the rest, JSON parsing included), so checking a whole
    history costs a fraction of recomputing it. Otherwise the SELECT goes into
    `<target>__backfill_check` and is read with FINAL. Aggregating targets fold immutable rows,
    so their check is computed from the range's rows alone, into the check table (FINAL merges
    the states). The checksum covers key and version for ReplacingMergeTree targets (which of
    two rows with equal versions survives is not defined), and every column (aggregate states
    finalized) for other engines.
    Raw rows inserted while it runs reach the target through the live views between the reads
    of the two sides, so a difference is only conclusive when no insert can have reached the
    source tables or the target meanwhile (backfill_source_writes, read before and after: no
    new block, and no insert running through both readings, which would have committed its raw
    part before and its target part after): otherwise the comparison runs again, up to three
    times, and if the sources kept changing the result is 'inconclusive', reported as such and
    not failed on (a backfill is meant to run while loads go on; `make backfill` again when
    they pause confirms).
    Returns {'status': 'ok' | 'differs' | 'inconclusive', 'partitions': the partitions that
    differ and are not live partitions the backfill skipped}. -#}
{% macro backfill_reconcile(target, run, skipped) -%}
    {%- if target.strategy == 'attach' -%}
        {%- set hashed = target.sorting_key ~ (', `' ~ target.version_column ~ '`' if target.version_column else '') -%}
    {%- else -%}
        {%- set hashed_columns = [] -%}
        {%- for name, type in target.columns -%}
            {%- do hashed_columns.append(
                'finalizeAggregation(`' ~ name ~ '`)' if type.startswith('AggregateFunction') else '`' ~ name ~ '`'
            ) -%}
        {%- endfor -%}
        {%- set hashed = hashed_columns | join(', ') -%}
    {%- endif -%}
    {%- set in_range = backfill_time_filter(target, run.start, run.end) -%}
    {%- set key_columns = target.sorting_key.split(',') | map('trim') | list -%}
    {%- set plain_keys = namespace(all=true) -%}
    {%- for column in key_columns if not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', column) -%}
        {%- set plain_keys.all = false -%}
    {%- endfor -%}
    {%- set direct = target.strategy == 'attach' and target.version_column and plain_keys.all -%}
    {%- if direct -%}
        {#- grouped by the partition key's value and a hash of the key (cheaper than partition id
            text and key strings); the target side hashes the same way -#}
        {%- set keys = '`' ~ key_columns | join('`, `') ~ '`' -%}
        {%- set hashed = 'cityHash64(' ~ keys ~ '), `' ~ target.version_column ~ '`' -%}
        {%- set raw_side =
            "select " ~ backfill_partition_expression(target, '__partition_value') ~ " as partition_id,"
            ~ " count() as raw_rows, sum(cityHash64(__key_hash, __version)) as raw_checksum,"
            ~ " toUInt64(0) as target_rows, toUInt64(0) as target_checksum"
            ~ " from (select " ~ (target.partition_key or "'all'") ~ " as __partition_value,"
            ~ " cityHash64(" ~ keys ~ ") as __key_hash, max(`" ~ target.version_column ~ "`) as __version,"
            ~ " argMax(`" ~ target.time_column ~ "`, `" ~ target.version_column ~ "`) as __time"
            ~ " from (" ~ backfill_select(target, none, none) ~ ")"
            ~ " group by __partition_value, __key_hash)"
            ~ " where " ~ backfill_time_filter({'time_column': '__time'}, run.start, run.end)
            ~ " group by __partition_value"
        -%}
    {%- else -%}
        {%- set raw_side =
            "select _partition_id as partition_id, count() as raw_rows, sum(cityHash64(" ~ hashed ~ ")) as raw_checksum,"
            ~ " toUInt64(0) as target_rows, toUInt64(0) as target_checksum"
            ~ " from " ~ target.check ~ " final where " ~ in_range ~ " group by partition_id"
        -%}
    {%- endif -%}
    {%- set attempts = 3 -%}
    {%- set outcome = namespace(report=none, mismatches=[], quiet=true) -%}
    {%- for attempt in range(1, attempts + 1) if outcome.report is none or (outcome.mismatches and not outcome.quiet) -%}
        {%- if attempt > 1 -%}
            {{ log('  raw received rows while the reconciliation ran; comparing again (attempt ' ~ attempt ~ '/' ~ attempts ~ ')', info=True) }}
        {%- endif -%}
        {%- set writes_before = backfill_source_writes(target) -%}
        {%- if not direct -%}
            {%- do run_query('drop table if exists ' ~ target.check) -%}
            {%- do run_query('create table ' ~ target.check ~ ' as ' ~ target.relation) -%}
            {%- do run_query('insert into ' ~ target.check ~ ' ' ~ backfill_select(
                target, none if target.strategy == 'attach' else run.start, none if target.strategy == 'attach' else run.end
            )) -%}
        {%- endif -%}
        {%- set outcome.report = run_query(
            "select concat('[', partition_id, ']'), toString(sum(raw_rows)), toString(sum(raw_checksum)),"
            ~ " toString(sum(target_rows)), toString(sum(target_checksum))"
            ~ " from (" ~ raw_side
            ~ " union all "
            ~ "select _partition_id as partition_id, toUInt64(0), toUInt64(0), count(), sum(cityHash64(" ~ hashed ~ "))"
            ~ " from " ~ target.relation ~ " final where " ~ in_range ~ " group by partition_id"
            ~ ") group by partition_id order by partition_id"
        ) -%}
        {%- if not direct -%}
            {%- do run_query('drop table if exists ' ~ target.check) -%}
        {%- endif -%}
        {%- set writes_after = backfill_source_writes(target) -%}
        {%- set outcome.quiet = writes_after.blocks == writes_before.blocks
            and not (writes_after.inserts | select('in', writes_before.inserts) | list) -%}
        {%- set outcome.mismatches = [] -%}
        {%- for partition, raw_rows, raw_checksum, target_rows, target_checksum in outcome.report.rows -%}
            {%- if not (raw_rows == target_rows and raw_checksum == target_checksum) and partition[1:-1] not in skipped -%}
                {%- do outcome.mismatches.append(partition[1:-1]) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set status = 'ok' if not outcome.mismatches else ('differs' if outcome.quiet else 'inconclusive') -%}
    {{ log('  reconciliation of ' ~ target.relation ~ ' for [' ~ run.start ~ ', ' ~ run.end ~ '), from raw now vs target (FINAL):', info=True) }}
    {{ log('    %-14s %12s %12s %21s %21s  %s' | format('partition', 'raw rows', 'target rows', 'raw checksum', 'target checksum', 'status'), info=True) }}
    {%- for partition, raw_rows, raw_checksum, target_rows, target_checksum in outcome.report.rows -%}
        {%- set partition = partition[1:-1] -%}
        {%- set matches = raw_rows == target_rows and raw_checksum == target_checksum -%}
        {%- set row_status = 'ok' if matches else (
            'differs (live partition, skipped)' if partition in skipped
            else ('DIFFERS' if outcome.quiet else 'differs (raw was being written)')
        ) -%}
        {{ log('    %-14s %12s %12s %21s %21s  %s' | format(partition, raw_rows, target_rows, raw_checksum, target_checksum, row_status), info=True) }}
    {%- endfor -%}
    {{ log(
        '  ' ~ (outcome.report.rows | length) ~ ' partitions, ' ~ (outcome.mismatches | length) ~ ' differ'
        ~ (' (' ~ (skipped | unique | list | length) ~ ' live partition(s) skipped)' if skipped else '')
        ~ {
            'ok': '',
            'differs': ': the target does not hold what its views compute from raw now, and no insert reached'
                ~ ' raw or the target meanwhile. Re-run the backfill for this range; if it still differs, the target is wrong',
            'inconclusive': ': INCONCLUSIVE, raw received rows during each of ' ~ attempts ~ ' comparisons, and rows'
                ~ ' that arrive between the reads of the two sides show as differences. Not failed on; re-run the'
                ~ ' backfill (it is idempotent) when loads pause to confirm',
        }[status],
        info=True
    ) }}
    {{ return({'status': status, 'partitions': outcome.mismatches}) }}
{%- endmacro %}
