{#- The `refreshable` config of an analytics model: a refreshable materialized view recomputed
    from the curated tables every `analytics_refresh_minutes` (var). Its DEPENDS ON clause is
    not configured here: refreshable_mv_clause derives it from the model's refs. -#}
{% macro analytics_refresh(depends_on=none) -%}
    {%- set minutes = var('analytics_refresh_minutes') | int -%}
    {%- if minutes < 1 -%}
        {{ exceptions.raise_compiler_error("var analytics_refresh_minutes must be a whole number of minutes >= 1, got " ~ var('analytics_refresh_minutes')) }}
    {%- endif -%}
    {%- set refreshable = {'interval': 'EVERY ' ~ minutes ~ ' MINUTE'} -%}
    {%- if depends_on -%}
        {%- do refreshable.update({'depends_on': depends_on}) -%}
    {%- endif -%}
    {{ return(refreshable) }}
{%- endmacro %}
