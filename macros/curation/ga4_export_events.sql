{#- One GA4 export row of a raw `events` table, in either layout (var ga4_export_layout),
    typed as the Parquet layout types it and keyed: what ga4__events and ga4__event_items
    both read. Renders a SELECT of
    - source_relation, property_id, export_type, loaded_at (UTC), the scalar export columns,
      event_date_text (the export's 'YYYYMMDD');
    - the records and arrays typed: params_array, items_array, device_record, geo_record,
      traffic_source_record, collected_traffic_source_record, last_click_record,
      ecommerce_record, event_dimensions_record;
    - event_key: hex MD5 of the export's identity fields (stream, user_pseudo_id,
      event_timestamp, event_name, the three batch ids and the params sorted by key; the
      property is in the models' key beside it, so the key does not depend on the layout,
      whose Airbyte rows carry no property_id), the same
      for every delivery of one event (intraday, daily, re-exported day), different for two
      events of one batch that share a timestamp;
    - _version: the delivery's rank (daily 3, fresh 2, intraday 1, anything else 0) times 10^14
      plus its load time in milliseconds, so a daily delivery replaces the intraday one and,
      among deliveries of one rank, the newest load wins;
    - ga_session_id, event_at (the export's microseconds as DateTime64(6, 'UTC'), NULL unless
      a plausible instant), event_date_parsed, price_unparsable_flags (per item position, see
      ga4_export_item_unparsable);
    - row_issues: the data quality labels of the row (records that could not be read, a
      missing or implausible timestamp, an unparsable event_date, a missing ga_session_id or
      user_pseudo_id).
    Never throws. -#}
{% macro ga4_export_events(raw) -%}
    {%- set records = [
        ['event_params', 'params_array', 'Array'],
        ['items', 'items_array', 'Array'],
        ['device', 'device_record', 'Object'],
        ['geo', 'geo_record', 'Object'],
        ['traffic_source', 'traffic_source_record', 'Object'],
        ['collected_traffic_source', 'collected_traffic_source_record', 'Object'],
        ['session_traffic_source_last_click', 'last_click_record', 'Object'],
        ['ecommerce', 'ecommerce_record', 'Object'],
        ['event_dimensions', 'event_dimensions_record', 'Object'],
    ] -%}
    select
        '{{ raw.schema }}' as source_relation,
        {{ ga4_export_field('property_id') }} as property_id,
        {{ ga4_export_field('export_type') }} as export_type,
        toTimeZone({{ ga4_export_field('_loaded_at') }}, 'UTC') as loaded_at,
        event_date as event_date_text,
        event_timestamp,
        event_name,
        stream_id,
        platform,
        user_id,
        user_pseudo_id,
        is_active_user,
        batch_page_id,
        batch_ordering_id,
        batch_event_index,
        event_value_in_usd,
        {%- for column, name, _ in records %}
        {{ ga4_export_field(column) }} as {{ name }},
        {%- endfor %}
        lower(hex(MD5(toString(tuple(
            stream_id,
            user_pseudo_id,
            event_timestamp,
            event_name,
            batch_page_id,
            batch_ordering_id,
            batch_event_index,
            arraySort(arrayMap(
                param -> tuple(
                    param.key,
                    param.value.string_value,
                    param.value.int_value,
                    param.value.float_value,
                    param.value.double_value
                ),
                params_array
            ))
        ))))) as event_key,
        multiIf(export_type = 'daily', 3, export_type = 'fresh', 2, export_type = 'intraday', 1, 0)
            * toUInt64(100000000000000)
            + toUInt64(greatest(toUnixTimestamp64Milli(loaded_at), 0)) as _version,
        {{ ga4_export_item_unparsable('price') }} as price_unparsable_flags,
        {{ ga4_event_param('params_array', 'ga_session_id', 'int') }} as ga_session_id,
        {# the export's microseconds, when they are a plausible instant (2000 to 2100) #}
        if(
            event_timestamp between 946684800000000 and 4102444800000000,
            fromUnixTimestamp64Micro(assumeNotNull(event_timestamp), 'UTC'),
            null
        ) as event_at,
        {{ parse_yyyymmdd('event_date') }} as event_date_parsed,
        {{ dq_issues(ga4_export_row_checks(records)) }} as row_issues
    from {{ raw }}
{%- endmacro %}

{#- The row-level data quality checks of ga4_export_events, as [label, condition] pairs. -#}
{% macro ga4_export_row_checks(records) -%}
    {%- set checks = [] -%}
    {%- for column, name, json_type in records -%}
        {%- do checks.append(['malformed_' ~ column, ga4_export_is_malformed(column, json_type)]) -%}
    {%- endfor -%}
    {%- do checks.append(['param_without_key', "arrayExists(param -> coalesce(param.key, '') = '', params_array)"]) -%}
    {%- do checks.append(['missing_event_timestamp', 'event_timestamp is null']) -%}
    {%- do checks.append(['implausible_event_timestamp', 'event_timestamp is not null and event_at is null']) -%}
    {%- do checks.append(['unparsable_event_date', 'event_date_parsed is null']) -%}
    {%- do checks.append(['missing_ga_session_id', 'ga_session_id is null']) -%}
    {%- do checks.append(['missing_user_pseudo_id', "coalesce(user_pseudo_id, '') = ''"]) -%}
    {{ return(checks) }}
{%- endmacro %}
