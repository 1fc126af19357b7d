"""The pages each session views and when, and the events they give (names, times, order).

A session with an order lands where the order says, views the product page of every line item
(adding it to the cart there), then the cart, and checks out: begin_checkout,
add_shipping_info, add_payment_info, purchase at the order's creation time. A session without
one views 1-8 pages (home, a collection, products, search), and a few add the last product to
the cart and start a checkout they leave.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ecom_analytics.sample_data.ga4_export.sessions import Sessions
from ecom_analytics.sample_data.shopify.orders import Orders
from ecom_analytics.sample_data.world import World

HOME, COLLECTION, PRODUCT, CART, SEARCH = range(5)
PATHS = ["/", "/collections/all", "/products/", "/cart", "/search"]
TITLES = ["Home", "All products", "", "Your cart", "Search results"]
CHECKOUT_MS = 150_000  # from the cart to the thank-you page
NAMES = [
    "first_visit",
    "session_start",
    "page_view",
    "view_item",
    "view_item_list",
    "select_item",
    "scroll",
    "add_to_cart",
    "user_engagement",
    "begin_checkout",
    "add_shipping_info",
    "add_payment_info",
    "purchase",
]
(
    FIRST_VISIT,
    SESSION_START,
    PAGE_VIEW,
    VIEW_ITEM,
    VIEW_ITEM_LIST,
    SELECT_ITEM,
    SCROLL,
    ADD_TO_CART,
    USER_ENGAGEMENT,
    BEGIN_CHECKOUT,
    ADD_SHIPPING_INFO,
    ADD_PAYMENT_INFO,
    PURCHASE,
) = range(len(NAMES))
# offset of each checkout step from the start of the cart page
CHECKOUT_STEPS = {BEGIN_CHECKOUT: 5_000, ADD_SHIPPING_INFO: 45_000, ADD_PAYMENT_INFO: 90_000}


@dataclass
class Pages:
    """One row per page view, sorted by session and page number."""

    session: np.ndarray
    number: np.ndarray  # 0 = the landing page
    kind: np.ndarray
    product: np.ndarray  # product index, -1 off product pages
    variant: np.ndarray  # the variant put in the cart on this page, or -1
    quantity: np.ndarray
    start_ms: np.ndarray
    duration_ms: np.ndarray


@dataclass
class Events:
    """One row per event, in the order the site sent them (session, page, step)."""

    page: np.ndarray  # row of Pages
    name: np.ndarray  # index into NAMES
    time_ms: np.ndarray
    step: np.ndarray  # the event's rank within its page


def draw_pages(world: World, rng: np.random.Generator, orders: Orders, s: Sessions) -> Pages:
    """Every page of every session; fills the order sessions' start times."""
    n = len(s.client)
    with_order = s.order >= 0
    handles = {handle: i for i, handle in enumerate(world.product_handles)}
    landing_product = np.array(
        [handles.get(p.removeprefix("/products/"), -1) for p in s.landing_path], np.int64
    )
    landing_kind = np.select(
        [landing_product >= 0, s.landing_path == "/collections/all"], [PRODUCT, COLLECTION], HOME
    )
    # pages without an order: 1 to 8, a landing page by the odds below, then browsing
    n_pages = np.where(with_order, 0, np.minimum(rng.geometric(0.42, n), 8))
    first = rng.choice([HOME, COLLECTION, PRODUCT], n, p=[0.3, 0.15, 0.55])
    landing_kind = np.where(with_order, landing_kind, first)
    landing_product = np.where(
        with_order, landing_product, np.where(first == PRODUCT, _popular(world, rng, n), -1)
    )
    # order sessions: landing, one product page per line item, the cart
    item_session = np.full(len(orders.batch.index), -1)
    item_session[s.order[with_order]] = np.flatnonzero(with_order)
    items = orders.items
    item_rows = np.flatnonzero(item_session[items.order] >= 0)
    n_items = np.bincount(item_session[items.order[item_rows]], minlength=n)
    n_pages = np.where(with_order, 2 + n_items, n_pages)
    session = np.repeat(np.arange(n), n_pages)
    offset = np.cumsum(n_pages) - n_pages
    number = np.arange(len(session)) - offset[session]
    browse = rng.choice(
        [HOME, COLLECTION, PRODUCT, SEARCH], len(session), p=[0.08, 0.25, 0.6, 0.07]
    )
    kind = np.where(number == 0, landing_kind[session], browse)
    product = np.where(kind == PRODUCT, _popular(world, rng, len(session)), -1)
    product = np.where(number == 0, landing_product[session], product)
    variant = np.full(len(session), -1)
    quantity = np.zeros(len(session), np.int64)
    # the order's line items on pages 1..k, then the cart
    item_page = offset[item_session[items.order[item_rows]]] + 1 + items.position[item_rows]
    kind[item_page] = PRODUCT
    variant[item_page] = items.variant[item_rows]
    product[item_page] = world.variant_product[items.variant[item_rows]]
    quantity[item_page] = items.quantity[item_rows]
    last = offset + n_pages - 1
    kind[last[with_order]] = CART
    product[last[with_order]] = -1
    # a few sessions without an order put their last product in the cart
    carts = ~with_order & (n_pages >= 2) & (rng.random(n) < 0.25) & (kind[last] == PRODUCT)
    cart_product = product[last[carts]]
    first_variant = np.searchsorted(world.variant_product, cart_product)
    variant[last[carts]] = first_variant
    quantity[last[carts]] = 1
    duration = (rng.exponential(30_000, len(session)) + 2_000).astype(np.int64)
    duration = np.where(kind == CART, CHECKOUT_MS, duration)
    before = np.cumsum(duration) - duration  # time from the first page of the history
    start_in_session = before - before[offset][session]
    total = np.bincount(session, duration, n).astype(np.int64)
    created = orders.batch.created_ms[np.maximum(s.order, 0)]
    s.start_ms[:] = np.where(with_order, created - total, s.start_ms)
    return Pages(
        session=session,
        number=number,
        kind=kind,
        product=product,
        variant=variant,
        quantity=quantity,
        start_ms=s.start_ms[session] + start_in_session,
        duration_ms=duration,
    )


def _popular(world: World, rng: np.random.Generator, n: int) -> np.ndarray:
    """Products drawn by popularity (the variants' sales weights)."""
    return world.variant_product[rng.choice(len(world.variant_ids), n, p=world.variant_weights)]


def page_events(
    rng: np.random.Generator, s: Sessions, pages: Pages, new_client: np.ndarray
) -> Events:
    """The events of every page, in the order the site sends them."""
    n = len(pages.session)
    first = pages.number == 0
    last = np.append(pages.session[1:] != pages.session[:-1], True)
    with_order = s.order[pages.session] >= 0
    listing = (pages.kind == COLLECTION) | (pages.kind == SEARCH)
    next_is_product = np.append((pages.kind[1:] == PRODUCT) & ~first[1:], False)
    cart_page = pages.kind == CART
    carting = (pages.variant >= 0) & ~cart_page
    checkout = (cart_page & with_order) | (carting & ~with_order)
    begun = checkout & (with_order | (rng.random(n) < 0.4))
    shipped = begun & (with_order | (rng.random(n) < 0.7))
    paid = shipped & (with_order | (rng.random(n) < 0.6))
    # the checkout of a session without an order starts after its last page
    checkout_start = np.where(cart_page, pages.start_ms, pages.start_ms + pages.duration_ms)
    d = pages.duration_ms
    rows = [  # (pages that have the event, event, time)
        (first & new_client[pages.session], FIRST_VISIT, pages.start_ms),
        (first, SESSION_START, pages.start_ms),
        (np.ones(n, bool), PAGE_VIEW, pages.start_ms),
        (pages.kind == PRODUCT, VIEW_ITEM, pages.start_ms + 300),
        (listing, VIEW_ITEM_LIST, pages.start_ms + 400),
        (listing & next_is_product & ~last, SELECT_ITEM, pages.start_ms + d - 500),
        ((rng.random(n) < 0.35) & (d > 8_000) & ~cart_page, SCROLL, pages.start_ms + d * 6 // 10),
        (carting, ADD_TO_CART, pages.start_ms + d * 7 // 10),
        (~cart_page, USER_ENGAGEMENT, pages.start_ms + d - 1),  # just before the next page
        (begun, BEGIN_CHECKOUT, checkout_start + CHECKOUT_STEPS[BEGIN_CHECKOUT]),
        (shipped, ADD_SHIPPING_INFO, checkout_start + CHECKOUT_STEPS[ADD_SHIPPING_INFO]),
        (paid, ADD_PAYMENT_INFO, checkout_start + CHECKOUT_STEPS[ADD_PAYMENT_INFO]),
        (cart_page & with_order, PURCHASE, pages.start_ms + CHECKOUT_MS),
    ]
    page = np.concatenate([np.flatnonzero(mask) for mask, _, _ in rows])
    name = np.concatenate([np.full(int(mask.sum()), event) for mask, event, _ in rows])
    time_ms = np.concatenate([times[mask] for mask, _, times in rows])
    order = np.lexsort((name, page))
    page, name, time_ms = page[order], name[order], time_ms[order]
    starts = np.flatnonzero(np.append(True, page[1:] != page[:-1]))
    step = np.arange(len(page)) - np.repeat(starts, np.diff(np.append(starts, len(page))))
    return Events(page=page, name=name, time_ms=time_ms, step=step)
