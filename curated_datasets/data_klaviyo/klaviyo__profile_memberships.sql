{#- One row per profile x list or segment it belongs to, unnested at read time from the
    profile's current list and segment ids, so a membership the profile has left is gone. -#}
{{
    config(
        materialized='view',
    )
}}

with

profiles as (
    select
        source_relation,
        id,
        list_ids,
        segment_ids,
        updated_at,
        _loaded_at
    from {{ ref('klaviyo__profiles') }} final
),

memberships as (
    select
        source_relation,
        id as profile_id,
        membership.1 as audience_type,
        membership.2 as audience_id,
        updated_at as profile_updated_at,
        _loaded_at
    from profiles
    array join
        arrayConcat(
            arrayMap(list_id -> ('list', list_id), list_ids),
            arrayMap(segment_id -> ('segment', segment_id), segment_ids)
        ) as membership
)

select * from memberships
