{#- Baseline for the benchmark, not a definition: the newest load of every raw table of
    every source (var `sources`), to time what the model data_freshness (the definition) saves
    a reader. Not compared: the answer depends on when it is read. One merge() per load-time
    column (raw_loaded_at_field), as the tables of one merge() must share it. -#}
{%- set sources_by_field = {} -%}
{%- for source in source_names() -%}
    {%- do sources_by_field.setdefault(raw_loaded_at_field(source), []).append(source) -%}
{%- endfor -%}
select source_database, source_table, last_loaded_at,
    round(dateDiff('millisecond', last_loaded_at, now64(3)) / 60000, 1) as lag_minutes
from (
{%- for field, sources in sources_by_field.items() %}
    {% if not loop.first %}union all{% endif %}
    select _database as source_database, _table as source_table,
        max({{ field }}) as last_loaded_at
    from merge(REGEXP('^raw_({{ sources | join("|") }})$'), '.*')
    group by source_database, source_table
{%- endfor %}
)
order by lag_minutes desc
