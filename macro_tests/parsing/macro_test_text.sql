{#- The input of the macros' unit tests: a case name and one nullable text value, no rows.
    Each unit test supplies its own rows (format sql: the model is ephemeral). -#}
select
    '' as case_name,
    cast(null, 'Nullable(String)') as input_text
where false
