{#- An order's source and medium as GA4 would record its session, as three columns:
    referrer_host, session_source and session_medium. UTM parameters first, then the referring
    host (GA4's channel rules tell search and social hosts apart), else a direct visit. The
    UTM arguments are nullable (NULL when the landing URL has no such parameter, as
    url_parameter gives them).

        {{ order_session_source_medium('utm_source', 'utm_medium', 'referring_site') }}
-#}
{% macro order_session_source_medium(utm_source, utm_medium, referring_site) -%}
    domain(coalesce({{ referring_site }}, '')) as referrer_host,
        multiIf(
            {{ utm_source }} is not null or {{ utm_medium }} is not null, lower(coalesce({{ utm_source }}, '(not set)')),
            referrer_host != '', referrer_host,
            '(direct)'
        ) as session_source,
        multiIf(
            {{ utm_source }} is not null or {{ utm_medium }} is not null, lower(coalesce({{ utm_medium }}, '(not set)')),
            referrer_host != '', 'referral',
            '(none)'
        ) as session_medium
{%- endmacro %}
