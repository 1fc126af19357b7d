{#- Baseline for the benchmark, not a definition: the newest load of every raw table of
    every source (var `sources`), to time what the model data_freshness (the definition) saves
    a reader. Not compared: the answer depends on when it is read. -#}
select _database as source_database, _table as source_table,
    max(_airbyte_extracted_at) as last_loaded_at,
    round(dateDiff('millisecond', last_loaded_at, now64(3)) / 60000, 1) as lag_minutes
from merge(REGEXP('^raw_({{ source_names() | join("|") }})$'), '.*')
group by source_database, source_table
order by lag_minutes desc
