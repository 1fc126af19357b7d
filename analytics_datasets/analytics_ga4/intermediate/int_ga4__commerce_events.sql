{#- One row per ecommerce event of the GA4 export, as the funnel, item-list and
    cart-abandonment models read them: the current rows of the incremental state
    int_ga4__commerce_events_state. -#}
{{ config(materialized='view') }}

{{ incremental_current(ref('int_ga4__commerce_events_state')) }}
