"""Builders for billing objects (customers, products, prices, plans, subscriptions, tax ids),
each in the state its event type implies.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._maker import Maker, Obj


def customer(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    person = m.person
    cus_id = m.text("id", lambda: m.customer_id)
    created = m.ago(0, 2) if state == "created" else m.ago(3600, 86400 * 300)
    obj: Obj = {
        "id": cus_id,
        "object": "customer",
        "address": person["address"],
        "balance": 0,
        "business_name": None,
        "created": created,
        "currency": None if state == "created" else m.currency,
        "customer_account": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": person["email"],
        "individual_name": None,
        "invoice_prefix": m.b62(8).upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None if state == "created" else m.payment_method_id,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": m.livemode,
        "metadata": m.metadata(),
        "name": person["name"],
        "next_invoice_sequence": 1 if state == "created" else m.rng.randint(2, 40),
        "phone": person["phone"],
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }
    previous: Obj | None = None
    if state == "updated":
        kind = m.rng.choice(("email", "name", "default_payment_method"))
        if kind == "default_payment_method":
            previous = {"invoice_settings": {"default_payment_method": None}}
        else:
            current = m.text(kind, lambda: obj[kind])
            old = current
            while old == current:
                old = m.fk.email() if kind == "email" else m.fk.name()
            previous = {kind: old}
    return obj, previous


# -- products and prices --------------------------------------------------------------------------


def price(m: Maker, state: str, *, product_id: str | None = None) -> Obj:
    recurring = m.shared("recurring", lambda: m.rng.random() < 0.7)
    unit = m.shared("unit_amount", lambda: m.rng.choice((500, 900, 1500, 2000, 2900, 4900, 9900)))
    return {
        "id": m.shared("price", lambda: m.id("price_")),
        "object": "price",
        "active": state != "deleted",
        "billing_scheme": "per_unit",
        "created": m.shared("price_created", lambda: m.ago(86400, 86400 * 300)),
        "currency": m.currency,
        "custom_unit_amount": None,
        "livemode": m.livemode,
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": product_id or m.shared("prod", lambda: m.id("prod_")),
        "recurring": {
            "interval": m.shared("interval", lambda: m.rng.choice(("month", "month", "year"))),
            "interval_count": 1,
            "meter": None,
            "trial_period_days": None,
            "usage_type": "licensed",
        }
        if recurring
        else None,
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring" if recurring else "one_time",
        "unit_amount": unit,
        "unit_amount_decimal": str(unit),
    }


def price_event(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    obj = price(m, state)
    obj["id"] = m.text("id", lambda: obj["id"])
    obj["metadata"] = m.metadata()
    if state == "created":
        obj["created"] = m.ago(0, 2)
    previous: Obj | None = None
    if state == "updated":
        obj["nickname"] = m.text("nickname", lambda: m.rng.choice(("Standard", "Launch", "Legacy")))
        previous = {"nickname": None}
    return obj, previous


def product(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    created = m.ago(0, 2) if state == "created" else m.ago(86400, 86400 * 300)
    name = m.product_name()
    obj: Obj = {
        "id": m.text("id", lambda: m.shared("prod", lambda: m.id("prod_"))),
        "object": "product",
        "active": state != "deleted",
        "created": created,
        "default_price": m.shared("price", lambda: m.id("price_")),
        "description": m.rng.choice((None, m.fk.catch_phrase())),
        "images": [],
        "livemode": m.livemode,
        "marketing_features": [],
        "metadata": m.metadata(),
        "name": name,
        "package_dimensions": None,
        "shippable": None,
        "statement_descriptor": None,
        "tax_code": None,
        "type": "service",
        "unit_label": None,
        "updated": created if state == "created" else m.ago(0, 5),
        "url": None,
    }
    previous: Obj | None = None
    if state == "updated":
        current = m.text("name", lambda: name)
        old = current
        while old == current:
            old = m.product_name()
        previous = {"name": old, "updated": obj["created"]}
    return obj, previous


# -- plans, subscriptions, tax ids ----------------------------------------------------------------


_SYMBOLS = {"usd": "$", "eur": "\u20ac", "gbp": "\u00a3", "cad": "CA$", "aud": "A$"}


def money(cents: int, currency: str) -> str:
    """An amount the way Stripe's line descriptions print it: ``$20.00``."""
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{cents / 100:.2f}" if symbol else f"{cents / 100:.2f} {currency.upper()}"


def plan_of(price_obj: Obj) -> Obj:
    rec = price_obj["recurring"] or {"interval": "month", "interval_count": 1}
    return {
        "id": price_obj["id"],
        "object": "plan",
        "active": price_obj["active"],
        "amount": price_obj["unit_amount"],
        "amount_decimal": price_obj["unit_amount_decimal"],
        "billing_scheme": "per_unit",
        "created": price_obj["created"],
        "currency": price_obj["currency"],
        "interval": rec["interval"],
        "interval_count": rec["interval_count"],
        "livemode": price_obj["livemode"],
        "metadata": {},
        "meter": None,
        "nickname": None,
        "product": price_obj["product"],
        "tiers_mode": None,
        "transform_usage": None,
        "trial_period_days": None,
        "usage_type": "licensed",
    }


def period_from(m: Maker, start: int, direction: int = 1) -> int:
    """The other end of a billing period that starts (or, direction -1, ends) at ``start``."""
    days = 365 if m.shared("interval", lambda: "month") == "year" else 30
    return start + direction * days * 86400


def subscription(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    m.shared("recurring", lambda: True)
    # Drawn before the periods are laid out: some subscriptions are yearly.
    m.shared("interval", lambda: m.rng.choice(("month", "month", "year")))
    sub_id = m.shared("sub", lambda: m.text("id", lambda: m.id("sub_")))
    # Some new subscriptions start with a trial even without the trait.
    trial_drawn = m.rng.random() < 0.2
    trialing = state in ("trial_will_end",) or (
        state == "created"
        and ("trialing" in m.traits or (trial_drawn and "incomplete" not in m.traits))
    )
    status = {
        "created": "active",
        "updated": "active",
        "deleted": "canceled",
        "trial_will_end": "trialing",
        "paused": "paused",
        "resumed": "active",
        "pending_update_applied": "active",
        "pending_update_expired": "active",
    }[state]
    if state == "created":
        if trialing:
            status = "trialing"
        elif "incomplete" in m.traits:
            status = "incomplete"
    elif state == "updated" and "past_due" in m.traits:
        status = "past_due"
    created = m.ago(0, 2) if state == "created" else m.ago(86400 * 2, 86400 * 200)
    # Periods run back to back from the start date, so the current one contains the event time.
    period_start = created
    while period_from(m, period_start) <= m.now:
        period_start = period_from(m, period_start)
    period_end = period_from(m, period_start)
    trial_start = trial_end = None
    if trialing:
        trial_start = created
        trial_end = (
            m.later(3 * 86400, 3 * 86400) if state == "trial_will_end" else created + 14 * 86400
        )
        period_start, period_end = trial_start, trial_end
        if state == "trial_will_end":
            # Stripe sends this three days before a (here 14-day) trial ends.
            trial_start = created = period_start = trial_end - 14 * 86400
    price_obj = price(m, "created")
    price_obj["recurring"] = price_obj["recurring"] or {
        "interval": "month",
        "interval_count": 1,
        "meter": None,
        "trial_period_days": None,
        "usage_type": "licensed",
    }
    price_obj["type"] = "recurring"
    item = {
        "id": m.id("si_"),
        "object": "subscription_item",
        "billing_thresholds": None,
        "created": created + 1,
        "current_period_end": period_end,
        "current_period_start": period_start,
        "discounts": [],
        "metadata": {},
        "plan": plan_of(price_obj),
        "price": price_obj,
        "quantity": m.shared("quantity", lambda: m.rng.choice((1, 1, 1, 2, 5))),
        "subscription": sub_id,
        "tax_rates": [],
    }
    items = [item]
    if m.rng.random() < 0.25:  # a second item: an add-on billed with the plan
        extra = dict(item, id=m.id("si_"), quantity=1)
        extra_price = dict(price_obj, id=m.id("price_"), unit_amount=price_obj["unit_amount"] // 4)
        extra["price"], extra["plan"] = extra_price, plan_of(extra_price)
        items.append(extra)
    canceled = state == "deleted"
    obj: Obj = {
        "id": sub_id,
        "object": "subscription",
        "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": trial_end if trial_end is not None else created,
        "billing_cycle_anchor_config": None,
        "billing_mode": {"flexible": None, "type": "classic", "updated_at": None},
        "billing_thresholds": None,
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": m.ago(0, 60) if canceled else None,
        "cancellation_details": {
            "comment": None,
            "feedback": m.rng.choice((None, "too_expensive", "unused", "switched_service"))
            if canceled
            else None,
            "reason": "cancellation_requested" if canceled else None,
        },
        "collection_method": "charge_automatically",
        "created": created,
        "currency": m.currency,
        "customer": m.customer_id,
        "customer_account": None,
        "days_until_due": None,
        "default_payment_method": m.payment_method_id if status != "paused" else None,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "ended_at": m.ago(0, 60) if canceled else None,
        "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
        "items": m.list_object(items, f"/v1/subscription_items?subscription={sub_id}"),
        "latest_invoice": m.shared("in", lambda: m.id("in_")),
        "livemode": m.livemode,
        "metadata": m.metadata(),
        "next_pending_invoice_item_invoice": None,
        "on_behalf_of": None,
        "pause_collection": None,
        "payment_settings": {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "off",
        },
        "pending_invoice_item_interval": None,
        "pending_setup_intent": None,
        "pending_update": None,
        "schedule": None,
        "start_date": created,
        "status": status,
        "test_clock": None,
        "transfer_data": None,
        "trial_end": trial_end,
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": trial_start,
    }
    if canceled:
        obj["ended_at"] = obj["canceled_at"]
    previous: Obj | None = None
    if state == "updated":
        change = m.rng.choices(("cancel", "plan", "quantity"), (4, 3, 3))[0]
        for trait, forced in (
            ("plan_change", "plan"),
            ("quantity_change", "quantity"),
            ("cancellation", "cancel"),
        ):
            if trait in m.traits:
                change = forced
        if status == "past_due":
            previous = {"status": "active"}
        elif change == "plan":
            # An upgrade: the item moved to this price from a cheaper one.
            old_price = dict(
                price_obj, id=m.id("price_"), unit_amount=price_obj["unit_amount"] // 2
            )
            old_item = dict(item, price=old_price, plan=plan_of(old_price))
            previous = {"items": {"data": [old_item, *items[1:]]}}
        elif change == "quantity":
            old_quantity = item["quantity"]
            item["quantity"] = old_quantity + m.rng.randint(1, 4)
            previous = {"items": {"data": [dict(item, quantity=old_quantity), *items[1:]]}}
        else:
            old_cancel = obj["cancel_at_period_end"]
            obj["cancel_at_period_end"] = not old_cancel
            obj["cancel_at"] = period_end
            obj["canceled_at"] = m.ago(0, 60)
            obj["cancellation_details"]["reason"] = "cancellation_requested"
            previous = {
                "cancel_at": None,
                "cancel_at_period_end": old_cancel,
                "canceled_at": None,
                "cancellation_details": {"reason": None},
            }
    elif state == "paused":
        previous = {"status": "trialing"}
    elif state == "resumed":
        previous = {"status": "paused"}
    elif state in ("pending_update_applied", "pending_update_expired"):
        previous = {
            "pending_update": {
                "billing_cycle_anchor": None,
                "expires_at": m.later(0, 86400)
                if state == "pending_update_applied"
                else m.ago(0, 60),
                "subscription_items": None,
                "trial_end": None,
                "trial_from_plan": None,
            }
        }
        if state == "pending_update_applied":
            old_qty = item["quantity"]
            item["quantity"] = old_qty + m.rng.randint(1, 3)
    return obj, previous


def plan_event(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    m.shared("recurring", lambda: True)
    price_obj = price(m, "deleted" if state == "deleted" else "created")
    obj = plan_of(price_obj)
    obj["id"] = m.text("id", lambda: obj["id"])
    obj["metadata"] = m.metadata()
    if state == "created":
        obj["created"] = m.ago(0, 2)
    previous: Obj | None = None
    if state == "updated":
        obj["nickname"] = m.text("nickname", lambda: m.rng.choice(("Monthly", "Annual", "Legacy")))
        previous = {"nickname": None}
    return obj, previous


_TAX_IDS = (
    ("eu_vat", "DE", "DE#########"),
    ("eu_vat", "FR", "FR###########"),
    ("gb_vat", "GB", "GB#########"),
    ("au_abn", "AU", "###########"),
    ("ca_bn", "CA", "#########"),
    ("us_ein", "US", "##-#######"),
)


def tax_id(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    # Only the kinds Stripe verifies ever change after creation.
    pool = _TAX_IDS[:4] if state == "updated" else _TAX_IDS
    kind, country, pattern = m.shared("tax_id", lambda: m.rng.choice(pool))
    verified = state == "updated" or (state == "deleted" and m.rng.random() < 0.5)
    customer_id = m.customer_id
    obj: Obj = {
        "id": m.text("id", lambda: m.id("txi_")),
        "object": "tax_id",
        "country": country,
        "created": m.ago(0, 2) if state == "created" else m.ago(3600, 86400 * 60),
        "customer": customer_id,
        "customer_account": None,
        "livemode": m.livemode,
        "owner": {"customer": customer_id, "type": "customer"},
        "type": kind,
        "value": m.fk.numerify(pattern),
        "verification": {
            "status": "verified" if verified else "pending",
            "verified_address": None,
            "verified_name": m.fk.company() if verified else None,
        }
        if kind in ("eu_vat", "gb_vat", "au_abn")
        else None,
    }
    previous: Obj | None = None
    if state == "updated":
        if obj["verification"] is None:
            obj["verification"] = {
                "status": "verified",
                "verified_address": None,
                "verified_name": None,
            }
        previous = {"verification": {"status": "pending", "verified_name": None}}
        if obj["verification"]["verified_name"] is None:
            previous = {"verification": {"status": "pending"}}
    return obj, previous
