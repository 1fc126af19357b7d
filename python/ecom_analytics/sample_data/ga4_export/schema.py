"""The GA4 BigQuery export's event table as Parquet: the columns, nested records and types of
Google's export schema (every field NULLABLE or REPEATED there, so every Parquet field is
optional), in the order Google lists them. The generator writes files with this schema; the
raw table `events` (Parquet layout) holds the types ClickHouse infers from such files.
"""

from __future__ import annotations

import pyarrow as pa

S, INT, F, B = pa.string(), pa.int64(), pa.float64(), pa.bool_()


def record(**fields: pa.DataType) -> pa.StructType:
    return pa.struct([pa.field(name, type_) for name, type_ in fields.items()])


VALUE = record(string_value=S, int_value=INT, float_value=F, double_value=F)
PARAMS = pa.list_(record(key=S, value=VALUE))
USER_VALUE = record(
    string_value=S, int_value=INT, float_value=F, double_value=F, set_timestamp_micros=INT
)
CAMPAIGN = dict(campaign_id=S, campaign_name=S, source=S, medium=S)

EXPORT_SCHEMA = pa.schema(
    [
        ("event_date", S),
        ("event_timestamp", INT),
        ("event_name", S),
        ("event_params", PARAMS),
        ("event_previous_timestamp", INT),
        ("event_value_in_usd", F),
        ("event_bundle_sequence_id", INT),
        ("event_server_timestamp_offset", INT),
        ("user_id", S),
        ("user_pseudo_id", S),
        ("privacy_info", record(analytics_storage=S, ads_storage=S, uses_transient_token=S)),
        ("user_properties", pa.list_(record(key=S, value=USER_VALUE))),
        ("user_first_touch_timestamp", INT),
        ("user_ltv", record(revenue=F, currency=S)),
        (
            "device",
            record(
                category=S,
                mobile_brand_name=S,
                mobile_model_name=S,
                mobile_marketing_name=S,
                mobile_os_hardware_model=S,
                operating_system=S,
                operating_system_version=S,
                vendor_id=S,
                advertising_id=S,
                language=S,
                is_limited_ad_tracking=S,
                time_zone_offset_seconds=INT,
                browser=S,
                browser_version=S,
                web_info=record(browser=S, browser_version=S, hostname=S),
            ),
        ),
        (
            "geo",
            record(city=S, country=S, continent=S, region=S, sub_continent=S, metro=S),
        ),
        (
            "app_info",
            record(id=S, version=S, install_store=S, firebase_app_id=S, install_source=S),
        ),
        ("traffic_source", record(name=S, medium=S, source=S)),
        ("stream_id", S),
        ("platform", S),
        ("event_dimensions", record(hostname=S)),
        (
            "ecommerce",
            record(
                total_item_quantity=INT,
                purchase_revenue_in_usd=F,
                purchase_revenue=F,
                refund_value_in_usd=F,
                refund_value=F,
                shipping_value_in_usd=F,
                shipping_value=F,
                tax_value_in_usd=F,
                tax_value=F,
                unique_items=INT,
                transaction_id=S,
            ),
        ),
        (
            "items",
            pa.list_(
                record(
                    item_id=S,
                    item_name=S,
                    item_brand=S,
                    item_variant=S,
                    item_category=S,
                    item_category2=S,
                    item_category3=S,
                    item_category4=S,
                    item_category5=S,
                    price_in_usd=F,
                    price=F,
                    quantity=INT,
                    item_revenue_in_usd=F,
                    item_revenue=F,
                    item_refund_in_usd=F,
                    item_refund=F,
                    coupon=S,
                    affiliation=S,
                    location_id=S,
                    item_list_id=S,
                    item_list_name=S,
                    item_list_index=S,
                    promotion_id=S,
                    promotion_name=S,
                    creative_name=S,
                    creative_slot=S,
                    item_params=PARAMS,
                )
            ),
        ),
        (
            "collected_traffic_source",
            record(
                manual_campaign_id=S,
                manual_campaign_name=S,
                manual_source=S,
                manual_medium=S,
                manual_term=S,
                manual_content=S,
                manual_source_platform=S,
                manual_creative_format=S,
                manual_marketing_tactic=S,
                gclid=S,
                dclid=S,
                srsltid=S,
            ),
        ),
        ("is_active_user", B),
        ("batch_event_index", INT),
        ("batch_ordering_id", INT),
        ("batch_page_id", INT),
        (
            "session_traffic_source_last_click",
            record(
                manual_campaign=record(
                    **CAMPAIGN,
                    term=S,
                    content=S,
                    source_platform=S,
                    creative_format=S,
                    marketing_tactic=S,
                ),
                google_ads_campaign=record(
                    customer_id=S,
                    account_name=S,
                    campaign_id=S,
                    campaign_name=S,
                    ad_group_id=S,
                    ad_group_name=S,
                ),
                cross_channel_campaign=record(
                    **CAMPAIGN,
                    source_platform=S,
                    default_channel_group=S,
                    primary_channel_group=S,
                ),
            ),
        ),
    ]
)
