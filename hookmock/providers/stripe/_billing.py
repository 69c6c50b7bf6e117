"""Builders for billing objects (customers, products, prices, subscriptions, invoices, Checkout
Sessions), each in the state its event type implies.
"""

from __future__ import annotations

from ._maker import OBJ_PATH

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._maker import Maker, Obj


def customer(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    person = m.person
    cus_id = m.text("id", lambda: m.customer_id)
    created = m.ago(0, 5) if state == "created" else m.ago(3600, 86400 * 300)
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
        obj["created"] = m.ago(0, 5)
    previous: Obj | None = None
    if state == "updated":
        obj["nickname"] = m.text("nickname", lambda: m.rng.choice(("Standard", "Launch", "Legacy")))
        previous = {"nickname": None}
    return obj, previous


def product(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    created = m.ago(0, 5) if state == "created" else m.ago(86400, 86400 * 300)
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


# -- billing --------------------------------------------------------------------------------------


_SYMBOLS = {"usd": "$", "eur": "\u20ac", "gbp": "\u00a3", "cad": "CA$", "aud": "A$"}


def _money(cents: int, currency: str) -> str:
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


def _period(m: Maker, start: int, direction: int = 1) -> int:
    """The other end of a billing period that starts (or, direction -1, ends) at ``start``."""
    days = 365 if m.shared("interval", lambda: "month") == "year" else 30
    return start + direction * days * 86400


def _invoice_times(m: Maker, state: str) -> dict[str, Any]:
    """An invoice's life, counted back from the event: created, finalized an hour later, paid."""
    t: dict[str, Any] = {"finalized_at": None, "paid_at": None, "closed_at": None}
    if state == "upcoming":
        # A preview: the invoice will be created when the current period ends, days from now.
        t["created"] = t["period_end"] = m.later(86400 * 3, 86400 * 7)
        return t
    if state in ("created", "finalization_failed"):
        t["created"] = m.ago(0, 5)
        return t
    if state == "deleted":
        t["created"] = m.ago(60, 3000)
        return t
    if state in ("overdue", "will_be_due"):
        finalized = m.ago(86400 * 20, 86400 * 40)
    elif state in ("paid", "payment_succeeded"):
        t["paid_at"] = m.ago(0, 5)
        finalized = t["paid_at"] - m.rng.randint(2, 60)
    elif state in ("finalized", "sent"):
        finalized = m.ago(0, 5)
    elif state in ("payment_failed", "payment_action_required"):
        finalized = m.ago(2, 60)
    else:  # voided, marked_uncollectible, updated: some days after finalization
        finalized = m.ago(86400, 86400 * 10)
        t["closed_at"] = m.ago(0, 5)
    t["finalized_at"] = finalized
    t["created"] = finalized - 3600  # Stripe finalizes subscription drafts after about an hour
    return t


def subscription(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    m.shared("recurring", lambda: True)
    sub_id = m.shared("sub", lambda: m.text("id", lambda: m.id("sub_")))
    trialing = state in ("trial_will_end",) or (state == "created" and "trialing" in m.traits)
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
    created = m.ago(0, 5) if state == "created" else m.ago(86400 * 2, 86400 * 200)
    # Periods run back to back from the start date, so the current one contains the event time.
    period_start = created
    while _period(m, period_start) <= m.now:
        period_start = _period(m, period_start)
    period_end = _period(m, period_start)
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
        "items": m.list_object([item], f"/v1/subscription_items?subscription={sub_id}"),
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
        if status == "past_due":
            previous = {"status": "active"}
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


def _one_off_line(m: Maker, in_id: str, amount: int, when: int) -> Obj:
    """An invoice line for a one-off invoice item (a setup fee, extra seats) next to the plan."""
    return {
        "id": m.id("il_"),
        "object": "line_item",
        "amount": amount,
        "currency": m.currency,
        "description": m.rng.choice(("Setup fee", "Extra seats", "Onboarding session")),
        "discount_amounts": [],
        "discountable": True,
        "discounts": [],
        "invoice": in_id,
        "livemode": m.livemode,
        "metadata": {},
        "parent": {
            "invoice_item_details": {
                "invoice_item": m.id("ii_"),
                "proration": False,
                "proration_details": {"credited_items": None},
                "subscription": None,
            },
            "subscription_item_details": None,
            "type": "invoice_item_details",
        },
        "period": {"end": when, "start": when},
        "pretax_credit_amounts": [],
        "pricing": None,
        "quantity": 1,
        "subtotal": amount,
        "taxes": [],
    }


def invoice(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    m.shared("recurring", lambda: True)
    upcoming = state == "upcoming"
    send_invoice = state in ("overdue", "will_be_due", "sent")
    in_id = m.shared("in", lambda: m.text("id", lambda: m.id("in_")))
    sub_id = m.shared("sub", lambda: m.id("sub_"))
    person = m.person
    price_obj = price(m, "created")
    qty = m.shared("quantity", lambda: m.rng.choice((1, 1, 1, 2, 5)))
    interval = (price_obj["recurring"] or {}).get("interval", "month")
    times = _invoice_times(m, state)
    created, finalized_at, paid_at = times["created"], times["finalized_at"], times["paid_at"]
    period_end = created if not upcoming else times["period_end"]
    period_start = _period(m, period_end, -1)
    # amount_due is the root amount: overriding it (or total) moves the lines and the payments.
    line_amount = m.num(
        "amount_due", lambda: m.num("total", lambda: price_obj["unit_amount"] * qty)
    )
    line = {
        "id": m.id("il_"),
        "object": "line_item",
        "amount": line_amount,
        "currency": m.currency,
        "description": f"{qty} \u00d7 {m.product_name()} (at {_money(price_obj['unit_amount'], m.currency)} / {interval})",
        "discount_amounts": [],
        "discountable": True,
        "discounts": [],
        "invoice": None if upcoming else in_id,
        "livemode": m.livemode,
        "metadata": {},
        "parent": {
            "invoice_item_details": None,
            "subscription_item_details": {
                "invoice_item": None,
                "proration": False,
                "proration_details": {"credited_items": None},
                "subscription": sub_id,
                "subscription_item": m.id("si_"),
            },
            "type": "subscription_item_details",
        },
        "period": {"end": _period(m, period_end), "start": period_end},
        "pretax_credit_amounts": [],
        "pricing": {
            "price_details": {"price": price_obj["id"], "product": price_obj["product"]},
            "type": "price_details",
            "unit_amount_decimal": price_obj["unit_amount_decimal"],
        },
        "quantity": qty,
        "subtotal": line_amount,
        "taxes": [],
    }
    lines = [line]
    fee = m.rng.choice((500, 1000, 2500, 4900))  # drawn every time, so other values stay put
    with_fee = m.rng.random() < 0.3
    root_overridden = any(m.ctx.overridden((*OBJ_PATH, f)) for f in ("amount_due", "total"))
    if with_fee and not root_overridden and not upcoming:
        lines.append(_one_off_line(m, in_id, fee, created))
    amount_due = sum(item["amount"] for item in lines)
    status = {
        "created": "draft",
        "deleted": "draft",
        "upcoming": "draft",
        "finalization_failed": "draft",
        "finalized": "open",
        "paid": "paid",
        "payment_succeeded": "paid",
        "payment_failed": "open",
        "payment_action_required": "open",
        "voided": "void",
        "marked_uncollectible": "uncollectible",
        "overdue": "open",
        "will_be_due": "open",
        "updated": "open",
        "sent": "open",
    }[state]
    paid = status == "paid"
    attempted = state in ("paid", "payment_succeeded", "payment_failed", "payment_action_required")
    number = (
        None
        if status == "draft"
        else f"{m.shared('prefix', lambda: m.b62(8).upper())}-{m.rng.randint(1, 30):04d}"
    )
    pi_id = m.shared("pi", lambda: m.id("pi_"))
    payments = None
    if paid or attempted:
        payments = m.list_object(
            [
                {
                    "id": "inpay_" + m.b62(24),
                    "object": "invoice_payment",
                    "amount_paid": amount_due if paid else None,
                    "amount_requested": amount_due,
                    "created": finalized_at,
                    "currency": m.currency,
                    "invoice": in_id,
                    "is_default": True,
                    "livemode": m.livemode,
                    "payment": {"payment_intent": pi_id, "type": "payment_intent"},
                    "status": "paid" if paid else "open",
                    "status_transitions": {
                        "canceled_at": None,
                        "paid_at": paid_at,
                    },
                }
            ],
            f"/v1/invoice_payments?invoice={in_id}",
        )
    due_date = None
    if send_invoice:
        due_date = m.ago(86400, 86400 * 5) if state == "overdue" else m.later(86400 * 2, 86400 * 6)
    hosted = (
        None
        if status == "draft"
        else f"https://invoice.stripe.com/i/acct_{m.b62(16)}/test_{m.b62(40)}"
    )
    billing_reason = "manual" if send_invoice else "subscription_cycle"
    if "subscription_create" in m.traits:
        billing_reason = "subscription_create"
    obj: Obj = {
        "id": in_id,
        "object": "invoice",
        "account_country": "US",
        "account_name": m.shared("account_name", lambda: m.fk.company()),
        "account_tax_ids": None,
        "amount_due": amount_due,
        "amount_overpaid": 0,
        "amount_paid": amount_due if paid else 0,
        "amount_remaining": 0 if paid else amount_due,
        "amount_shipping": 0,
        "application": None,
        "attempt_count": (m.rng.randint(1, 3) if state == "payment_failed" else 1)
        if attempted
        else 0,
        "attempted": attempted,
        "auto_advance": status in ("draft", "open") and not send_invoice,
        "automatic_tax": {
            "disabled_reason": None,
            "enabled": False,
            "liability": None,
            "provider": None,
            "status": None,
        },
        "automatically_finalizes_at": created + 3600
        if status == "draft" and not upcoming
        else None,
        "billing_reason": billing_reason,
        "collection_method": "send_invoice" if send_invoice else "charge_automatically",
        "confirmation_secret": None,
        "created": created,
        "currency": m.currency,
        "custom_fields": None,
        "customer": m.customer_id,
        "customer_account": None,
        "customer_address": person["address"],
        "customer_email": person["email"],
        "customer_name": person["name"],
        "customer_phone": person["phone"],
        "customer_shipping": None,
        "customer_tax_exempt": "none",
        "customer_tax_ids": [],
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "due_date": due_date,
        "effective_at": finalized_at,
        "ending_balance": None if status == "draft" else 0,
        "footer": None,
        "from_invoice": None,
        "hosted_invoice_url": hosted,
        "invoice_pdf": hosted + "/pdf?s=ap" if hosted else None,
        "issuer": {"type": "self"},
        "last_finalization_error": None,
        "latest_revision": None,
        "lines": m.list_object(lines, f"/v1/invoices/{in_id}/lines"),
        "livemode": m.livemode,
        "metadata": m.metadata(),
        "next_payment_attempt": m.later(86400 * 3, 86400 * 5)
        if state == "payment_failed"
        else (created + 3600 if status == "draft" and not send_invoice else None),
        "number": number,
        "on_behalf_of": None,
        "parent": {
            "quote_details": None,
            "subscription_details": {
                "metadata": {},
                "subscription": sub_id,
                "subscription_proration_date": None,
            },
            "type": "subscription_details",
        },
        "payment_settings": {
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        },
        "payments": payments,
        "period_end": period_end,
        "period_start": period_start,
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "receipt_number": None,
        "rendering": None,
        "shipping_cost": None,
        "shipping_details": None,
        "starting_balance": 0,
        "statement_descriptor": None,
        "status": status,
        "status_transitions": {
            "finalized_at": finalized_at,
            "marked_uncollectible_at": times["closed_at"] if status == "uncollectible" else None,
            "paid_at": paid_at,
            "voided_at": times["closed_at"] if status == "void" else None,
        },
        "subtotal": amount_due,
        "subtotal_excluding_tax": amount_due,
        "test_clock": None,
        "total": amount_due,
        "total_discount_amounts": [],
        "total_excluding_tax": amount_due,
        "total_pretax_credit_amounts": [],
        "total_taxes": [],
        "webhooks_delivered_at": None if status == "draft" else created + m.rng.randint(1, 30),
    }
    if send_invoice:
        obj["parent"] = None
        line["parent"] = {
            "invoice_item_details": {
                "invoice_item": m.id("ii_"),
                "proration": False,
                "proration_details": {"credited_items": None},
                "subscription": None,
            },
            "subscription_item_details": None,
            "type": "invoice_item_details",
        }
        line["description"] = m.product_name()
        obj["billing_reason"] = "manual"
    if upcoming:
        del obj["id"]
        obj["lines"]["url"] = "/v1/invoices/upcoming/lines"
    if state == "finalization_failed":
        obj["last_finalization_error"] = {
            "code": "customer_tax_location_invalid",
            "doc_url": "https://docs.stripe.com/error-codes/customer-tax-location-invalid",
            "message": "The customer's location isn't recognized.",
            "type": "invalid_request_error",
        }
    previous: Obj | None = None
    if state == "updated":
        old = obj["description"]
        obj["description"] = m.text("description", lambda: m.fk.sentence(nb_words=5))
        previous = {"description": old}
    return obj, previous


# -- checkout, payouts, disputes, setup intents ---------------------------------------------------


def checkout_session(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    mode = "subscription" if "subscription" in m.traits else "payment"
    prefix = "cs_live_" if m.livemode else "cs_test_"
    cs_id = m.text("id", lambda: m.id(prefix))
    amount = m.num("amount_total", lambda: m.amount())
    person = m.person
    complete = state != "expired"
    async_pm = state.startswith("async_payment")
    status = "complete" if complete else "expired"
    payment_status = {
        "completed": "paid",
        "async_payment_succeeded": "paid",
        "async_payment_failed": "unpaid",
        "expired": "unpaid",
    }[state]
    if state == "completed" and async_pm:
        payment_status = "unpaid"
    created = m.ago(86400 + 60, 86400 + 600) if state == "expired" else m.ago(60, 3600)
    domain = m.shared("domain", lambda: m.fk.domain_name())
    obj: Obj = {
        "id": cs_id,
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": mode == "payment"},
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": amount,
        "amount_total": amount,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": None,
        "cancel_url": f"https://{domain}/cart",
        "client_reference_id": None,
        "client_secret": None,
        "collected_information": {"shipping_details": None} if complete else None,
        "consent": None,
        "consent_collection": None,
        "created": created,
        "currency": m.currency,
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": m.customer_id if complete else None,
        "customer_creation": "if_required",
        "customer_details": {
            "address": person["address"],
            "business_name": None,
            "email": person["email"],
            "individual_name": None,
            "name": person["name"],
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        }
        if complete
        else None,
        "customer_email": None,
        "discounts": [],
        "expires_at": created + 86400,
        "invoice": m.shared("in", lambda: m.id("in_")) if mode == "subscription" else None,
        "invoice_creation": None
        if mode == "subscription"
        else {
            "enabled": False,
            "invoice_data": {
                "account_tax_ids": None,
                "custom_fields": None,
                "description": None,
                "footer": None,
                "issuer": None,
                "metadata": {},
                "rendering_options": None,
            },
        },
        "livemode": m.livemode,
        "locale": None,
        "metadata": m.metadata(),
        "mode": mode,
        "origin_context": None,
        "payment_intent": m.shared("pi", lambda: m.id("pi_"))
        if complete and mode == "payment"
        else None,
        "payment_link": None,
        "payment_method_collection": "if_required" if mode == "payment" else "always",
        "payment_method_configuration_details": None,
        "payment_method_options": {"us_bank_account": {"verification_method": "automatic"}}
        if async_pm
        else {"card": {"request_three_d_secure": "automatic"}},
        "payment_method_types": ["us_bank_account"] if async_pm else ["card"],
        "payment_status": payment_status,
        "permissions": None,
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "status": status,
        "submit_type": None,
        "subscription": m.shared("sub", lambda: m.id("sub_")) if mode == "subscription" else None,
        "success_url": f"https://{domain}/success?session_id={{CHECKOUT_SESSION_ID}}",
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted_page",
        "url": None,
        "wallet_options": None,
    }
    return obj, None


def plan_event(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    m.shared("recurring", lambda: True)
    price_obj = price(m, "deleted" if state == "deleted" else "created")
    obj = plan_of(price_obj)
    obj["id"] = m.text("id", lambda: obj["id"])
    obj["metadata"] = m.metadata()
    if state == "created":
        obj["created"] = m.ago(0, 5)
    previous: Obj | None = None
    if state == "updated":
        obj["nickname"] = m.text("nickname", lambda: m.rng.choice(("Monthly", "Annual", "Legacy")))
        previous = {"nickname": None}
    return obj, previous


def invoice_payment_event(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    """An invoice payment, as ``invoice_payment.paid`` carries it: the same one ``invoice.paid`` lists."""
    inv, _ = invoice(m, "paid")
    payment: Obj = inv["payments"]["data"][0]
    payment["id"] = m.text("id", lambda: payment["id"])
    return payment, None


def invoiceitem(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    price_obj = price(m, "created")
    qty = m.shared("quantity", lambda: m.rng.choice((1, 1, 1, 2, 5)))
    amount = m.num("amount", lambda: price_obj["unit_amount"] * qty)
    date = m.ago(0, 5) if state == "created" else m.ago(60, 86400 * 3)
    obj: Obj = {
        "id": m.text("id", lambda: m.id("ii_")),
        "object": "invoiceitem",
        "amount": amount,
        "currency": m.currency,
        "customer": m.customer_id,
        "customer_account": None,
        "date": date,
        "description": m.rng.choice(("Setup fee", "Onboarding session", "Extra seats", None)),
        "discountable": True,
        "discounts": [],
        "invoice": None,
        "livemode": m.livemode,
        "metadata": m.metadata(),
        "net_amount": amount,
        "parent": None,
        "period": {"end": date, "start": date},
        "pricing": {
            "price_details": {"price": price_obj["id"], "product": price_obj["product"]},
            "type": "price_details",
            "unit_amount_decimal": price_obj["unit_amount_decimal"],
        },
        "proration": False,
        "quantity": qty,
        "quantity_decimal": str(qty),
        "tax_rates": [],
        "test_clock": None,
    }
    return obj, None


# (tax id type, country, value pattern for Faker's numerify/bothify)
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
        "created": m.ago(0, 5) if state == "created" else m.ago(3600, 86400 * 60),
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
