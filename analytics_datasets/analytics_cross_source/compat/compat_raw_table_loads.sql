{#- Compatibility view, kept for readers outside this project: the former name
    `analytics_cross_source.raw_table_loads`. New code reads int_raw__table_loads. -#}
{{ config(materialized='view', alias='raw_table_loads') }}

select * from {{ ref('int_raw__table_loads') }}  -- noqa: AM04
