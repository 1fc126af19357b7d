"""The one business the three sources describe: catalogue, audience, marketing calendar.

Shopify, Klaviyo and GA4 rows are all drawn from this: the same product handles, the same
people (Shopify customers are Klaviyo profiles), the same campaigns (their UTM parameters land
in Shopify orders and GA4 traffic sources).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ecom_analytics.sample_data.common import (
    DAY_MS,
    HISTORY_DAYS,
    HOUR_MS,
    Clock,
    alnum_ids,
    cat,
    pick,
    rng_for,
    text,
)

ADJECTIVES = [
    "Classic",
    "Everyday",
    "Trail",
    "Summit",
    "Harbor",
    "Urban",
    "Alpine",
    "Coastal",
    "Merino",
    "Organic",
    "Recycled",
    "Heritage",
    "Lightweight",
    "Thermal",
    "Canvas",
]
NOUNS = [
    "Tee",
    "Hoodie",
    "Jacket",
    "Beanie",
    "Backpack",
    "Sneaker",
    "Sock Pack",
    "Cap",
    "Parka",
    "Vest",
    "Fleece",
    "Tote",
    "Water Bottle",
    "Rain Shell",
    "Jogger",
]
PRODUCT_TYPES = {
    "Tee": "Tops",
    "Hoodie": "Tops",
    "Jacket": "Outerwear",
    "Beanie": "Accessories",
    "Backpack": "Bags",
    "Sneaker": "Footwear",
    "Sock Pack": "Accessories",
    "Cap": "Accessories",
    "Parka": "Outerwear",
    "Vest": "Outerwear",
    "Fleece": "Tops",
    "Tote": "Bags",
    "Water Bottle": "Gear",
    "Rain Shell": "Outerwear",
    "Jogger": "Bottoms",
}
SIZES = ["S", "M", "L", "XL"]
FIRST_NAMES = [
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Elijah",
    "Sophia",
    "Lucas",
    "Mia",
    "Mason",
    "Amelia",
    "Ethan",
    "Harper",
    "Logan",
    "Ella",
    "James",
    "Chloe",
    "Leo",
    "Grace",
    "Jack",
    "Nora",
    "Owen",
    "Zoe",
    "Henry",
    "Lily",
    "Sam",
    "Ruby",
    "Ben",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Brown",
    "Garcia",
    "Miller",
    "Davis",
    "Martin",
    "Lee",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Wright",
    "Lopez",
    "Hill",
    "Scott",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Perez",
    "Roberts",
    "Turner",
    "Phillips",
]
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "proton.me"]
CITIES = [  # (city, region, country, country code, zip)
    ("New York", "New York", "United States", "US", "10001"),
    ("Los Angeles", "California", "United States", "US", "90001"),
    ("Chicago", "Illinois", "United States", "US", "60601"),
    ("Houston", "Texas", "United States", "US", "77001"),
    ("Seattle", "Washington", "United States", "US", "98101"),
    ("Denver", "Colorado", "United States", "US", "80201"),
    ("Boston", "Massachusetts", "United States", "US", "02108"),
    ("Austin", "Texas", "United States", "US", "73301"),
    ("Toronto", "Ontario", "Canada", "CA", "M5H 2N2"),
    ("Vancouver", "British Columbia", "Canada", "CA", "V6B 1A1"),
    ("London", "England", "United Kingdom", "GB", "SW1A 1AA"),
    ("Berlin", "Berlin", "Germany", "DE", "10115"),
]
CAMPAIGN_THEMES = [
    "New Arrivals",
    "Weekend Sale",
    "Staff Picks",
    "Back in Stock",
    "Last Chance",
    "Trail Guide",
    "Member Early Access",
    "Free Shipping Week",
    "Gift Guide",
    "Flash Sale",
    "Restock Alert",
    "Style Notes",
    "Outdoor Essentials",
]
FLOWS = [  # (name, trigger type)
    ("Welcome Series", "Added to List"),
    ("Abandoned Cart", "Metric"),
    ("Browse Abandonment", "Metric"),
    ("Post-Purchase Thank You", "Metric"),
    ("Winback", "Metric"),
    ("Back in Stock", "Metric"),
    ("Birthday", "Date Based"),
    ("VIP Upgrade", "Added to Segment"),
]
METRICS = [  # (name, integration) in a fixed order the generators index into
    ("Placed Order", "Shopify"),
    ("Received Email", "Klaviyo"),
    ("Opened Email", "Klaviyo"),
    ("Clicked Email", "Klaviyo"),
    ("Viewed Product", "Shopify"),
    ("Started Checkout", "Shopify"),
    ("Active on Site", "API"),
    ("Bounced Email", "Klaviyo"),
    ("Unsubscribed", "Klaviyo"),
    ("Marked Email as Spam", "Klaviyo"),
    ("Received SMS", "Klaviyo"),
    ("Clicked SMS", "Klaviyo"),
]
(
    PLACED_ORDER,
    RECEIVED,
    OPENED,
    CLICKED,
    VIEWED_PRODUCT,
    STARTED_CHECKOUT,
    ACTIVE,
    BOUNCED,
    UNSUBSCRIBED,
    MARKED_SPAM,
    RECEIVED_SMS,
    CLICKED_SMS,
) = range(12)
LISTS = ["Newsletter", "VIP Customers", "SMS Subscribers", "Back in Stock Waitlist"]
LOCATIONS = [
    (71_234_567_001, "Main Warehouse"),
    (71_234_567_002, "Toronto Store"),
    (71_234_567_003, "Returns Center"),
]
N_PRODUCTS = 120
N_CAMPAIGNS = 52  # two a week over the 180 days of history
N_DISCOUNT_CODES = 25

PRODUCT_ID_BASE = 8_000_000_000_000
VARIANT_ID_BASE = 44_000_000_000_000
INVENTORY_ITEM_ID_BASE = 46_000_000_000_000
CUSTOMER_ID_BASE = 6_900_000_000_000


def slug(text_: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text_.lower()).strip("-").replace("--", "-")


@dataclass
class Sizes:
    """Row volumes from --scale: 1.0 = 10k orders, 100k Klaviyo events, 180 days of GA4."""

    orders: int
    customers: int
    extra_profiles: int
    events: int
    abandoned_checkouts: int

    @classmethod
    def from_scale(cls, scale: float, klaviyo_scale: float | None = None) -> Sizes:
        orders = max(10, round(10_000 * scale))
        customers = max(5, round(orders * 0.6))  # about 1.7 orders per customer
        return cls(
            orders=orders,
            customers=customers,
            extra_profiles=max(2, round(customers * 0.5)),  # newsletter-only subscribers
            events=max(orders + 10, round(100_000 * (klaviyo_scale or scale))),
            abandoned_checkouts=max(2, round(orders * 0.3)),
        )


class World:
    """Every shared entity, as numpy arrays indexed by entity number."""

    def __init__(self, seed: int, sizes: Sizes, clock: Clock, shop_index: int = 0):
        self.seed = seed
        self.clock = clock
        self.sizes = sizes
        self.shop_url = "northwind-outfitters" + (f"-{shop_index + 1}" if shop_index else "")
        self.shop_url += ".myshopify.com"
        self.host = "www.northwind-outfitters.com"
        self._catalogue()
        self._people()
        self._marketing()

    # Catalogue: products, one variant per size (accessories have one), inventory items.
    def _catalogue(self) -> None:
        rng = rng_for(self.seed, "catalogue")
        combos = [(a, n) for a in ADJECTIVES for n in NOUNS]
        chosen = rng.choice(len(combos), N_PRODUCTS, replace=False)
        self.product_titles = [f"{combos[i][0]} {combos[i][1]}" for i in chosen]
        self.product_handles = [slug(t) for t in self.product_titles]
        self.product_types = [PRODUCT_TYPES[combos[i][1]] for i in chosen]
        self.product_ids = PRODUCT_ID_BASE + np.arange(N_PRODUCTS) * 17 + 3
        self.product_created_ms = self.clock.day0_ms - rng.integers(30, 900, N_PRODUCTS) * DAY_MS
        base_price = rng.choice(
            [1800, 2400, 3200, 4500, 5900, 7800, 9800, 12900, 18900], N_PRODUCTS
        )
        sized = np.array([t not in ("Accessories", "Bags", "Gear") for t in self.product_types])
        n_variants = np.where(sized, len(SIZES), 1)
        self.variant_product = np.repeat(np.arange(N_PRODUCTS), n_variants)
        self.variant_size = np.concatenate([np.arange(k) for k in n_variants])
        nv = len(self.variant_product)
        self.variant_ids = VARIANT_ID_BASE + np.arange(nv) * 13 + 7
        self.inventory_item_ids = INVENTORY_ITEM_ID_BASE + np.arange(nv) * 11 + 5
        self.variant_price_cents = base_price[self.variant_product] - 5  # $xx.95 prices
        self.variant_cost_cents = (self.variant_price_cents * rng.uniform(0.3, 0.5, nv)).astype(
            np.int64
        )
        self.variant_titles = np.where(
            sized[self.variant_product], np.array(SIZES, object)[self.variant_size], "Default Title"
        )
        self.variant_skus = np.array(
            [
                f"NW-{self.product_ids[p] % 100000:05d}-{s}"
                for p, s in zip(self.variant_product, self.variant_titles, strict=True)
            ],
            object,
        )
        # Popularity: a few best-sellers (Zipf-like weights over a shuffled order).
        weight = 1.0 / (1 + rng.permutation(nv)) ** 0.8
        self.variant_weights = weight / weight.sum()

    # People: customers 0..C-1 are also Klaviyo profiles 0..C-1; profiles C.. are subscribers.
    def _people(self) -> None:
        rng = rng_for(self.seed, "people")
        n_profiles = self.sizes.customers + self.sizes.extra_profiles
        self.first = rng.integers(0, len(FIRST_NAMES), n_profiles)
        self.last = rng.integers(0, len(LAST_NAMES), n_profiles)
        self.domain = rng.integers(0, len(DOMAINS), n_profiles)
        self.city = rng.integers(0, len(CITIES), n_profiles)
        number = text(np.arange(n_profiles) + 100)
        self.emails = pc.utf8_lower(
            cat(
                pick(FIRST_NAMES, self.first),
                ".",
                pick(LAST_NAMES, self.last),
                number,
                "@",
                pick(DOMAINS, self.domain),
            )
        )
        # Klaviyo keeps the address as typed at sign-up: some differ from Shopify in case only.
        case = rng.random(n_profiles)
        self.profile_emails = pc.if_else(
            pa.array(case < 0.06),
            pc.utf8_capitalize(self.emails),
            pc.if_else(pa.array(case < 0.08), pc.utf8_upper(self.emails), self.emails),
        )
        self.email_case_differs = case < 0.08
        self.profile_ids = alnum_ids(rng, n_profiles, 24, prefix="01")
        self.customer_ids = CUSTOMER_ID_BASE + np.arange(self.sizes.customers) * 7 + 1
        self.profile_created_ms = self.clock.day0_ms - rng.integers(0, 400 * DAY_MS, n_profiles)

    # Marketing: campaigns with one message each, flows with messages, metrics, lists, codes.
    def _marketing(self) -> None:
        rng = rng_for(self.seed, "marketing")
        k = np.arange(N_CAMPAIGNS)
        # Tuesdays and Thursdays at 14:00 UTC, from the start of the history.
        self.campaign_send_ms = (
            self.clock.day0_ms + (k // 2 * 7 + np.where(k % 2, 4, 1)) * DAY_MS + 14 * HOUR_MS
        )
        themes = rng.integers(0, len(CAMPAIGN_THEMES), N_CAMPAIGNS)
        self.campaign_names = [
            f"{CAMPAIGN_THEMES[t]} {np.datetime64(int(ms), 'ms').astype('datetime64[D]')}"
            for t, ms in zip(themes, self.campaign_send_ms, strict=True)
        ]
        self.campaign_utm = [slug(n) for n in self.campaign_names]
        # every fifth campaign is a text message
        self.campaign_channels = ["sms" if i % 5 == 4 else "email" for i in range(N_CAMPAIGNS)]
        self.campaign_ids = alnum_ids(rng, N_CAMPAIGNS, 26, prefix="").to_pylist()
        self.campaign_message_ids = alnum_ids(rng, N_CAMPAIGNS, 26).to_pylist()
        self.flow_ids = alnum_ids(rng, len(FLOWS), 6).to_pylist()
        self.flow_message_ids = alnum_ids(rng, len(FLOWS) * 3, 6).to_pylist()  # 3 per flow
        self.metric_ids = alnum_ids(rng, len(METRICS), 6).to_pylist()
        self.list_ids = alnum_ids(rng, len(LISTS), 6).to_pylist()
        self.discount_codes = [
            f"{w}{p}"
            for w, p in zip(
                rng.choice(
                    ["WELCOME", "SAVE", "TRAIL", "VIP", "FLASH", "FREESHIP", "SPRING", "FALL"],
                    N_DISCOUNT_CODES,
                ),
                rng.choice([5, 10, 15, 20, 25], N_DISCOUNT_CODES),
                strict=True,
            )
        ]
        self.discount_codes = [f"{c}-{i}" for i, c in enumerate(self.discount_codes)]
        self.discount_percent = np.array(
            [int("".join(filter(str.isdigit, c.split("-")[0]))) for c in self.discount_codes]
        )

    @property
    def n_profiles(self) -> int:
        return self.sizes.customers + self.sizes.extra_profiles

    def day_index(self, ms: np.ndarray) -> np.ndarray:
        return np.clip((ms - self.clock.day0_ms) // DAY_MS, 0, HISTORY_DAYS - 1)
