"""The JSON an order carries (line items, its refund, money sets, shipping and tax lines), as
Shopify's REST API writes it; the refund's parts are also the order_refunds stream's columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ecom_analytics.sample_data.common import (
    SHOP_OFFSET_MS,
    SHOP_UTC_OFFSET,
    cat,
    iso,
    json_lists,
    money_text,
    obj,
    pick,
    quoted,
    strings,
    text,
    where,
)
from ecom_analytics.sample_data.shopify.orders import (
    PRESENTMENT_RATES_E4,
    SHOP_CURRENCY,
    Orders,
)
from ecom_analytics.sample_data.world import FIRST_NAMES, LAST_NAMES, World

LINE_ITEM_ID_BASE = 13_000_000_000_000
REFUND_ID_BASE = 9_100_000_000_000
TRANSACTION_ID_BASE = 6_700_000_000_000


@dataclass
class OrderJson:
    """Per order (line item ids: per line item), as JSON text."""

    line_item_ids: np.ndarray  # fulfillments list them too
    line_items: pa.Array
    refund_line_items: pa.Array
    refund_transactions: pa.Array
    refund_adjustments: pa.Array
    refund: pa.Array  # the whole refund, as the order embeds it once refunded


def order_json(world: World, orders: Orders) -> OrderJson:
    line_item_ids, line_items = _line_items_json(world, orders)
    refund_line_items, refund_transactions, adjustments, refund = _refund_json(
        orders, line_item_ids
    )
    return OrderJson(
        line_item_ids, line_items, refund_line_items, refund_transactions, adjustments, refund
    )


def _line_items_json(world: World, orders: Orders) -> tuple[np.ndarray, pa.Array]:
    """Line item ids (fulfillments list them too) and each order's line items."""
    batch, items = orders.batch, orders.items
    item_discount = items.discount_cents
    line_item_ids = LINE_ITEM_ID_BASE + batch.index[items.order] * 8 + items.position
    variant_skus = world.variant_skus[items.variant]
    product = world.variant_product[items.variant]
    titles = np.array(world.product_titles, object)[product]
    allocations = where(
        item_discount > 0,
        cat('[{"amount":"', money_text(item_discount), '","discount_application_index":0}]'),
        "[]",
    )
    line_items = json_lists(
        obj(
            id=text(line_item_ids),
            product_id=text(world.product_ids[product]),
            variant_id=text(world.variant_ids[items.variant]),
            sku=quoted(strings(variant_skus)),
            title=quoted(strings(titles)),
            variant_title=quoted(strings(world.variant_titles[items.variant])),
            quantity=text(items.quantity),
            price=quoted(money_text(items.unit_price_cents)),
            total_discount=quoted(money_text(item_discount)),
            discount_allocations=allocations,
            taxable="true",
        ),
        items.order,
        len(batch.ids),
    )
    return line_item_ids, line_items


def _refund_json(
    orders: Orders, line_item_ids: np.ndarray
) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array]:
    """Each order's refund (embedded in the order) and its parts (the refund stream's columns):
    line items, transactions, adjustments, the whole refund."""
    batch, refund, life = orders.batch, orders.refund, orders.life
    in_refund = refund.item_in_refund
    refund_ids = REFUND_ID_BASE + batch.index
    refund_line_items = json_lists(
        obj(
            id=text(line_item_ids[in_refund] + 1_000_000_000_000),
            line_item_id=text(line_item_ids[in_refund]),
            quantity=text(refund.item_quantity[in_refund]),
            restock_type=quoted("return"),
            subtotal=quoted(money_text(refund.item_subtotal_cents[in_refund])),
            total_tax=quoted(money_text(refund.item_tax_cents[in_refund])),
        ),
        orders.items.order[in_refund],
        len(batch.ids),
    )
    refund_iso = iso(life.refund_ms, SHOP_UTC_OFFSET, SHOP_OFFSET_MS)
    refund_transactions = _refund_transactions(orders, refund_iso)
    adjustments = where(
        refund.shipping_cents > 0,
        cat(
            '[{"id":',
            text(refund_ids + 7),
            ',"amount":"-',
            money_text(refund.shipping_cents),
            '","kind":"shipping_refund","reason":"Shipping refund"}]',
        ),
        "[]",
    )
    note = where(
        life.cancelled,
        quoted("Order cancelled"),
        where(life.partial, quoted("Customer return"), "null"),
    )
    whole = obj(
        id=text(refund_ids),
        order_id=text(batch.ids),
        created_at=quoted(refund_iso),
        note=note,
        restock="true",
        refund_line_items=refund_line_items,
        transactions=refund_transactions,
        order_adjustments=adjustments,
    )
    return refund_line_items, refund_transactions, adjustments, whole


def _refund_transactions(orders: Orders, refund_iso: pa.Array) -> pa.Array:
    """The refund's transaction, a child of the order's sale."""
    batch = orders.batch
    sale_tx = TRANSACTION_ID_BASE + batch.index * 4
    refund_tx = sale_tx + 1
    return cat(
        "[",
        obj(
            id=text(refund_tx),
            order_id=text(batch.ids),
            kind=quoted("refund"),
            status=quoted("success"),
            amount=quoted(money_text(batch.refunded_cents)),
            gateway=quoted("shopify_payments"),
            parent_id=text(sale_tx),
            created_at=quoted(refund_iso),
        ),
        "]",
    )


def money_set(cents: np.ndarray, presentment: np.ndarray) -> pa.Array:
    """Shopify's money set: the amount in shop and in presentment currency.

    `presentment` is each row's currency: 0 = shop currency, k = k-th of PRESENTMENT_RATES_E4.
    """
    currency = np.array([SHOP_CURRENCY, *PRESENTMENT_RATES_E4], object)[presentment]
    rate_e4 = np.array([10_000, *PRESENTMENT_RATES_E4.values()])[presentment]
    presented = (cents * rate_e4 + 5_000) // 10_000  # rounded to cents, half up
    return obj(
        shop_money=obj(amount=quoted(money_text(cents)), currency_code=quoted(SHOP_CURRENCY)),
        presentment_money=obj(
            amount=quoted(money_text(presented)),
            currency_code=quoted(strings(currency)),
        ),
    )


def order_customer(world: World, customer: np.ndarray, emails: pa.Array) -> pa.Array:
    """The customer as the order embeds it."""
    return obj(
        id=text(world.customer_ids[customer]),
        email=quoted(emails),
        first_name=quoted(pick(FIRST_NAMES, world.first[customer])),
        last_name=quoted(pick(LAST_NAMES, world.last[customer])),
        state=quoted("enabled"),
        verified_email="true",
        currency=quoted("USD"),
    )


def order_lines(world: World, orders: Orders, row_order: np.ndarray) -> dict[str, pa.Array]:
    """The discount code, shipping and tax lines of each row (`row_order`: each row's order)."""
    amounts = orders.amounts
    codes = np.array(world.discount_codes, object)[amounts.code[row_order]]
    discount_codes = where(
        amounts.has_code[row_order],
        cat(
            '[{"code":"',
            strings(codes),
            '","amount":"',
            money_text(amounts.discount_cents[row_order]),
            '","type":"percentage"}]',
        ),
        "[]",
    )
    shipping_lines = cat(
        '[{"id":',
        text(orders.batch.ids[row_order] + 11),
        ',"title":"Standard Shipping","code":"STANDARD","source":"shopify","price":"',
        money_text(amounts.shipping_cents[row_order]),
        '","discounted_price":"',
        money_text(amounts.shipping_cents[row_order]),
        '"}]',
    )
    tax_lines = cat(
        '[{"title":"Sales Tax","rate":0.08,"price":"',
        money_text(amounts.tax_cents[row_order]),
        '"}]',
    )
    return {
        "discount_codes": discount_codes,
        "shipping_lines": shipping_lines,
        "tax_lines": tax_lines,
    }
