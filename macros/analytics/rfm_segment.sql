{#- The named RFM segment of a customer from R, F, M scores (1-5) and the order count; the
    first rule that matches wins. -#}
{% macro rfm_segment(recency, frequency, monetary, orders) -%}
    multiIf(
        {{ recency }} >= 4 and {{ frequency }} >= 4 and {{ monetary }} >= 4, 'champions',
        {{ recency }} >= 3 and {{ frequency }} >= 4, 'loyal',
        {{ recency }} >= 4 and {{ orders }} = 1, 'new',
        {{ recency }} >= 3, 'potential',
        {{ recency }} <= 2 and {{ frequency }} >= 3, 'at_risk',
        {{ recency }} = 2, 'hibernating',
        'lost'
    )
{%- endmacro %}
