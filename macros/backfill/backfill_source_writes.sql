{#- What the reconciliation reads before and after each comparison to know whether loads could
    have made its two sides disagree (a comparison is quiet when the blocks did not move and no
    insert ran through both readings).
    - blocks: per table and partition, the highest block number among active parts, over the
      tables the model's views read and the target itself. Inserts take new block numbers, and a
      partition that is dropped disappears from the list; merges keep the highest one, so
      background merges leave it alone.
    - inserts: the query ids of the INSERT queries running at that moment. One insert commits
      the raw part first and the target part its views compute later, and the gap can last
      seconds on a busy machine: an insert that had committed its raw part before the first
      reading and its target part after the second changes neither's blocks, yet shows as one
      more row on the raw side. Such an insert is running at both readings. Every running insert
      counts, not only those into the source tables: an insert into another table reaches them
      through a chain of views, and its query names only the first table. -#}
{% macro backfill_source_writes(target) -%}
    {%- set tables = ["'" ~ target.relation ~ "'"] -%}
    {%- for table in target.load_times.keys() -%}
        {%- do tables.append("'" ~ table ~ "'") -%}
    {%- endfor -%}
    {%- set found = run_query(
        "select toString(arraySort(groupArray((concat(database, '.', table), partition_id, highest)))),"
        ~ " (select arrayStringConcat(groupArray(hex(query_id)), ' ') from system.processes where query_kind = 'Insert')"
        ~ " from (select database, table, partition_id, max(max_block_number) as highest from system.parts"
        ~ " where active and concat(database, '.', table) in (" ~ tables | join(', ') ~ ")"
        ~ " group by database, table, partition_id)"
    ) -%}
    {#- as text (agate reads an array as its text): hex ids joined by spaces -#}
    {{ return({'blocks': found.rows[0][0], 'inserts': found.rows[0][1].split()}) }}
{%- endmacro %}

