{#- True when year, month and day (integers) name a real calendar date in 1900-2299: a day
    past the month's end would roll into the next month. -#}
{% macro backfill_is_calendar_date(year, month, day) -%}
    {{ return(
        1900 <= year <= 2299 and 1 <= month <= 12 and 1 <= day <= 31
        and (modules.datetime.date(year, month, 1) + modules.datetime.timedelta(days=day - 1)).month == month
    ) }}
{%- endmacro %}
