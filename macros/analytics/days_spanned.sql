{#- Every day from `first_day` to `last_day` (Date columns, neither NULL), one row each: an
    arrayJoin, so a row of a span becomes a row per day of it. -#}
{% macro days_spanned(first_day, last_day) -%}
    arrayJoin(arrayMap(
        day_offset -> addDays(assumeNotNull({{ first_day }}), day_offset),
        range(toUInt32(dateDiff('day', {{ first_day }}, {{ last_day }})) + 1)
    ))
{%- endmacro %}
