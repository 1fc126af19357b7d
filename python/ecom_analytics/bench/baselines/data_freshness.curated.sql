{#- Baseline for the benchmark, not a definition: the newest load of every curated table of
    every source (var `sources`), to time what the model data_freshness (the definition) saves
    a reader. Not compared: the answer depends on when it is read. -#}
select _database as curated_database, _table as curated_table,
    max(_loaded_at) as last_loaded_at,
    round(dateDiff('millisecond', last_loaded_at, now64(3, 'UTC')) / 60000, 1)
        as lag_minutes
from merge(REGEXP('^data_({{ source_names() | join("|") }})$'), '^[a-z]')
group by curated_database, curated_table
order by lag_minutes desc
