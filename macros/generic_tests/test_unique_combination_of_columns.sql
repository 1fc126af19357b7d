{#- Grain test: the combination of columns is unique in the model. A ReplacingMergeTree or
    AggregatingMergeTree target holds several rows of a key until background merges run, so it
    is read with FINAL, as its readers read it; any other relation is read as it is. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{%- set final = '' -%}
{%- if execute -%}
    {#- no row when the model is not built yet (compiling on a fresh database) -#}
    {%- set found = run_query(
        "select engine from system.tables where database = '" ~ model.schema
        ~ "' and name = '" ~ model.identifier ~ "'"
    ).rows -%}
    {%- if found | length > 0 and ('Replacing' in found[0][0] or 'Aggregating' in found[0][0]) -%}
        {%- set final = ' final' -%}
    {%- endif -%}
{%- endif %}
select
    {{ combination_of_columns | join(',\n    ') }},
    count() as row_count
from {{ model }}{{ final }}
group by {{ combination_of_columns | join(', ') }}
having count() > 1
{% endtest %}
