{#- One row per GA4 property, day, host and page path with query string: page views and
    bounce rate, with the path split into path, query parameters and Shopify product handle.
    The newest read of a key wins (version _loaded_at), so a day GA4 restates replaces its
    earlier figures; a garbage date is kept (date null, flagged) under its raw text. -#}
{{
    config(
        engine='ReplacingMergeTree(_loaded_at)',
        order_by='(source_relation, property_id, date_text, host_name, page_path_plus_query_string)',
    )
}}

{% call(raw) for_each_raw_database('ga4', 'pages') %}
with

source as (
    select
        *,
        date as date_text
    from {{ raw }}
),

paths as (
    select
        *,
        cutQueryStringAndFragment(pagePathPlusQueryString) as path_only,
        queryString(pagePathPlusQueryString) as query_only
    from source
),

final as (
    select
        '{{ raw.schema }}' as source_relation,
        property_id,
        {{ parse_yyyymmdd('date_text') }} as date,
        date_text,
        hostName as host_name,
        pagePathPlusQueryString as page_path_plus_query_string,
        path_only as page_path,
        nullIf(query_only, '') as query_string,
        extractKeyValuePairs(query_only, '=', '&') as query_parameters,
        nullIf(decodeURLComponent(extract(path_only, '/products/([^/]+)')), '') as product_handle,
        screenPageViews as screen_page_views,
        bounceRate as bounce_rate,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        {{ dq_issues([
            ['unparsable_date', 'date is null'],
        ]) }} as _dq_issues
    from paths
)

select * from final
{% endcall %}
