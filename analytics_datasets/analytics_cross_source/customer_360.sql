{#- One row per customer email across Shopify and Klaviyo: what they bought, how they engage,
    what Klaviyo predicts, and whether they may be emailed. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(email)',
    )
}}

with

shopify_customer_value as (
    select * from {{ ref('shopify_customer_value') }}
    where email != ''
),

shopify_customer_records as (
    select * from {{ current(ref('shopify__customers')) }}
    where coalesce(email, '') != ''
),

shopify_consent as (
    select
        lower(shopify_customer_records.email) as customer_email,
        argMax(shopify_customer_records.email_marketing_state, shopify_customer_records.updated_at)
            as shopify_email_marketing_state
    from shopify_customer_records
    group by customer_email
),

customer_lifecycle as (
    select * from {{ ref('klaviyo_customer_lifecycle') }}
    where coalesce(email, '') != ''
),

named_events as (
    select * from {{ ref('int_klaviyo__events_named') }}
    where profile_id != ''
),

{# a person may be a customer of several shops: their figures add up #}
purchases as (
    select
        email,
        min(customer_id) as shopify_customer_id,
        min(first_order_at) as first_order_at,
        max(last_order_at) as last_order_at,
        sum(orders) as order_count,
        sum(lifetime_gross_sales) as gross_sales,
        sum(lifetime_net_sales) as net_sales,
        sum(lifetime_refunds) as refunds,
        sum(average_order_value * orders) as gross_after_discounts,
        argMax(rfm_segment, orders) as shopify_rfm_segment
    from shopify_customer_value
    group by email
),

profiles as (
    select
        assumeNotNull(email) as email,
        argMax(profile_id, orders) as klaviyo_profile_id,
        argMax(predicted_clv, orders) as klaviyo_predicted_clv,
        argMax(churn_probability, orders) as klaviyo_churn_probability,
        argMax(lifecycle_stage, orders) as klaviyo_lifecycle_stage,
        argMax(clv_segment, orders) as klaviyo_clv_segment,
        argMax(email_marketing_consent, orders) as klaviyo_email_marketing_consent
    from customer_lifecycle
    group by email
),

engagement as (
    select
        customer_lifecycle.email as email,
        maxIf(named_events.occurred_at, named_events.metric_name = 'Opened Email') as open_at,
        maxIf(named_events.occurred_at, named_events.metric_name in ('Clicked Email', 'Clicked SMS')) as click_at,
        countIf(named_events.occurred_at >= now() - interval 30 day) as events_in_30_days,
        countIf(named_events.occurred_at >= now() - interval 90 day) as events_in_90_days
    from named_events
    inner join customer_lifecycle
        on
            named_events.source_relation = customer_lifecycle.source_relation
            and named_events.profile_id = customer_lifecycle.profile_id
    group by customer_lifecycle.email
),

emails as (
    select email from purchases
    union distinct
    select email from profiles
),

final as (
    select
        purchases.shopify_customer_id as shopify_customer_id,
        profiles.klaviyo_profile_id as klaviyo_profile_id,
        purchases.first_order_at as first_order_at,
        purchases.last_order_at as last_order_at,
        purchases.gross_sales as lifetime_gross_sales,
        purchases.net_sales as lifetime_net_sales,
        purchases.refunds as lifetime_refunds,
        purchases.shopify_rfm_segment as rfm_segment,
        profiles.klaviyo_predicted_clv as predicted_clv,
        profiles.klaviyo_churn_probability as churn_probability,
        profiles.klaviyo_lifecycle_stage as lifecycle_stage,
        profiles.klaviyo_clv_segment as clv_segment,
        profiles.klaviyo_email_marketing_consent as email_marketing_consent,
        shopify_consent.shopify_email_marketing_state as shopify_email_marketing_state,
        assumeNotNull(emails.email) as email,
        purchases.email is not null as is_shopify_customer,
        profiles.email is not null as is_klaviyo_profile,
        coalesce(purchases.order_count, 0) as orders,
        if(
            coalesce(purchases.order_count, 0) = 0, null,
            toDecimal128(purchases.gross_after_discounts / purchases.order_count, 9)
        ) as average_order_value,
        nullIf(engagement.open_at, 0) as last_open_at,
        nullIf(engagement.click_at, 0) as last_click_at,
        coalesce(engagement.events_in_30_days, 0) as events_in_30_days,
        coalesce(engagement.events_in_90_days, 0) as events_in_90_days
    from emails
    left join purchases on emails.email = purchases.email
    left join profiles on emails.email = profiles.email
    left join engagement on emails.email = engagement.email
    left join shopify_consent on emails.email = shopify_consent.customer_email
    settings join_use_nulls = 1
)

select * from final
