{#- One row per GA4 event of the BigQuery export, every raw export database (one per
    property) feeding it through its own materialized view. The export has no event id and
    delivers events again (the intraday table's events return in the daily table; a daily
    table is rewritten with late events for up to 72 hours), so rows are keyed by event_key,
    built from the export's identity fields, and the version ranks deliveries: daily over
    fresh over intraday, then the newest load. Either raw layout (var ga4_export_layout) is
    read through the same parsing macros; bad input is kept and flagged. -#}
{{
    config(
        engine='ReplacingMergeTree(_version)',
        order_by='(source_relation, property_id, event_date, event_key)',
        settings={'allow_nullable_key': 1},
        partition_by="toYYYYMM(coalesce(event_date, toDate('1970-01-01')))",
    )
}}

{% call(raw) for_each_raw_database('ga4_export', 'events') %}
with

export_events as (
    {{ ga4_export_events(raw) }}
),

final as (
    select
        source_relation,
        property_id,
        event_key,
        event_at,
        event_timestamp,
        event_date_parsed as event_date,
        event_date_text,
        event_name,
        ga_session_id,
        {{ ga4_event_param('params_array', 'ga_session_number', 'int') }} as ga_session_number,
        {{ ga4_event_param('params_array', 'page_location') }} as page_location,
        nullIf(path(coalesce(page_location, '')), '') as page_path,
        {{ ga4_event_param('params_array', 'page_referrer') }} as page_referrer,
        {{ ga4_event_param('params_array', 'page_title') }} as page_title,
        {{ ga4_event_param('params_array', 'engagement_time_msec', 'int') }} as engagement_time_msec,
        {{ ga4_event_param('params_array', 'session_engaged', 'int') }} as session_engaged,
        {{ ga4_event_param('params_array', 'entrances', 'int') }} as entrances,
        {{ ga4_event_param('params_array', 'source', 'lower_string') }} as event_source,
        {{ ga4_event_param('params_array', 'medium', 'lower_string') }} as event_medium,
        {{ ga4_event_param('params_array', 'campaign', 'lower_string') }} as event_campaign,
        {{ ga4_event_param('params_array', 'content', 'lower_string') }} as event_content,
        {{ ga4_event_param('params_array', 'term', 'lower_string') }} as event_term,
        {{ ga4_event_param('params_array', 'gclid') }} as gclid,
        stream_id,
        platform,
        event_dimensions_record.hostname as hostname,
        device_record.category as device_category,
        device_record.operating_system as device_operating_system,
        device_record.browser as device_browser,
        device_record.language as device_language,
        device_record.web_info.hostname as device_web_hostname,
        geo_record.continent as geo_continent,
        geo_record.sub_continent as geo_sub_continent,
        geo_record.country as geo_country,
        geo_record.region as geo_region,
        geo_record.city as geo_city,
        geo_record.metro as geo_metro,
        traffic_source_record.source as first_user_source,
        traffic_source_record.medium as first_user_medium,
        traffic_source_record.name as first_user_campaign,
        collected_traffic_source_record.manual_source as collected_source,
        collected_traffic_source_record.manual_medium as collected_medium,
        collected_traffic_source_record.manual_campaign_name as collected_campaign,
        collected_traffic_source_record.gclid as collected_gclid,
        last_click_record.manual_campaign.source as last_click_source,
        last_click_record.manual_campaign.medium as last_click_medium,
        last_click_record.manual_campaign.campaign_name as last_click_campaign,
        last_click_record.cross_channel_campaign.default_channel_group as last_click_channel_group,
        user_id,
        user_pseudo_id,
        is_active_user,
        {# dbt-ga4's keys: base64 of the MD5 of user_pseudo_id || stream_id, then of
           client_key || ga_session_id; NULL when a part is NULL, as BigQuery's concat gives #}
        base64Encode(MD5(concat(user_pseudo_id, stream_id))) as client_key,
        base64Encode(MD5(concat(client_key, toString(ga_session_id)))) as session_key,
        batch_page_id,
        batch_ordering_id,
        batch_event_index,
        nullIf(ecommerce_record.transaction_id, '') as transaction_id,
        {{ float_decimal('ecommerce_record.purchase_revenue') }} as purchase_revenue,
        {{ float_decimal('ecommerce_record.shipping_value') }} as shipping_value,
        {{ float_decimal('ecommerce_record.tax_value') }} as tax_value,
        {{ float_decimal('ecommerce_record.refund_value') }} as refund_value,
        ecommerce_record.total_item_quantity as total_item_quantity,
        ecommerce_record.unique_items as unique_items,
        {{ float_decimal('event_value_in_usd') }} as event_value_in_usd,
        length(items_array) as item_count,
        export_type,
        loaded_at as _loaded_at,
        _version,
        arrayConcat(
            row_issues,
            {{ dq_issues([
                ['unparsable_item_price', 'has(price_unparsable_flags, 1)'],
            ]) }}
        ) as _dq_issues
    from export_events
)

select * from final
{% endcall %}
