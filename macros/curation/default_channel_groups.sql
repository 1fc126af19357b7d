{#- GA4's default channel group of each distinct (session_source, session_medium) pair of a
    relation, by the rules of the seed ga4_default_channel_groups: the matching rule with the
    lowest priority wins ('all' rules need source and medium to match, 'any' rules either).
    Renders a SELECT of session_source, session_medium, default_channel_group; pairs no rule
    matches are left out. -#}
{% macro default_channel_groups(source_mediums) -%}
    select
        pairs.session_source as session_source,
        pairs.session_medium as session_medium,
        argMin(rules.channel_group, rules.priority) as default_channel_group
    from (select distinct session_source, session_medium from {{ source_mediums }}) as pairs
    cross join {{ ref('ga4_default_channel_groups') }} as rules
    where
        if(
            rules.match_mode = 'any',
            match(lower(pairs.session_source), rules.source_pattern)
            or match(lower(pairs.session_medium), rules.medium_pattern),
            match(lower(pairs.session_source), rules.source_pattern)
            and match(lower(pairs.session_medium), rules.medium_pattern)
        )
    group by pairs.session_source, pairs.session_medium
{%- endmacro %}
