{#- One row per item of an ecommerce event of the GA4 export, as the item funnel, item-list and
    cart-abandonment models read them: the current rows of the incremental state
    int_ga4__commerce_items_state. -#}
{{ config(materialized='view') }}

{{ incremental_current(ref('int_ga4__commerce_items_state')) }}
