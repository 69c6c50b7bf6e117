"""Builders for invoices (with their lines), invoice payments, invoice items and Checkout
Sessions, each in the state its event type implies.
"""

from __future__ import annotations

from ._billing import money, period_from, price
from ._maker import OBJ_PATH

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._maker import Maker, Obj


def _invoice_times(m: Maker, state: str, reason: str, attempts: int) -> dict[str, Any]:
    """An invoice's life, counted back from the event: created, finalized an hour later, paid.

    A subscription's first invoice is finalized and paid at once; a renewal paid on a retry was
    paid days after it was finalized.
    """
    t: dict[str, Any] = {"finalized_at": None, "paid_at": None, "closed_at": None}
    if state == "upcoming":
        # A preview: the invoice will be created when the current period ends, days from now.
        t["created"] = t["period_end"] = m.later(86400 * 3, 86400 * 7)
        return t
    if state in ("created", "finalization_failed"):
        t["created"] = m.ago(0, 2)
        return t
    if state == "deleted":
        t["created"] = m.ago(60, 3000)
        return t
    if state in ("overdue", "will_be_due"):
        finalized = m.ago(86400 * 20, 86400 * 40)
    elif state in ("paid", "payment_succeeded"):
        t["paid_at"] = m.ago(0, 5)
        if attempts > 1:  # Smart Retries space attempts about a day or more apart
            retried = attempts - 1
            finalized = t["paid_at"] - m.rng.randint(86400 * retried, 86400 * 3 * retried)
        else:
            finalized = t["paid_at"] - m.rng.randint(2, 60)
    elif state in ("finalized", "sent"):
        finalized = m.ago(0, 5)
    elif state in ("payment_failed", "payment_action_required"):
        finalized = m.ago(2, 60)
    else:  # voided, marked_uncollectible, updated: some days after finalization
        finalized = m.ago(86400, 86400 * 10)
        t["closed_at"] = m.ago(0, 5)
    t["finalized_at"] = finalized
    if reason == "subscription_create":
        t["created"] = finalized - m.rng.randint(1, 2)  # finalized as soon as it is created
    else:
        t["created"] = finalized - 3600  # Stripe finalizes renewal drafts after about an hour
    return t


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
    default_reason = "manual" if send_invoice else "subscription_cycle"
    reason, attempts = _billing_reason_and_attempts(m, state, default_reason)
    if upcoming:
        reason = "upcoming"  # a preview says so in its billing_reason
    times = _invoice_times(m, state, reason, attempts)
    created, finalized_at, paid_at = times["created"], times["finalized_at"], times["paid_at"]
    period_end = created if not upcoming else times["period_end"]
    # A subscription's first invoice covers no past period: it starts and ends at its creation.
    period_start = period_end if reason == "subscription_create" else period_from(m, period_end, -1)
    # amount_due is the root amount: overriding it (or total) moves the lines and the payments.
    line_amount = m.num(
        "amount_due", lambda: m.num("total", lambda: price_obj["unit_amount"] * qty)
    )
    line = {
        # A preview's lines are not saved yet: Stripe gives them temporary il_tmp_ ids.
        "id": m.id("il_tmp_" if upcoming else "il_"),
        "object": "line_item",
        "amount": line_amount,
        "currency": m.currency,
        "description": f"{qty} \u00d7 {m.product_name()} (at {money(price_obj['unit_amount'], m.currency)} / {interval})",
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
        "period": {"end": period_from(m, period_end), "start": period_end},
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
    subtotal = sum(item["amount"] for item in lines)
    # Some invoices carry a discount (a coupon) and some a tax rate; an overridden total has
    # neither, so it stays what the user asked for.
    with_discount, with_tax = m.rng.random() < 0.2, m.rng.random() < 0.25
    discount = subtotal // 10 if with_discount and not root_overridden else 0
    tax = (subtotal - discount) * 8 // 100 if with_tax and not root_overridden else 0
    amount_due = subtotal - discount + tax
    discount_id = m.id("di_")
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
    if paid or attempted:
        # Webhooks leave out includable fields such as ``payments`` unless expanded, so the
        # payment is not on the invoice; invoice_payment.paid carries it.
        m.shared(
            "invoice_payment",
            lambda: {
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
                "status_transitions": {"canceled_at": None, "paid_at": paid_at},
            },
        )
    due_date = None
    if send_invoice:
        due_date = m.ago(86400, 86400 * 5) if state == "overdue" else m.later(86400 * 2, 86400 * 6)
    hosted = (
        None
        if status == "draft"
        else f"https://invoice.stripe.com/i/acct_{m.b62(16)}/test_{m.b62(40)}"
    )
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
        "attempt_count": attempts,
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
        "billing_reason": reason,
        "collection_method": "send_invoice" if send_invoice else "charge_automatically",
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
        "discounts": [discount_id] if discount else [],
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
        "subtotal": subtotal,
        "subtotal_excluding_tax": subtotal,
        "test_clock": None,
        "total": amount_due,
        "total_discount_amounts": [{"amount": discount, "discount": discount_id}]
        if discount
        else [],
        "total_excluding_tax": subtotal - discount,
        "total_pretax_credit_amounts": [],
        "total_taxes": [
            {
                "amount": tax,
                "tax_behavior": "exclusive",
                "tax_rate_details": {"tax_rate": m.shared("txr", lambda: m.id("txr_"))},
                "taxability_reason": "standard_rated",
                "taxable_amount": subtotal - discount,
                "type": "tax_rate_details",
            }
        ]
        if tax
        else [],
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


def _billing_reason_and_attempts(m: Maker, state: str, default: str) -> tuple[str, int]:
    """Why the invoice exists and how many payment attempts it has seen, drawn consistently.

    Any attempt counts as the first; only automatic retries add to ``attempt_count``. A paid
    renewal was sometimes paid on a retry; a subscription's first invoice is paid on its first try.
    """
    paid = state in ("paid", "payment_succeeded")
    first = m.rng.random() < 0.25  # drawn every time, so other values stay put
    retries = m.rng.choices((0, 1, 2), (80, 15, 5))[0]
    failed_tries = m.rng.randint(1, 3)
    reason = default
    if "subscription_create" in m.traits or (
        paid and first and "subscription_cycle" not in m.traits
    ):
        reason = "subscription_create"
    if state == "payment_failed":
        return reason, failed_tries
    if state == "payment_action_required":
        return reason, 1
    if paid:
        return reason, 1 if reason == "subscription_create" else 1 + retries
    return reason, 0


def invoice_payment_event(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    """An invoice payment, as ``invoice_payment.paid`` carries it: the payment of a paid invoice."""
    invoice(m, "paid")
    payment: Obj = m.shared("invoice_payment", dict)
    payment["id"] = m.text("id", lambda: payment["id"])
    return payment, None


def invoiceitem(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    price_obj = price(m, "created")
    qty = m.shared("quantity", lambda: m.rng.choice((1, 1, 1, 2, 5)))
    amount = m.num("amount", lambda: price_obj["unit_amount"] * qty)
    date = m.ago(0, 2) if state == "created" else m.ago(60, 86400 * 3)
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


# -- checkout -------------------------------------------------------------------------------------


def checkout_session(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    # Real traffic mixes one-off payments, subscriptions and card-saving (setup) sessions.
    drawn = m.rng.choices(("payment", "subscription", "setup"), (70, 20, 10))[0]
    if "subscription" in m.traits:
        mode = "subscription"
    elif "setup" in m.traits:
        mode = "setup"
    elif m.traits & {"payment", "guest"}:
        mode = "payment"
    elif state.startswith("async_payment") and drawn == "setup":
        mode = "payment"  # a setup session takes no payment to succeed or fail
    else:
        mode = drawn
    setup = mode == "setup"
    prefix = "cs_live_" if m.livemode else "cs_test_"
    cs_id = m.text("id", lambda: m.id(prefix))
    subtotal = m.num("amount_subtotal", lambda: m.amount())
    # Some sessions apply a promotion code, some collect tax (Stripe Tax).
    discount = subtotal // 10 if m.rng.random() < 0.2 else 0
    tax = (subtotal - discount) * 8 // 100 if m.rng.random() < 0.25 else 0
    amount = m.num("amount_total", lambda: subtotal - discount + tax)
    person = m.person
    complete = state != "expired"
    # A guest checkout: a one-off payment that creates no customer.
    guest = mode == "payment" and (m.rng.random() < 0.35 or "guest" in m.traits)
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
    if setup and complete:
        payment_status = "no_payment_required"
    created = m.ago(86400 + 60, 86400 + 600) if state == "expired" else m.ago(60, 3600)
    domain = m.shared("domain", lambda: m.fk.domain_name())
    obj: Obj = {
        "id": cs_id,
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": mode == "payment"},
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": None if setup else subtotal,
        "amount_total": None if setup else amount,
        "automatic_tax": {
            "enabled": bool(tax),
            "liability": {"type": "self"} if tax else None,
            "provider": "stripe" if tax else None,
            "status": "complete" if tax else None,
        },
        "billing_address_collection": None,
        "cancel_url": f"https://{domain}/cart",
        "client_reference_id": None,
        "client_secret": None,
        "collected_information": {"shipping_details": None} if complete else None,
        "consent": None,
        "consent_collection": None,
        "created": created,
        "currency": None if setup else m.currency,
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": m.customer_id if complete and not guest else None,
        "customer_creation": "if_required" if mode == "payment" else None,
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
        "discounts": [{"coupon": m.shared("coupon", lambda: m.b62(8)), "promotion_code": None}]
        if discount
        else [],
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
        "setup_intent": m.shared("seti", lambda: m.id("seti_")) if setup else None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "status": status,
        "submit_type": None,
        "subscription": m.shared("sub", lambda: m.id("sub_")) if mode == "subscription" else None,
        "success_url": f"https://{domain}/success?session_id={{CHECKOUT_SESSION_ID}}",
        "total_details": None
        if setup
        else {"amount_discount": discount, "amount_shipping": 0, "amount_tax": tax},
        "ui_mode": "hosted_page",
        "url": None,
        "wallet_options": None,
    }
    return obj, None
