{#- One row per Klaviyo list (static audiences profiles subscribe to). -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, id)',
    )
}}

{% call klaviyo_named_resource('lists') %}
        nullIf(JSONExtractString(attributes_json, 'opt_in_process'), '') as opt_in_process,
{% endcall %}
