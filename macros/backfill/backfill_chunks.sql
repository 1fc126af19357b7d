{#- The [start, end) date ranges of a backfill run: whole days, 7-day weeks counted from
    `start`, or calendar months (the first and last month may be partial). -#}
{% macro backfill_chunks(start, end, chunk) -%}
    {%- set chunks = [] -%}
    {%- set days = (end - start).days -%}
    {%- if chunk == 'month' -%}
        {%- set months = (end.year - start.year) * 12 + end.month - start.month + 1 -%}
        {%- for offset in range(months) -%}
            {%- set month_index = start.month - 1 + offset -%}
            {%- set month_start = modules.datetime.date(start.year + month_index // 12, month_index % 12 + 1, 1) -%}
            {%- set next_index = month_index + 1 -%}
            {%- set next_month = modules.datetime.date(start.year + next_index // 12, next_index % 12 + 1, 1) -%}
            {%- set chunk_start = [month_start, start] | max -%}
            {%- set chunk_end = [next_month, end] | min -%}
            {%- if chunk_start < chunk_end -%}
                {%- do chunks.append([chunk_start, chunk_end]) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- else -%}
        {%- set step = 1 if chunk == 'day' else 7 -%}
        {%- for offset in range(0, days, step) -%}
            {%- set chunk_start = start + modules.datetime.timedelta(days=offset) -%}
            {%- set chunk_end = [chunk_start + modules.datetime.timedelta(days=step), end] | min -%}
            {%- do chunks.append([chunk_start, chunk_end]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(chunks) }}
{%- endmacro %}
