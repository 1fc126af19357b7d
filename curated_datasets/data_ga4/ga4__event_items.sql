{#- One row per GA4 export event and item (its position in the event's `items` array): the
    items of view_item_list, select_item, view_item, add_to_cart, purchase and the other
    ecommerce events. Keyed and versioned as ga4__events (the event's key and the item's
    position), so every delivery of an event collapses here too. A price that is no number is
    kept (NULL) and flagged; item_list_index, text in the export, is an integer where it
    parses. -#}
{{
    config(
        engine='ReplacingMergeTree(_version)',
        order_by='(source_relation, property_id, event_date, event_key, item_position)',
        settings={'allow_nullable_key': 1},
        partition_by="toYYYYMM(coalesce(event_date, toDate('1970-01-01')))",
    )
}}

{% call(raw) for_each_raw_database('ga4_export', 'events') %}
with

export_events as (
    {{ ga4_export_events(raw) }}
),

final as (
    select
        source_relation,
        property_id,
        event_key,
        toUInt32(item_position) as item_position,
        event_at,
        event_date_parsed as event_date,
        event_name,
        base64Encode(MD5(concat(user_pseudo_id, stream_id))) as client_key,
        base64Encode(MD5(concat(client_key, toString(ga_session_id)))) as session_key,
        nullIf(ecommerce_record.transaction_id, '') as transaction_id,
        item.item_id as item_id,
        item.item_name as item_name,
        item.item_brand as item_brand,
        item.item_variant as item_variant,
        item.item_category as item_category,
        item.item_category2 as item_category2,
        item.item_category3 as item_category3,
        item.item_category4 as item_category4,
        item.item_category5 as item_category5,
        {{ float_decimal('item.price') }} as price,
        item.quantity as quantity,
        {{ float_decimal('item.item_revenue') }} as item_revenue,
        {{ float_decimal('item.item_refund') }} as item_refund,
        item.coupon as coupon,
        item.affiliation as affiliation,
        item.item_list_id as item_list_id,
        item.item_list_name as item_list_name,
        item.item_list_index as item_list_index_text,
        toInt64OrNull(item.item_list_index) as item_list_index,
        item.promotion_id as promotion_id,
        item.promotion_name as promotion_name,
        item.creative_name as creative_name,
        item.creative_slot as creative_slot,
        export_type,
        loaded_at as _loaded_at,
        _version,
        arrayConcat(
            row_issues,
            {{ dq_issues([
                ['unparsable_item_price', 'price_unparsable = 1'],
                ['unparsable_item_list_index', "coalesce(item.item_list_index, '') != '' and item_list_index is null"],
                ['missing_item_id', "coalesce(item.item_id, '') = ''"],
            ]) }}
        ) as _dq_issues
    from export_events
    array join
        items_array as item,
        arrayEnumerate(items_array) as item_position,
        price_unparsable_flags as price_unparsable
)

select * from final
{% endcall %}
