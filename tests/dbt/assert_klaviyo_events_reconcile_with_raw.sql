{#- Reconciliation: every keyed raw Klaviyo event (non-empty id) is one curated event, and
    every curated event comes from raw; keyless rows are accounted for in klaviyo__unkeyed_rows.
    Returns the event ids found on one side only. -#}
with

raw_keys as (
    {% call(raw) for_each_raw_database('klaviyo', 'events') %}
    select distinct
        '{{ raw.schema }}' as source_relation,
        id
    from {{ raw }}
    where id != ''
    {% endcall %}
),

curated_keys as (
    select
        source_relation,
        id
    from {{ ref('klaviyo__events') }} final
),

only_in_raw as (
    select
        'missing from curated' as problem,
        raw_keys.source_relation,
        raw_keys.id
    from raw_keys
    left anti join curated_keys
        on
            raw_keys.source_relation = curated_keys.source_relation
            and raw_keys.id = curated_keys.id
),

only_in_curated as (
    select
        'not in raw' as problem,
        curated_keys.source_relation,
        curated_keys.id
    from curated_keys
    left anti join raw_keys
        on
            curated_keys.source_relation = raw_keys.source_relation
            and curated_keys.id = raw_keys.id
)

select * from only_in_raw
union all
select * from only_in_curated
