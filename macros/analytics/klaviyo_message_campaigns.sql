{#- Which campaign each message belongs to, as a query: by campaigns_detailed's messages or by
    the campaigns stream's `attributes.message` (real connector records carry either). One row
    per (source_relation, message_id, campaign_id); a message claimed by several campaigns (bad
    input) has several. -#}
{% macro klaviyo_message_campaigns(campaign_messages, campaigns) -%}
    select
        source_relation,
        message_id,
        campaign_id
    from {{ campaign_messages }}
    union distinct
    select
        source_relation,
        assumeNotNull(message_id) as message_id,
        id as campaign_id
    from {{ campaigns }}
    where message_id is not null
{%- endmacro %}
