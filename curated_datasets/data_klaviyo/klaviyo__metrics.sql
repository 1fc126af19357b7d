{#- One row per Klaviyo metric (Placed Order, Opened Email, ...): the names events refer to
    by metric id. -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, id)',
    )
}}

{% call klaviyo_named_resource('metrics') %}
        nullIf(JSONExtractString(attributes_json, 'integration', 'id'), '') as integration_id,
        nullIf(JSONExtractString(attributes_json, 'integration', 'key'), '') as integration_key,
        nullIf(JSONExtractString(attributes_json, 'integration', 'name'), '') as integration_name,
        nullIf(JSONExtractString(attributes_json, 'integration', 'category'), '') as integration_category,
{% endcall %}
