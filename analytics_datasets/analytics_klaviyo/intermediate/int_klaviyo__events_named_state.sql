{#- The incremental state behind int_klaviyo__events_named: one row per current Klaviyo event
    with its metric's name, keyed by metric and day, so a model that reads a few metrics, or the
    days a refresh changed, reads only those. Each refresh recomputes the events inserted since
    the last one (int_klaviyo__event_changes), and every event of a metric that arrived or
    changed (its name is resolved when read, in klaviyo__events_named); the rows it held for
    them give way to the recomputed ones, so an event that moved to another day or metric
    leaves the old key. -#}
{{
    config(
        order_by='(source_relation, metric_name, event_date, event_id)',
        incremental_columns='source_relation String, metric_name String, event_date Date, event_id String, metric_id String',
        **incremental_state_config(),
    )
}}

with

changes as (
    select * from {{ ref('int_klaviyo__event_changes') }}
    where {{ incremental_new('_changed_at') }}
),

changed_metrics as (
    select distinct
        source_relation,
        metric_id
    from changes
    where event_id is null
),

changed_ids as (
    select distinct
        source_relation,
        assumeNotNull(event_date) as event_date,
        assumeNotNull(event_id) as event_id
    from changes
    where event_id is not null
),

{# the keys the state holds for the changed events, to give way to the recomputed rows: looked
   up in the changed days' months, as the curated events never move between months (they are
   partitioned by month); and every held event of a changed metric (metric rows are few, and
   rarely change) #}
held_events as (
    select
        source_relation,
        metric_name,
        event_date,
        event_id
    from {{ incremental_previous() }}
    where
        event_date >= (select toStartOfMonth(min(changed_ids.event_date)) from changed_ids)
        and event_date <= (select toLastDayOfMonth(max(changed_ids.event_date)) from changed_ids)
        and {{ incremental_keys_in(['source_relation', 'event_id'], 'changed_ids') }}
    union distinct
    select
        source_relation,
        metric_name,
        event_date,
        event_id
    from {{ incremental_previous() }}
    where
        (select count() from changed_metrics) > 0
        and {{ incremental_keys_in(['source_relation', 'metric_id'], 'changed_metrics') }}
),

{# the events to recompute, under the names of the columns they look up #}
changed_event_ids as (
    select
        source_relation,
        event_date,
        event_id as id  -- noqa: RF04
    from changed_ids
    union distinct
    select
        source_relation,
        event_date,
        event_id as id  -- noqa: RF04
    from held_events
),

{# a view over the curated tables read with FINAL: it takes no FINAL itself #}
events_named as (
    select
        *,
        toDate(occurred_at, {{ reporting_timezone() }}) as event_date
    from {{ ref('klaviyo__events_named') }}
    {# through the primary key (source_relation, id); with FINAL, a condition on the version
       column occurred_at prunes nothing #}
    where {{ incremental_affected(['source_relation', 'event_date', 'id'], 'changed_event_ids') }}
),

recomputed as (
    select
        source_relation,
        event_date,
        id as event_id,
        occurred_at,
        value,  -- noqa: RF04
        assumeNotNull(coalesce(metric_name, '')) as metric_name,
        coalesce(metric_id, '') as metric_id,
        coalesce(profile_id, '') as profile_id,
        coalesce(message_id, '') as message_id,
        coalesce(flow_id, '') as flow_id,
        if(metric_name in ('Received SMS', 'Clicked SMS'), 'sms', 'email') as channel,
        coalesce(attributed_message_id, '') as attributed_message_id,
        coalesce(attributed_flow_id, '') as attributed_flow_id,
        coalesce(attributed_channel, '') as attributed_channel,
        coalesce(order_id, id) as order_id
    from events_named
),

final as (
    {{ incremental_rows('recomputed', 'held_events', 'changes') }}
)

select * from final
