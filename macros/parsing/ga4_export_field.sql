{#- One column of a GA4 export row as the Parquet layout types it, whichever layout the var
    `ga4_export_layout` names, so a model parses both with the same SQL. In the Parquet layout
    the column is read as it is; in the Airbyte layout a record or array (JSON text) is read
    into the same named Tuple / Array type with JSONExtract (NULL, empty, malformed text and
    values of the wrong type give empty arrays and NULL fields, never an error; integers given
    as JSON text are read). Airbyte's rows carry no load columns of the Parquet layout:
    `_loaded_at` is `_airbyte_extracted_at`; `property_id` is '' (the raw database stands for
    the property); `export_type` is 'daily' when `is_active_user` is set (Google fills it in
    the daily tables only), else 'intraday'. Only the fields the models read are typed: a
    Tuple field is read by name, so the Parquet layout may hold more.

        {{ ga4_export_field('event_params') }} as event_params
        {{ ga4_export_field('items', 'item_json') }}  {# an expression other than the column #}
-#}
{% macro ga4_export_field(column, expression=none) -%}
    {%- set types = ga4_export_json_types() -%}
    {%- set sql = expression or column -%}
    {%- set airbyte_columns = {
        '_loaded_at': raw_loaded_at_field('ga4_export'),
        'property_id': "''",
        'export_type': "if(is_active_user is null, 'intraday', 'daily')",
    } -%}
    {%- if ga4_export_layout() == 'airbyte' and column in airbyte_columns -%}
        {{ airbyte_columns[column] }}
    {%- elif ga4_export_layout() == 'parquet' or column not in types -%}
        {{ sql }}
    {%- else -%}
        JSONExtract(coalesce({{ sql }}, ''), '{{ types[column] }}')
    {%- endif -%}
{%- endmacro %}

{#- The Parquet-layout type of each export column the Airbyte layout holds as JSON text (the
    fields the curated models read). -#}
{% macro ga4_export_json_types() -%}
    {%- set s = 'Nullable(String)' -%}
    {%- set i = 'Nullable(Int64)' -%}
    {%- set f = 'Nullable(Float64)' -%}
    {%- set value = 'Tuple(string_value ' ~ s ~ ', int_value ' ~ i ~ ', float_value ' ~ f ~ ', double_value ' ~ f ~ ')' -%}
    {%- set params = 'Array(Tuple(key ' ~ s ~ ', value ' ~ value ~ '))' -%}
    {%- set campaign = 'Tuple(campaign_id ' ~ s ~ ', campaign_name ' ~ s ~ ', source ' ~ s ~ ', medium ' ~ s
        ~ ', term ' ~ s ~ ', content ' ~ s ~ ', source_platform ' ~ s ~ ')' -%}
    {{ return({
        'event_params': params,
        'user_properties': params,
        'privacy_info': 'Tuple(analytics_storage ' ~ s ~ ', ads_storage ' ~ s ~ ', uses_transient_token ' ~ s ~ ')',
        'user_ltv': 'Tuple(revenue ' ~ f ~ ', currency ' ~ s ~ ')',
        'device': 'Tuple(category ' ~ s ~ ', mobile_brand_name ' ~ s ~ ', mobile_model_name ' ~ s
            ~ ', operating_system ' ~ s ~ ', operating_system_version ' ~ s ~ ', language ' ~ s
            ~ ', is_limited_ad_tracking ' ~ s ~ ', browser ' ~ s ~ ', browser_version ' ~ s
            ~ ', web_info Tuple(browser ' ~ s ~ ', browser_version ' ~ s ~ ', hostname ' ~ s ~ '))',
        'geo': 'Tuple(city ' ~ s ~ ', country ' ~ s ~ ', continent ' ~ s ~ ', region ' ~ s
            ~ ', sub_continent ' ~ s ~ ', metro ' ~ s ~ ')',
        'app_info': 'Tuple(id ' ~ s ~ ', version ' ~ s ~ ', install_store ' ~ s ~ ', firebase_app_id ' ~ s
            ~ ', install_source ' ~ s ~ ')',
        'traffic_source': 'Tuple(name ' ~ s ~ ', medium ' ~ s ~ ', source ' ~ s ~ ')',
        'collected_traffic_source': 'Tuple(manual_campaign_id ' ~ s ~ ', manual_campaign_name ' ~ s
            ~ ', manual_source ' ~ s ~ ', manual_medium ' ~ s ~ ', manual_term ' ~ s
            ~ ', manual_content ' ~ s ~ ', gclid ' ~ s ~ ', dclid ' ~ s ~ ', srsltid ' ~ s ~ ')',
        'session_traffic_source_last_click': 'Tuple(manual_campaign ' ~ campaign
            ~ ', cross_channel_campaign Tuple(campaign_id ' ~ s ~ ', campaign_name ' ~ s ~ ', source ' ~ s
            ~ ', medium ' ~ s ~ ', source_platform ' ~ s ~ ', default_channel_group ' ~ s
            ~ ', primary_channel_group ' ~ s ~ '))',
        'event_dimensions': 'Tuple(hostname ' ~ s ~ ')',
        'ecommerce': 'Tuple(total_item_quantity ' ~ i ~ ', purchase_revenue_in_usd ' ~ f
            ~ ', purchase_revenue ' ~ f ~ ', refund_value_in_usd ' ~ f ~ ', refund_value ' ~ f
            ~ ', shipping_value_in_usd ' ~ f ~ ', shipping_value ' ~ f ~ ', tax_value_in_usd ' ~ f
            ~ ', tax_value ' ~ f ~ ', unique_items ' ~ i ~ ', transaction_id ' ~ s ~ ')',
        'items': 'Array(Tuple(item_id ' ~ s ~ ', item_name ' ~ s ~ ', item_brand ' ~ s ~ ', item_variant ' ~ s
            ~ ', item_category ' ~ s ~ ', item_category2 ' ~ s ~ ', item_category3 ' ~ s
            ~ ', item_category4 ' ~ s ~ ', item_category5 ' ~ s ~ ', price_in_usd ' ~ f ~ ', price ' ~ f
            ~ ', quantity ' ~ i ~ ', item_revenue_in_usd ' ~ f ~ ', item_revenue ' ~ f
            ~ ', item_refund_in_usd ' ~ f ~ ', item_refund ' ~ f ~ ', coupon ' ~ s ~ ', affiliation ' ~ s
            ~ ', location_id ' ~ s ~ ', item_list_id ' ~ s ~ ', item_list_name ' ~ s
            ~ ', item_list_index ' ~ s ~ ', promotion_id ' ~ s ~ ', promotion_name ' ~ s
            ~ ', creative_name ' ~ s ~ ', creative_slot ' ~ s ~ ', item_params ' ~ params ~ '))',
    }) }}
{%- endmacro %}
