{#- A query-string parameter of a URL (utm_source, gclid, ...), form-decoded, NULL when absent.
    Works on full URLs and on bare paths with a query ('/products/x?utm_source=ig'), which is
    how Shopify stores landing_site. Never throws. -#}
{% macro url_parameter(url, name) -%}
    nullIf(decodeURLFormComponent(extractURLParameter(coalesce({{ url }}, ''), '{{ name }}')), '')
{%- endmacro %}
