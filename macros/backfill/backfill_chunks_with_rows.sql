{#- The chunks of a run that hold anything to backfill: a day with source rows loaded before the
    cutoff, or (strategy `replace`, which also removes what the sources no longer hold) a day
    with rows in the target. One query over the run's range reads only the time column, so a
    long range over a short history (three years of months over six months of data) spends
    nothing on its empty chunks, which change nothing when run. -#}
{% macro backfill_chunks_with_rows(target, run, chunks) -%}
    {#- ISO dates, bracketed so the result table keeps them as text; text order is date order -#}
    {%- set day = "concat('[', toString(" ~ backfill_day(target) ~ "), ']')" -%}
    {%- set days_sql -%}
        select {{ day }} as day
        from ({{ backfill_select(target, run.start, run.end) }})
        {{ backfill_cutoff_settings(target, '<', run.cutoff) }}
    {%- endset -%}
    {%- if target.strategy == 'replace' -%}
        {%- set days_sql = 'select day from (' ~ days_sql ~ ') union distinct select ' ~ day
            ~ ' from ' ~ target.relation ~ ' where ' ~ backfill_time_filter(target, run.start, run.end) -%}
    {%- endif -%}
    {%- set days = [] -%}
    {%- for row in run_query('select distinct day from (' ~ days_sql ~ ')').rows -%}
        {%- do days.append(row[0] | trim('[]')) -%}
    {%- endfor -%}
    {%- set kept = [] -%}
    {%- for chunk_start, chunk_end in chunks -%}
        {%- set first, last = chunk_start | string, chunk_end | string -%}
        {%- if days | select('ge', first) | select('lt', last) | list | length > 0 -%}
            {%- do kept.append([chunk_start, chunk_end]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(kept) }}
{%- endmacro %}
