{#- SQL giving the target's partition id for a row of the model's SELECT ('all' when the target
    is not partitioned), so partitions can be planned without writing anything. -#}
{% macro backfill_partition_expression(target) -%}
    {%- if target.partition_key == '' -%}
        'all'
    {%- else -%}
        partitionId({{ target.partition_key }})
    {%- endif -%}
{%- endmacro %}
