{#- A condition on a GA4 export table ordered by (source_relation, property_id, event_date,
    event_key, ...): the row's event is among the rows of the CTE `keys_of` (which has those
    columns), looked up through the primary key, so a few events read the granules of their
    days. An event whose date did not parse (NULL, kept and flagged) is looked up among the
    undated rows: NULL never equals NULL in a key set. -#}
{% macro ga4_event_keys_in(keys_of) -%}
    (
        {{ incremental_keys_in(['source_relation', 'property_id', 'event_date', 'event_key'], keys_of) }}
        or (event_date is null and {{ incremental_keys_in(['source_relation', 'property_id', 'event_key'], keys_of) }})
    )
{%- endmacro %}
