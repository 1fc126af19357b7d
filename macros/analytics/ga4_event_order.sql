{#- The order of GA4 export events within a session, as a sortable tuple of the curated events'
    columns: event_timestamp, then the batch ids, since events of one batch may share
    event_timestamp. Missing values sort first. One definition for sessions and funnels. -#}
{% macro ga4_event_order() -%}
    tuple(
        coalesce(event_timestamp, 0),
        coalesce(batch_page_id, 0),
        coalesce(batch_ordering_id, 0),
        coalesce(batch_event_index, 0)
    )
{%- endmacro %}
