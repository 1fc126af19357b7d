{#- One chunk [chunk_start, chunk_end) of a model's backfill. Each step is atomic and the whole
    chunk idempotent, so a run killed anywhere and started again ends with the same result:
    1. the scratch table (`<target>__backfill`, same structure, created anew by backfill_model
       at the start of each run) is emptied (unless `scratch_empty`: the previous chunk left
       nothing there), then filled with the model's SELECT over the source rows loaded before
       the cutoff;
    2. `attach` (ReplacingMergeTree): each partition of the scratch is added to the target with
       ATTACH PARTITION ... FROM, atomically; rows already there collapse with the re-added ones
       (same key and version), and rows the live view writes are never removed;
       `replace` (any other engine, e.g. AggregatingMergeTree, where adding twice counts twice):
       for each partition the chunk touches, the target's rows of that partition outside the
       chunk are copied into the scratch, then REPLACE PARTITION swaps the whole partition in
       atomically (DROP PARTITION when it ends up empty). A partition is live, and skipped,
       when source rows loaded at or after the cutoff map into it: the live view has written
       there, and replacing it could drop those rows.
    Returns rows computed, the partitions touched, the live partitions skipped and whether
    the scratch table may hold rows now (`scratch_filled`). -#}
{% macro backfill_chunk(target, run, chunk_start, chunk_end, scratch_empty=false) -%}
    {%- set dry_run = run.dry_run -%}
    {%- set model_select = backfill_select(target, chunk_start, chunk_end) -%}
    {%- set before_cutoff = backfill_cutoff_settings(target, '<', run.cutoff) -%}
    {%- if not scratch_empty -%}
        {%- do backfill_execute('truncate table ' ~ target.scratch, run) -%}
    {%- endif -%}
    {%- do backfill_execute(
        'insert into ' ~ target.scratch ~ ' (' ~ target.column_list ~ ')\n'
        ~ model_select ~ '\n' ~ before_cutoff,
        run
    ) -%}
    {#- an empty chunk (most of a long range by day) has no partitions to look for -#}
    {%- if dry_run -%}
        {%- set rows = run_query('select count() from (' ~ model_select ~ ') ' ~ before_cutoff).columns[0].values()[0] -%}
        {%- set new_partitions = backfill_partition_ids(
            'select ' ~ backfill_partition_expression(target) ~ ' as partition_id from (' ~ model_select ~ ')',
            before_cutoff
        ) if rows > 0 else [] -%}
    {%- else -%}
        {%- set rows = run_query('select count() from ' ~ target.scratch).columns[0].values()[0] -%}
        {%- set new_partitions = backfill_partition_ids('select _partition_id as partition_id from ' ~ target.scratch) if rows > 0 else [] -%}
    {%- endif -%}
    {%- set skipped = [] -%}
    {%- if target.strategy == 'attach' -%}
        {%- set partitions = new_partitions -%}
        {%- for partition in partitions -%}
            {%- do backfill_execute(
                'alter table ' ~ target.relation ~ " attach partition id '" ~ partition ~ "' from " ~ target.scratch,
                run
            ) -%}
        {%- endfor -%}
    {%- else -%}
        {%- set in_chunk = backfill_time_filter(target, chunk_start, chunk_end) -%}
        {%- set old_partitions = backfill_partition_ids(
            'select _partition_id as partition_id from ' ~ target.relation ~ ' where ' ~ in_chunk
        ) -%}
        {%- set partitions = (new_partitions + old_partitions) | unique | sort | list -%}
        {%- set live_query = 'select ' ~ backfill_partition_expression(target) ~ ' as partition_id from ('
            ~ backfill_select(target, none, none) ~ ')' -%}
        {%- set at_or_after_cutoff = backfill_cutoff_settings(target, '>=', run.cutoff) -%}
        {#- which partitions are live reads every source row: only asked when some are to be replaced -#}
        {%- set live = backfill_partition_ids(live_query, at_or_after_cutoff) if partitions else [] -%}
        {%- for partition in partitions -%}
            {%- if partition in live -%}
                {%- do skipped.append(partition) -%}
                {{ log(
                    '    skipped live partition ' ~ partition ~ ' of ' ~ target.relation ~ ': source rows loaded at or after the cutoff '
                    ~ run.cutoff ~ ' map into it, so the live view is writing there and replacing it could drop them.'
                    ~ ' Re-run the backfill for this range once it is no longer written to (or with a later cutoff).',
                    info=True
                ) }}
            {%- else -%}
                {%- do backfill_execute(
                    'insert into ' ~ target.scratch ~ ' select * from ' ~ target.relation
                    ~ " where _partition_id = '" ~ partition ~ "' and not (" ~ in_chunk ~ ")",
                    run
                ) -%}
                {%- set replace_sql = 'alter table ' ~ target.relation ~ " replace partition id '" ~ partition ~ "' from " ~ target.scratch -%}
                {%- set drop_sql = 'alter table ' ~ target.relation ~ " drop partition id '" ~ partition ~ "'" -%}
                {%- if dry_run -%}
                    {%- do backfill_execute(replace_sql ~ '  -- or, when the partition ends up empty: ' ~ drop_sql, run) -%}
                {%- else -%}
                    {%- set kept = run_query(
                        'select count() from ' ~ target.scratch ~ " where _partition_id = '" ~ partition ~ "'"
                    ).columns[0].values()[0] -%}
                    {%- do backfill_execute(replace_sql if kept > 0 else drop_sql, run) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if partitions and not dry_run -%}
            {#- a live insert landing between the check above and the swap would be dropped: say so -#}
            {%- for partition in backfill_partition_ids(live_query, at_or_after_cutoff) -%}
                {%- if partition in partitions and partition not in skipped -%}
                    {{ log(
                        '    WARNING: partition ' ~ partition ~ ' of ' ~ target.relation ~ ' received live rows while it was'
                        ~ ' being replaced; re-run the backfill for this range to make sure none were dropped.',
                        info=True
                    ) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {#- the chunk's rows, or the target's rows copied in around them for a replace -#}
    {%- set scratch_filled = rows > 0 or partitions | length > 0 -%}
    {{ return({'rows': rows | int, 'partitions': partitions, 'skipped': skipped, 'scratch_filled': scratch_filled}) }}
{%- endmacro %}
