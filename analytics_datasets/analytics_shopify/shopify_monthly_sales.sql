{#- The daily sales summed per month: every measure is additive, AOV is recomputed. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, sales_month)',
    )
}}

with

daily_sales as (
    select * from {{ ref('shopify_daily_sales') }}
),

final as (
    select
        source_relation,
        toStartOfMonth(sales_date) as sales_month,
        {{ shopify_sales_measures() }}
    from daily_sales
    group by source_relation, sales_month
)

select * from final
