{#- The key columns of an incremental state, its config `order_by`, each with its type from the
    config `incremental_columns`, as (name, type) pairs. -#}
{% macro incremental_keys() -%}
    {%- set types = {} -%}
    {%- for column in (config.get('incremental_columns') or '').split(',') if column.strip() -%}
        {%- set name_type = column.strip().split(' ', 1) -%}
        {%- do types.update({name_type[0]: name_type[1] | trim}) -%}
    {%- endfor -%}
    {%- set keys = [] -%}
    {%- for key in (config.get('order_by') or '').strip('()').split(',') if key.strip() -%}
        {%- if key.strip() not in types and execute -%}
            {{ exceptions.raise_compiler_error(model.name ~ ": the key " ~ key.strip() ~ " of order_by needs its type in the config incremental_columns") }}
        {%- endif -%}
        {%- do keys.append((key.strip(), types.get(key.strip()))) -%}
    {%- endfor -%}
    {{ return(keys) }}
{%- endmacro %}

{#- The watermark row's columns: every key at its type's default value ('' and 0), a key no row
    has. Each refresh that finds news appends it as a tombstone (readers never see it); its
    newest `_computed_at` is the state's watermark. -#}
{% macro incremental_watermark_row() -%}
    {%- for name, type in incremental_keys() -%}
        defaultValueOfTypeName('{{ type }}') as {{ name }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- The state's watermark: when its last refresh that found news started (the newest
    `_computed_at` of the watermark row, read through the primary key, so a granule per part
    at most); 1970 while the state is empty. The key is matched as a tuple `in` a one-element
    set: through the Merge table, ClickHouse 26.9 drops `string_key = ''` from the primary key
    condition (and reads every granule), but keeps a set. -#}
{% macro incremental_watermark() -%}
    {%- set keys = incremental_keys() -%}
    (select max(_computed_at) from {{ incremental_previous() }}
    where ({{ keys | map(attribute=0) | join(', ') }}) in (tuple(
        {%- for name, type in keys %}defaultValueOfTypeName('{{ type }}'){{ ', ' if not loop.last }}{% endfor -%}
    )))
{%- endmacro %}
