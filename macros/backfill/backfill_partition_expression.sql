{#- SQL giving the target's partition id for a row of the model's SELECT ('all' when the target
    is not partitioned: no key or `tuple()`), so partitions can be planned without writing
    anything. `value` is SQL holding the partition key's value (default: the key itself). A
    tuple key, which the engine shows as `(a, b)` (and a single expression as `(a)`), passes
    its elements as separate arguments: partitionId of the one tuple would hash differently. -#}
{% macro backfill_partition_expression(target, value=none) -%}
    {%- set key = target.partition_key -%}
    {%- set value = value or key -%}
    {#- a tuple when the parenthesis that opens the key closes at its very end and holds a
        comma of its own: `(toYYYYMM(day))` is one expression -#}
    {%- set scan = namespace(depth=0, closes_at=-1, comma=false) -%}
    {%- for character in key if scan.closes_at < 0 -%}
        {%- set scan.depth = scan.depth + (1 if character == '(' else (-1 if character == ')' else 0)) -%}
        {%- if scan.depth == 0 -%}{%- set scan.closes_at = loop.index0 -%}{%- endif -%}
        {%- if scan.depth == 1 and character == ',' -%}{%- set scan.comma = true -%}{%- endif -%}
    {%- endfor -%}
    {%- if key in ('', 'tuple()') -%}
        'all'
    {%- elif key.startswith('(') and scan.closes_at == key | length - 1 and scan.comma -%}
        partitionId(untuple({{ value }}))
    {%- else -%}
        partitionId({{ value }})
    {%- endif -%}
{%- endmacro %}
