{#- GA4 pages of the BigQuery export per property, day (the export's event_date) and page
    path: page views, distinct clients, entrances and exits (sessions that landed on or left
    from the page, counted on the session's day), engagement time, and the product handle of
    a product page. Which Shopify product that is, is cross-source work: shop_page_engagement
    (analytics_cross_source) adds it. A view: the current rows of the incremental state
    int_ga4__page_engagement_state, which each analytics refresh brings up to date for the
    days new events and changed sessions touch. -#}
{{ config(materialized='view') }}

{{ incremental_current(ref('int_ga4__page_engagement_state')) }}
