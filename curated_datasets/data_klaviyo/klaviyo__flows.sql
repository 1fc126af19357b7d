{#- One row per Klaviyo flow (automated series such as Welcome or Abandoned Cart). -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, id)',
    )
}}

{% call klaviyo_named_resource('flows') %}
        nullIf(JSONExtractString(attributes_json, 'status'), '') as status,
        JSONExtract(attributes_json, 'archived', 'Nullable(Bool)') as archived,
        nullIf(JSONExtractString(attributes_json, 'trigger_type'), '') as trigger_type,
{% endcall %}
