{#- A number that changes whenever one of the tables the model's views read receives an insert
    (or loses a partition): the sum, over their partitions, of the highest block number among
    active parts. Inserts take new block numbers; merges keep the highest one, so background
    merges leave it alone. -#}
{% macro backfill_source_writes(target) -%}
    {%- set tables = [] -%}
    {%- for table in target.load_times.keys() -%}
        {%- do tables.append("'" ~ table ~ "'") -%}
    {%- endfor -%}
    {%- set found = run_query(
        "select toString(sum(highest)) from (select max(max_block_number) as highest from system.parts"
        ~ " where active and concat(database, '.', table) in (" ~ tables | join(', ') ~ ")"
        ~ " group by database, table, partition_id)"
    ) -%}
    {{ return(found.rows[0][0]) }}
{%- endmacro %}
