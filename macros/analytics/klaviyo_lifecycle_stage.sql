{#- The lifecycle stage of a profile from its order count and days since its last order, by the
    thresholds in vars lifecycle_new_days, lifecycle_active_days and lifecycle_churn_days. -#}
{% macro klaviyo_lifecycle_stage(orders, days_since_last_order) -%}
    multiIf(
        {{ orders }} = 0, 'never_purchased',
        {{ orders }} = 1 and {{ days_since_last_order }} <= {{ number_var('lifecycle_new_days', 0) }}, 'new',
        {{ days_since_last_order }} <= {{ number_var('lifecycle_active_days', 0) }}, 'active',
        {{ days_since_last_order }} <= {{ number_var('lifecycle_churn_days', 0) }}, 'at_risk',
        'churned'
    )
{%- endmacro %}
