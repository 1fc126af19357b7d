-- =============================================================================================
-- provisioning_flow.sql: bootstrap of a fresh ClickHouse for the e-commerce analytics project.
--
-- Plain SQL, runnable as it is with `clickhouse-client --multiquery < provisioning_flow.sql`,
-- and idempotent: every statement is IF NOT EXISTS or a repeatable GRANT.
--
-- Section 1 creates the raw landing databases and tables exactly as the Airbyte ClickHouse
-- destination v2 ("direct load") creates them: the four _airbyte_* metadata columns, then the
-- stream's columns, Nullable except primary key and cursor, ReplacingMergeTree(<cursor>)
-- ORDER BY (<primary key>). Objects and arrays are String columns holding JSON text.
-- Pre-creating them lets dbt sources, tests and sample data exist before the first sync;
-- Airbyte reuses tables that already have its layout. The GA4 BigQuery export
-- (raw_ga4_export.events, docs/ga4-export.md) lands every event, either as the export's
-- Parquet files (the types ClickHouse infers from them, plus property_id, export_type and
-- _loaded_at) or through Airbyte (the _airbyte_* columns, records as JSON text): the var
-- ga4_export_layout picks the `-- @if ga4_export_layout = ...` block provisioning runs.
--
-- `make provision` runs this file against the selected dbt target. The database names here
-- (raw_shopify, raw_klaviyo, raw_ga4, raw_ga4_export) are the defaults: the dbt vars
-- shopify_raw_databases, klaviyo_raw_databases, ga4_raw_databases and
-- ga4_export_raw_databases in dbt_project.yml rename them, and every raw statement is
-- repeated for each listed database (several shops, accounts or properties).
-- On a cluster target the databases are created ON CLUSTER with the Replicated engine, so
-- the tables inside them replicate with no further change.
--
-- Section 2 (access control) runs on servers only; on the embedded engine it is checked with
-- ClickHouse's own parser instead.
-- =============================================================================================

-- =============================================================================================
-- Section 1: raw landing tables
-- =============================================================================================

-- ---------------------------------------------------------------------------------------------
-- Shopify (source-shopify). Timestamps arrive with the shop's UTC offset and are stored as
-- UTC instants. Every stream carries shop_url.
-- ---------------------------------------------------------------------------------------------
CREATE DATABASE IF NOT EXISTS raw_shopify;

CREATE TABLE IF NOT EXISTS raw_shopify.orders
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    id Int64,
    name Nullable(String),
    order_number Nullable(Int64),
    email Nullable(String),
    created_at Nullable(DateTime64(3)),
    updated_at DateTime64(3),
    processed_at Nullable(DateTime64(3)),
    cancelled_at Nullable(DateTime64(3)),
    closed_at Nullable(DateTime64(3)),
    currency Nullable(String),
    presentment_currency Nullable(String),
    financial_status Nullable(String),
    fulfillment_status Nullable(String),
    cancel_reason Nullable(String),
    tags Nullable(String),
    source_name Nullable(String),
    landing_site Nullable(String),
    referring_site Nullable(String),
    total_price Nullable(Decimal(38, 9)),
    subtotal_price Nullable(Decimal(38, 9)),
    total_tax Nullable(Decimal(38, 9)),
    total_discounts Nullable(Decimal(38, 9)),
    total_line_items_price Nullable(Decimal(38, 9)),
    current_total_price Nullable(Decimal(38, 9)),
    total_price_set Nullable(String),
    subtotal_price_set Nullable(String),
    total_tax_set Nullable(String),
    total_discounts_set Nullable(String),
    total_shipping_price_set Nullable(String),
    current_total_price_set Nullable(String),
    total_line_items_price_set Nullable(String),
    test Nullable(Bool),
    customer_id Nullable(Int64),
    customer Nullable(String),
    billing_address Nullable(String),
    shipping_address Nullable(String),
    line_items Nullable(String),
    refunds Nullable(String),
    discount_codes Nullable(String),
    shipping_lines Nullable(String),
    tax_lines Nullable(String),
    note_attributes Nullable(String),
    shop_url Nullable(String),
    -- Beyond Airbyte's layout, for backfills (DECISIONLOG): Shopify order ids grow with
    -- creation time, so the granules of id order cover narrow created_at ranges and a backfill
    -- chunk skips the others. Not partitioned: a sync is ordered by updated_at, and one insert
    -- could touch more months than an insert may (max_partitions_per_insert_block).
    INDEX created_at_minmax created_at TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_shopify.customers
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    id Int64,
    email Nullable(String),
    first_name Nullable(String),
    last_name Nullable(String),
    state Nullable(String),
    orders_count Nullable(Int64),
    total_spent Nullable(Decimal(38, 9)),
    currency Nullable(String),
    tags Nullable(String),
    verified_email Nullable(Bool),
    created_at Nullable(DateTime64(3)),
    updated_at DateTime64(3),
    default_address Nullable(String),
    email_marketing_consent Nullable(String),
    shop_url Nullable(String)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_shopify.products
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    id Int64,
    title Nullable(String),
    handle Nullable(String),
    vendor Nullable(String),
    product_type Nullable(String),
    status Nullable(String),
    tags Nullable(String),
    created_at Nullable(DateTime64(3)),
    updated_at DateTime64(3),
    published_at Nullable(DateTime64(3)),
    variants Nullable(String),
    shop_url Nullable(String)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_shopify.product_variants
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    id Int64,
    product_id Nullable(Int64),
    inventory_item_id Nullable(Int64),
    sku Nullable(String),
    title Nullable(String),
    price Nullable(Decimal(38, 9)),
    compare_at_price Nullable(String),
    inventory_quantity Nullable(Int64),
    created_at Nullable(DateTime64(3)),
    updated_at DateTime64(3),
    shop_url Nullable(String)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_shopify.inventory_levels
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    id String,
    location_id Nullable(Int64),
    inventory_item_id Nullable(Int64),
    available Nullable(Int64),
    quantities Nullable(String),
    created_at Nullable(DateTime64(3)),
    updated_at DateTime64(3),
    shop_url Nullable(String)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_shopify.inventory_items
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    id Int64,
    sku Nullable(String),
    cost Nullable(Decimal(38, 9)),
    tracked Nullable(Bool),
    created_at Nullable(DateTime64(3)),
    updated_at DateTime64(3),
    shop_url Nullable(String)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_shopify.abandoned_checkouts
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    id Int64,
    token Nullable(String),
    cart_token Nullable(String),
    email Nullable(String),
    currency Nullable(String),
    created_at Nullable(DateTime64(3)),
    updated_at DateTime64(3),
    completed_at Nullable(DateTime64(3)),
    total_price Nullable(Decimal(38, 9)),
    subtotal_price Nullable(Decimal(38, 9)),
    total_discounts Nullable(Decimal(38, 9)),
    customer Nullable(String),
    line_items Nullable(String),
    discount_codes Nullable(String),
    shop_url Nullable(String)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_shopify.discount_codes
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    id Int64,
    price_rule_id Nullable(Int64),
    code Nullable(String),
    title Nullable(String),
    status Nullable(String),
    discount_type Nullable(String),
    usage_count Nullable(Int64),
    starts_at Nullable(DateTime64(3)),
    ends_at Nullable(DateTime64(3)),
    created_at Nullable(DateTime64(3)),
    updated_at DateTime64(3),
    shop_url Nullable(String)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_shopify.order_refunds
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    id Int64,
    order_id Nullable(Int64),
    created_at DateTime64(3),
    processed_at Nullable(DateTime64(3)),
    note Nullable(String),
    restock Nullable(Bool),
    refund_line_items Nullable(String),
    order_adjustments Nullable(String),
    transactions Nullable(String),
    shop_url Nullable(String)
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_shopify.fulfillments
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    id Int64,
    order_id Nullable(Int64),
    location_id Nullable(Int64),
    status Nullable(String),
    shipment_status Nullable(String),
    tracking_company Nullable(String),
    created_at Nullable(DateTime64(3)),
    updated_at DateTime64(3),
    line_items Nullable(String),
    shop_url Nullable(String)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_shopify.transactions
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    id Int64,
    order_id Nullable(Int64),
    parent_id Nullable(Int64),
    kind Nullable(String),
    status Nullable(String),
    gateway Nullable(String),
    currency Nullable(String),
    amount Nullable(Decimal(38, 9)),
    test Nullable(Bool),
    created_at DateTime64(3),
    processed_at Nullable(DateTime64(3)),
    shop_url Nullable(String)
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY (id);

-- ---------------------------------------------------------------------------------------------
-- Klaviyo (source-klaviyo). JSON:API records: type, id, attributes, relationships, links as
-- JSON text, plus the stream cursor copied to a top-level column.
-- ---------------------------------------------------------------------------------------------
CREATE DATABASE IF NOT EXISTS raw_klaviyo;

CREATE TABLE IF NOT EXISTS raw_klaviyo.events
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    type Nullable(String),
    id String,
    datetime DateTime64(3),
    attributes Nullable(String),
    relationships Nullable(String),
    links Nullable(String)
)
ENGINE = ReplacingMergeTree(datetime)
-- Beyond Airbyte's layout, for backfills (DECISIONLOG): months of the event time, so a
-- backfill chunk reads its month only (event ids are random, so an index cannot do it). An
-- event's datetime never changes, so re-deliveries still collapse in their partition, and a
-- sync arrives ordered by datetime: an insert touches few months.
PARTITION BY toYYYYMM(datetime)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_klaviyo.campaigns
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    type Nullable(String),
    id String,
    updated_at DateTime64(3),
    attributes Nullable(String),
    relationships Nullable(String),
    links Nullable(String)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_klaviyo.campaigns_detailed
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    type Nullable(String),
    id String,
    updated_at DateTime64(3),
    attributes Nullable(String),
    relationships Nullable(String),
    links Nullable(String),
    estimated_recipient_count Nullable(Int64),
    campaign_messages Nullable(String),
    campaign_message Nullable(String)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_klaviyo.flows
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    type Nullable(String),
    id String,
    updated DateTime64(3),
    attributes Nullable(String),
    relationships Nullable(String),
    links Nullable(String)
)
ENGINE = ReplacingMergeTree(updated)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_klaviyo.profiles
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    type Nullable(String),
    id String,
    updated DateTime64(3),
    attributes Nullable(String),
    relationships Nullable(String),
    links Nullable(String)
)
ENGINE = ReplacingMergeTree(updated)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_klaviyo.metrics
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    type Nullable(String),
    id String,
    updated DateTime64(3),
    attributes Nullable(String),
    relationships Nullable(String),
    links Nullable(String)
)
ENGINE = ReplacingMergeTree(updated)
ORDER BY (id);

CREATE TABLE IF NOT EXISTS raw_klaviyo.lists
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    type Nullable(String),
    id String,
    updated DateTime64(3),
    attributes Nullable(String),
    relationships Nullable(String),
    links Nullable(String)
)
ENGINE = ReplacingMergeTree(updated)
ORDER BY (id);

-- ---------------------------------------------------------------------------------------------
-- Google Analytics 4 (source-google-analytics-data-api). Every dimension is a String, `date`
-- is 'YYYYMMDD'; the primary key is property_id plus all dimensions. The connector re-reads
-- the last days on every sync, so the version is _airbyte_extracted_at: the newest read of a
-- key wins.
-- ---------------------------------------------------------------------------------------------
CREATE DATABASE IF NOT EXISTS raw_ga4;

CREATE TABLE IF NOT EXISTS raw_ga4.daily_active_users
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    property_id String,
    date String,
    active1DayUsers Nullable(Int64)
)
ENGINE = ReplacingMergeTree(_airbyte_extracted_at)
ORDER BY (property_id, date);

CREATE TABLE IF NOT EXISTS raw_ga4.weekly_active_users
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    property_id String,
    date String,
    active7DayUsers Nullable(Int64)
)
ENGINE = ReplacingMergeTree(_airbyte_extracted_at)
ORDER BY (property_id, date);

CREATE TABLE IF NOT EXISTS raw_ga4.four_weekly_active_users
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    property_id String,
    date String,
    active28DayUsers Nullable(Int64)
)
ENGINE = ReplacingMergeTree(_airbyte_extracted_at)
ORDER BY (property_id, date);

CREATE TABLE IF NOT EXISTS raw_ga4.website_overview
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    property_id String,
    date String,
    totalUsers Nullable(Int64),
    newUsers Nullable(Int64),
    sessions Nullable(Int64),
    sessionsPerUser Nullable(Decimal(38, 9)),
    averageSessionDuration Nullable(Decimal(38, 9)),
    screenPageViews Nullable(Int64),
    screenPageViewsPerSession Nullable(Decimal(38, 9)),
    bounceRate Nullable(Decimal(38, 9))
)
ENGINE = ReplacingMergeTree(_airbyte_extracted_at)
ORDER BY (property_id, date);

CREATE TABLE IF NOT EXISTS raw_ga4.devices
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    property_id String,
    date String,
    deviceCategory String,
    operatingSystem String,
    browser String,
    totalUsers Nullable(Int64),
    newUsers Nullable(Int64),
    sessions Nullable(Int64),
    sessionsPerUser Nullable(Decimal(38, 9)),
    averageSessionDuration Nullable(Decimal(38, 9)),
    screenPageViews Nullable(Int64),
    screenPageViewsPerSession Nullable(Decimal(38, 9)),
    bounceRate Nullable(Decimal(38, 9))
)
ENGINE = ReplacingMergeTree(_airbyte_extracted_at)
ORDER BY (property_id, date, deviceCategory, operatingSystem, browser);

CREATE TABLE IF NOT EXISTS raw_ga4.locations
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    property_id String,
    region String,
    country String,
    city String,
    date String,
    totalUsers Nullable(Int64),
    newUsers Nullable(Int64),
    sessions Nullable(Int64),
    sessionsPerUser Nullable(Decimal(38, 9)),
    averageSessionDuration Nullable(Decimal(38, 9)),
    screenPageViews Nullable(Int64),
    screenPageViewsPerSession Nullable(Decimal(38, 9)),
    bounceRate Nullable(Decimal(38, 9))
)
ENGINE = ReplacingMergeTree(_airbyte_extracted_at)
ORDER BY (property_id, region, country, city, date);

CREATE TABLE IF NOT EXISTS raw_ga4.traffic_sources
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    property_id String,
    date String,
    sessionSource String,
    sessionMedium String,
    totalUsers Nullable(Int64),
    newUsers Nullable(Int64),
    sessions Nullable(Int64),
    sessionsPerUser Nullable(Decimal(38, 9)),
    averageSessionDuration Nullable(Decimal(38, 9)),
    screenPageViews Nullable(Int64),
    screenPageViewsPerSession Nullable(Decimal(38, 9)),
    bounceRate Nullable(Decimal(38, 9))
)
ENGINE = ReplacingMergeTree(_airbyte_extracted_at)
ORDER BY (property_id, date, sessionSource, sessionMedium);

CREATE TABLE IF NOT EXISTS raw_ga4.pages
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    property_id String,
    date String,
    hostName String,
    pagePathPlusQueryString String,
    screenPageViews Nullable(Int64),
    bounceRate Nullable(Decimal(38, 9))
)
ENGINE = ReplacingMergeTree(_airbyte_extracted_at)
ORDER BY (property_id, date, hostName, pagePathPlusQueryString);

CREATE TABLE IF NOT EXISTS raw_ga4.events_report
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    property_id String,
    date String,
    eventName String,
    eventCount Nullable(Int64),
    totalUsers Nullable(Int64),
    eventCountPerUser Nullable(Decimal(38, 9)),
    totalRevenue Nullable(Decimal(38, 9))
)
ENGINE = ReplacingMergeTree(_airbyte_extracted_at)
ORDER BY (property_id, date, eventName);

CREATE TABLE IF NOT EXISTS raw_ga4.ecommerce_purchases_item_name_report
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    property_id String,
    date String,
    itemName String,
    itemsViewed Nullable(Int64),
    itemsAddedToCart Nullable(Int64),
    itemsPurchased Nullable(Int64),
    itemRevenue Nullable(Decimal(38, 9))
)
ENGINE = ReplacingMergeTree(_airbyte_extracted_at)
ORDER BY (property_id, date, itemName);

-- ---------------------------------------------------------------------------------------------
-- GA4 BigQuery export (event level): one raw database per GA4 property (var
-- ga4_export_raw_databases), one table `events` holding every delivered event, with the
-- columns of Google's export schema under Google's names (docs/ga4-export.md). Nothing in the
-- export identifies an event, and days are delivered again (the intraday table's events return
-- in the daily table; a daily table is rewritten with late events for up to 72 hours), so the
-- table keeps every delivery (plain MergeTree: a re-delivery appends) and the curated layer
-- deduplicates. Two layouts, chosen by the var ga4_export_layout (provisioning creates the
-- block that matches it; run as plain SQL, the first block, the default, wins):
--   parquet  the export written to a bucket as Parquet and loaded with the load_ga4_export
--            macro (or an S3Queue): the types ClickHouse infers from the export's Parquet files
--            (records are Tuples, repeated records Arrays of Tuples, every leaf Nullable), plus
--            property_id, export_type ('daily', 'intraday' or 'fresh': the table the file came
--            from) and _loaded_at (when the file was loaded) in front.
--   airbyte  Airbyte's BigQuery source into this destination: the four _airbyte_* columns,
--            then the same columns, every record and repeated record as JSON text, FLOAT64 as
--            Decimal(38, 9).
-- ---------------------------------------------------------------------------------------------
CREATE DATABASE IF NOT EXISTS raw_ga4_export;

-- @if ga4_export_layout = parquet
CREATE TABLE IF NOT EXISTS raw_ga4_export.events
(
    property_id String,
    export_type LowCardinality(String),
    _loaded_at DateTime64(3),
    event_date Nullable(String),
    event_timestamp Nullable(Int64),
    event_name Nullable(String),
    event_params Array(Tuple(
        key Nullable(String),
        value Tuple(
            string_value Nullable(String),
            int_value Nullable(Int64),
            float_value Nullable(Float64),
            double_value Nullable(Float64)
        )
    )),
    event_previous_timestamp Nullable(Int64),
    event_value_in_usd Nullable(Float64),
    event_bundle_sequence_id Nullable(Int64),
    event_server_timestamp_offset Nullable(Int64),
    user_id Nullable(String),
    user_pseudo_id Nullable(String),
    privacy_info Tuple(
        analytics_storage Nullable(String),
        ads_storage Nullable(String),
        uses_transient_token Nullable(String)
    ),
    user_properties Array(Tuple(
        key Nullable(String),
        value Tuple(
            string_value Nullable(String),
            int_value Nullable(Int64),
            float_value Nullable(Float64),
            double_value Nullable(Float64),
            set_timestamp_micros Nullable(Int64)
        )
    )),
    user_first_touch_timestamp Nullable(Int64),
    user_ltv Tuple(
        revenue Nullable(Float64),
        currency Nullable(String)
    ),
    device Tuple(
        category Nullable(String),
        mobile_brand_name Nullable(String),
        mobile_model_name Nullable(String),
        mobile_marketing_name Nullable(String),
        mobile_os_hardware_model Nullable(String),
        operating_system Nullable(String),
        operating_system_version Nullable(String),
        vendor_id Nullable(String),
        advertising_id Nullable(String),
        language Nullable(String),
        is_limited_ad_tracking Nullable(String),
        time_zone_offset_seconds Nullable(Int64),
        browser Nullable(String),
        browser_version Nullable(String),
        web_info Tuple(
            browser Nullable(String),
            browser_version Nullable(String),
            hostname Nullable(String)
        )
    ),
    geo Tuple(
        city Nullable(String),
        country Nullable(String),
        continent Nullable(String),
        region Nullable(String),
        sub_continent Nullable(String),
        metro Nullable(String)
    ),
    app_info Tuple(
        id Nullable(String),
        version Nullable(String),
        install_store Nullable(String),
        firebase_app_id Nullable(String),
        install_source Nullable(String)
    ),
    traffic_source Tuple(
        name Nullable(String),
        medium Nullable(String),
        source Nullable(String)
    ),
    stream_id Nullable(String),
    platform Nullable(String),
    event_dimensions Tuple(
        hostname Nullable(String)
    ),
    ecommerce Tuple(
        total_item_quantity Nullable(Int64),
        purchase_revenue_in_usd Nullable(Float64),
        purchase_revenue Nullable(Float64),
        refund_value_in_usd Nullable(Float64),
        refund_value Nullable(Float64),
        shipping_value_in_usd Nullable(Float64),
        shipping_value Nullable(Float64),
        tax_value_in_usd Nullable(Float64),
        tax_value Nullable(Float64),
        unique_items Nullable(Int64),
        transaction_id Nullable(String)
    ),
    items Array(Tuple(
        item_id Nullable(String),
        item_name Nullable(String),
        item_brand Nullable(String),
        item_variant Nullable(String),
        item_category Nullable(String),
        item_category2 Nullable(String),
        item_category3 Nullable(String),
        item_category4 Nullable(String),
        item_category5 Nullable(String),
        price_in_usd Nullable(Float64),
        price Nullable(Float64),
        quantity Nullable(Int64),
        item_revenue_in_usd Nullable(Float64),
        item_revenue Nullable(Float64),
        item_refund_in_usd Nullable(Float64),
        item_refund Nullable(Float64),
        coupon Nullable(String),
        affiliation Nullable(String),
        location_id Nullable(String),
        item_list_id Nullable(String),
        item_list_name Nullable(String),
        item_list_index Nullable(String),
        promotion_id Nullable(String),
        promotion_name Nullable(String),
        creative_name Nullable(String),
        creative_slot Nullable(String),
        item_params Array(Tuple(
            key Nullable(String),
            value Tuple(
                string_value Nullable(String),
                int_value Nullable(Int64),
                float_value Nullable(Float64),
                double_value Nullable(Float64)
            )
        ))
    )),
    collected_traffic_source Tuple(
        manual_campaign_id Nullable(String),
        manual_campaign_name Nullable(String),
        manual_source Nullable(String),
        manual_medium Nullable(String),
        manual_term Nullable(String),
        manual_content Nullable(String),
        manual_source_platform Nullable(String),
        manual_creative_format Nullable(String),
        manual_marketing_tactic Nullable(String),
        gclid Nullable(String),
        dclid Nullable(String),
        srsltid Nullable(String)
    ),
    is_active_user Nullable(Bool),
    batch_event_index Nullable(Int64),
    batch_ordering_id Nullable(Int64),
    batch_page_id Nullable(Int64),
    session_traffic_source_last_click Tuple(
        manual_campaign Tuple(
            campaign_id Nullable(String),
            campaign_name Nullable(String),
            source Nullable(String),
            medium Nullable(String),
            term Nullable(String),
            content Nullable(String),
            source_platform Nullable(String),
            creative_format Nullable(String),
            marketing_tactic Nullable(String)
        ),
        google_ads_campaign Tuple(
            customer_id Nullable(String),
            account_name Nullable(String),
            campaign_id Nullable(String),
            campaign_name Nullable(String),
            ad_group_id Nullable(String),
            ad_group_name Nullable(String)
        ),
        cross_channel_campaign Tuple(
            campaign_id Nullable(String),
            campaign_name Nullable(String),
            source Nullable(String),
            medium Nullable(String),
            source_platform Nullable(String),
            default_channel_group Nullable(String),
            primary_channel_group Nullable(String)
        )
    )
)
ENGINE = MergeTree
ORDER BY (property_id, ifNull(event_date, ''), ifNull(event_name, ''));
-- @end if

-- @if ga4_export_layout = airbyte
CREATE TABLE IF NOT EXISTS raw_ga4_export.events
(
    _airbyte_raw_id String,
    _airbyte_extracted_at DateTime64(3),
    _airbyte_meta String,
    _airbyte_generation_id UInt32,
    event_date Nullable(String),
    event_timestamp Nullable(Int64),
    event_name Nullable(String),
    event_params Nullable(String),
    event_previous_timestamp Nullable(Int64),
    event_value_in_usd Nullable(Decimal(38, 9)),
    event_bundle_sequence_id Nullable(Int64),
    event_server_timestamp_offset Nullable(Int64),
    user_id Nullable(String),
    user_pseudo_id Nullable(String),
    privacy_info Nullable(String),
    user_properties Nullable(String),
    user_first_touch_timestamp Nullable(Int64),
    user_ltv Nullable(String),
    device Nullable(String),
    geo Nullable(String),
    app_info Nullable(String),
    traffic_source Nullable(String),
    stream_id Nullable(String),
    platform Nullable(String),
    event_dimensions Nullable(String),
    ecommerce Nullable(String),
    items Nullable(String),
    collected_traffic_source Nullable(String),
    is_active_user Nullable(Bool),
    batch_event_index Nullable(Int64),
    batch_ordering_id Nullable(Int64),
    batch_page_id Nullable(Int64),
    session_traffic_source_last_click Nullable(String)
)
ENGINE = MergeTree
ORDER BY (_airbyte_raw_id);
-- @end if

-- =============================================================================================
-- Section 2: access control (servers only)
--
-- Three roles; attach them to users you create with passwords from your secret store, e.g.
--   CREATE USER airbyte IDENTIFIED WITH sha256_password BY '...' DEFAULT ROLE ecom_loader;
-- ecom_loader       Airbyte: creates and writes the raw databases, nothing else.
-- ecom_transformer  dbt: reads raw, owns the curated and analytics databases (tables, views,
--                   materialized views, dictionaries).
-- ecom_reader       BI tools and analysts: read the analytics databases only.
-- =============================================================================================
-- @access-control:begin
CREATE ROLE IF NOT EXISTS ecom_loader;
CREATE ROLE IF NOT EXISTS ecom_transformer;
CREATE ROLE IF NOT EXISTS ecom_reader;

GRANT CREATE DATABASE, CREATE TABLE, DROP TABLE, ALTER, INSERT, SELECT, TRUNCATE ON raw_shopify.* TO ecom_loader;
GRANT CREATE DATABASE, CREATE TABLE, DROP TABLE, ALTER, INSERT, SELECT, TRUNCATE ON raw_klaviyo.* TO ecom_loader;
GRANT CREATE DATABASE, CREATE TABLE, DROP TABLE, ALTER, INSERT, SELECT, TRUNCATE ON raw_ga4.* TO ecom_loader;
GRANT CREATE DATABASE, CREATE TABLE, DROP TABLE, ALTER, INSERT, SELECT, TRUNCATE ON raw_ga4_export.* TO ecom_loader;

-- dbt attaches materialized views to the raw tables, so it needs SELECT there (the views run
-- with the inserting user's rights for the target, which the SQL SECURITY clause handles).
GRANT SELECT, SHOW ON raw_shopify.* TO ecom_transformer;
GRANT SELECT, SHOW ON raw_klaviyo.* TO ecom_transformer;
GRANT SELECT, SHOW ON raw_ga4.* TO ecom_transformer;
GRANT SELECT, SHOW ON raw_ga4_export.* TO ecom_transformer;
-- In the databases dbt owns, what dbt-clickhouse runs and no more: create, replace (EXCHANGE),
-- alter (comments, REPLACE PARTITION for backfill), insert, truncate (seeds), optimize, drop,
-- refresh refreshable views (SYSTEM VIEWS), read dictionaries. `default` is the profile's schema.
GRANT SELECT, INSERT, ALTER, TRUNCATE, OPTIMIZE, SHOW, CREATE DATABASE, CREATE TABLE, CREATE VIEW, CREATE DICTIONARY, DROP TABLE, DROP VIEW, DROP DICTIONARY, SYSTEM VIEWS, dictGet ON data_shopify.* TO ecom_transformer;
GRANT SELECT, INSERT, ALTER, TRUNCATE, OPTIMIZE, SHOW, CREATE DATABASE, CREATE TABLE, CREATE VIEW, CREATE DICTIONARY, DROP TABLE, DROP VIEW, DROP DICTIONARY, SYSTEM VIEWS, dictGet ON data_klaviyo.* TO ecom_transformer;
GRANT SELECT, INSERT, ALTER, TRUNCATE, OPTIMIZE, SHOW, CREATE DATABASE, CREATE TABLE, CREATE VIEW, CREATE DICTIONARY, DROP TABLE, DROP VIEW, DROP DICTIONARY, SYSTEM VIEWS, dictGet ON data_ga4.* TO ecom_transformer;
GRANT SELECT, INSERT, ALTER, TRUNCATE, OPTIMIZE, SHOW, CREATE DATABASE, CREATE TABLE, CREATE VIEW, CREATE DICTIONARY, DROP TABLE, DROP VIEW, DROP DICTIONARY, SYSTEM VIEWS, dictGet ON analytics_shopify.* TO ecom_transformer;
GRANT SELECT, INSERT, ALTER, TRUNCATE, OPTIMIZE, SHOW, CREATE DATABASE, CREATE TABLE, CREATE VIEW, CREATE DICTIONARY, DROP TABLE, DROP VIEW, DROP DICTIONARY, SYSTEM VIEWS, dictGet ON analytics_klaviyo.* TO ecom_transformer;
GRANT SELECT, INSERT, ALTER, TRUNCATE, OPTIMIZE, SHOW, CREATE DATABASE, CREATE TABLE, CREATE VIEW, CREATE DICTIONARY, DROP TABLE, DROP VIEW, DROP DICTIONARY, SYSTEM VIEWS, dictGet ON analytics_ga4.* TO ecom_transformer;
GRANT SELECT, INSERT, ALTER, TRUNCATE, OPTIMIZE, SHOW, CREATE DATABASE, CREATE TABLE, CREATE VIEW, CREATE DICTIONARY, DROP TABLE, DROP VIEW, DROP DICTIONARY, SYSTEM VIEWS, dictGet ON analytics_cross_source.* TO ecom_transformer;
GRANT SELECT, INSERT, ALTER, TRUNCATE, OPTIMIZE, SHOW, CREATE DATABASE, CREATE TABLE, CREATE VIEW, CREATE DICTIONARY, DROP TABLE, DROP VIEW, DROP DICTIONARY, SYSTEM VIEWS, dictGet ON lookups.* TO ecom_transformer;
GRANT SELECT, INSERT, ALTER, TRUNCATE, OPTIMIZE, SHOW, CREATE DATABASE, CREATE TABLE, CREATE VIEW, CREATE DICTIONARY, DROP TABLE, DROP VIEW, DROP DICTIONARY, SYSTEM VIEWS, dictGet ON default.* TO ecom_transformer;
-- The analytics databases' former names (<source>_analytics) hold plain views over the current
-- ones (macro create_former_database_views); dbt creates them and replaces what an older release
-- built there.
GRANT SELECT, SHOW, CREATE DATABASE, CREATE VIEW, DROP TABLE, DROP VIEW ON shopify_analytics.* TO ecom_transformer;
GRANT SELECT, SHOW, CREATE DATABASE, CREATE VIEW, DROP TABLE, DROP VIEW ON klaviyo_analytics.* TO ecom_transformer;
GRANT SELECT, SHOW, CREATE DATABASE, CREATE VIEW, DROP TABLE, DROP VIEW ON ga4_analytics.* TO ecom_transformer;
GRANT SELECT, SHOW, CREATE DATABASE, CREATE VIEW, DROP TABLE, DROP VIEW ON cross_source_analytics.* TO ecom_transformer;
-- dbt-clickhouse's incremental strategies use temporary tables; its cluster checks use remote().
GRANT CREATE TEMPORARY TABLE, REMOTE ON *.* TO ecom_transformer;

GRANT SELECT, SHOW ON analytics_shopify.* TO ecom_reader;
GRANT SELECT, SHOW ON analytics_klaviyo.* TO ecom_reader;
GRANT SELECT, SHOW ON analytics_ga4.* TO ecom_reader;
GRANT SELECT, SHOW ON analytics_cross_source.* TO ecom_reader;
-- and the same analytics under their former database names
GRANT SELECT, SHOW ON shopify_analytics.* TO ecom_reader;
GRANT SELECT, SHOW ON klaviyo_analytics.* TO ecom_reader;
GRANT SELECT, SHOW ON ga4_analytics.* TO ecom_reader;
GRANT SELECT, SHOW ON cross_source_analytics.* TO ecom_reader;
-- @access-control:end
