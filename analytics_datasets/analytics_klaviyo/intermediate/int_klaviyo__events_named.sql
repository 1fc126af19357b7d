{#- One row per current Klaviyo event with its metric's name, as the Klaviyo analytics models
    read it: the curated view klaviyo__events_named (the one definition of an event's metric
    name) with the reporting date and the channel. A view: the current rows of the incremental
    state int_klaviyo__events_named_state, which each analytics refresh brings up to date for
    the events new rows touched, so FINAL and the metric lookup run once per new event, not once
    per reading model. -#}
{{ config(materialized='view') }}

with

events_named as (
    {{ incremental_current(ref('int_klaviyo__events_named_state')) }}
),

final as (
    select
        source_relation,
        event_id,
        metric_name,
        occurred_at,
        event_date,
        profile_id,
        message_id,
        flow_id,
        channel,
        attributed_message_id,
        attributed_flow_id,
        attributed_channel,
        order_id,
        value  -- noqa: RF04
    from events_named
)

select * from final
