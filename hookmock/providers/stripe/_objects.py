"""Faker-based builders for Stripe API objects, shaped like API version 2026-10-28.

Each builder takes a :class:`Maker` (the seeded generators and the values shared by one event,
such as the customer and the card) and a state name from the catalog, and returns the object as a
dict, plus the ``previous_attributes`` an update event reports.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..._provider import BuildContext

    Obj = dict[str, Any]

_OBJ = ("data", "object")

# (brand, display brand, funding mix, BIN prefix) as Stripe reports them for card payments.
_BRANDS = (
    ("visa", "visa", "424242"),
    ("visa", "visa", "400005"),
    ("mastercard", "mastercard", "555555"),
    ("amex", "american_express", "378282"),
    ("discover", "discover", "601111"),
    ("jcb", "jcb", "356600"),
)
_BRAND_WEIGHTS = (40, 10, 30, 10, 6, 4)
_CURRENCIES = ("usd", "eur", "gbp", "cad", "aud")
_CURRENCY_WEIGHTS = (70, 12, 8, 5, 5)
_COUNTRY = {"usd": "US", "eur": "DE", "gbp": "GB", "cad": "CA", "aud": "AU"}
# (error code, decline code, message) for failed card payments, as Stripe words them.
_DECLINES = (
    ("card_declined", "generic_decline", "Your card was declined."),
    ("card_declined", "insufficient_funds", "Your card has insufficient funds."),
    ("card_declined", "lost_card", "Your card was declined."),
    ("card_declined", "stolen_card", "Your card was declined."),
    ("card_declined", "do_not_honor", "Your card was declined."),
    ("expired_card", "expired_card", "Your card has expired."),
    ("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
    (
        "processing_error",
        "processing_error",
        "An error occurred while processing your card. Try again in a little bit.",
    ),
)
_PRODUCTS = (
    "Starter plan",
    "Pro plan",
    "Team plan",
    "Enterprise plan",
    "Premium membership",
    "Annual license",
    "API credits",
    "Consulting hour",
    "Gift card",
    "T-shirt",
)
_EVIDENCE_FIELDS = (
    "access_activity_log",
    "billing_address",
    "cancellation_policy",
    "cancellation_policy_disclosure",
    "cancellation_rebuttal",
    "customer_communication",
    "customer_email_address",
    "customer_name",
    "customer_purchase_ip",
    "customer_signature",
    "duplicate_charge_documentation",
    "duplicate_charge_explanation",
    "duplicate_charge_id",
    "product_description",
    "receipt",
    "refund_policy",
    "refund_policy_disclosure",
    "refund_refusal_explanation",
    "service_date",
    "service_documentation",
    "shipping_address",
    "shipping_carrier",
    "shipping_date",
    "shipping_documentation",
    "shipping_tracking_number",
    "uncategorized_file",
    "uncategorized_text",
)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Maker:
    """The generators and shared values for one event, so linked ids agree across the payload."""

    def __init__(self, ctx: BuildContext, now: int) -> None:
        self.ctx = ctx
        self.fk = ctx.faker
        self.rng = ctx.rng
        self.now = now
        self.livemode = bool(ctx.options.get("livemode", False))
        self.traits = ctx.traits
        self._cache: dict[str, Any] = {}

    # -- primitives ----------------------------------------------------------------------------
    def id(self, prefix: str) -> str:
        return prefix + self.ctx.base62(24)

    def o(self, field: str, make: Any) -> Any:
        """``data.object.<field>``: the user's override if any, else ``make()``."""
        return self.ctx.value((*_OBJ, field), make)

    def num(self, field: str, make: Callable[[], int]) -> int:
        """An int field others derive from: the override when it is an int, else ``make()``."""
        got = self.ctx.pick((*_OBJ, field), None)
        return got if _is_int(got) else make()

    def text(self, field: str, make: Callable[[], str]) -> str:
        got = self.ctx.pick((*_OBJ, field), None)
        return got if isinstance(got, str) else make()

    def shared(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def ago(self, low: int, high: int, base: int | None = None) -> int:
        return (self.now if base is None else base) - self.rng.randint(low, high)

    def later(self, low: int, high: int, base: int | None = None) -> int:
        return (self.now if base is None else base) + self.rng.randint(low, high)

    # -- shared values -------------------------------------------------------------------------
    @property
    def currency(self) -> str:
        return self.shared(
            "currency",
            lambda: self.text(
                "currency", lambda: self.rng.choices(_CURRENCIES, _CURRENCY_WEIGHTS)[0]
            ),
        )  # type: ignore[no-any-return]

    @property
    def country(self) -> str:
        return _COUNTRY.get(self.currency, "US")

    def amount(self, field: str = "amount") -> int:
        def make() -> int:
            cents = self.rng.choice((0, 0, 0, 50, 99, 95))
            return self.rng.randint(5, 500) * 100 + cents

        return self.shared("amount:" + field, lambda: self.num(field, make))  # type: ignore[no-any-return]

    @property
    def customer_id(self) -> str:
        def make() -> str:
            got = self.ctx.pick((*_OBJ, "customer"), None)
            return got if isinstance(got, str) else self.id("cus_")

        return self.shared("customer", make)  # type: ignore[no-any-return]

    @property
    def person(self) -> dict[str, Any]:
        def make() -> dict[str, Any]:
            first, last = self.fk.first_name(), self.fk.last_name()
            domain = self.fk.free_email_domain()
            return {
                "name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}@{domain}",
                "phone": self.fk.numerify("+1##########") if self.rng.random() < 0.4 else None,
                "address": self.address(),
            }

        return self.shared("person", make)  # type: ignore[no-any-return]

    def address(self) -> dict[str, Any]:
        fk = self.fk
        return {
            "city": fk.city(),
            "country": self.country,
            "line1": fk.street_address(),
            "line2": fk.secondary_address() if self.rng.random() < 0.25 else None,
            "postal_code": fk.postcode(),
            "state": fk.state_abbr() if self.country == "US" else None,
        }

    @property
    def card(self) -> dict[str, Any]:
        def make() -> dict[str, Any]:
            brand, display, bin_ = self.rng.choices(_BRANDS, _BRAND_WEIGHTS)[0]
            return {
                "brand": brand,
                "display_brand": display,
                "iin": bin_,
                "last4": self.fk.numerify("####"),
                "exp_month": self.rng.randint(1, 12),
                "exp_year": self.rng.randint(2027, 2032),
                "fingerprint": self.ctx.base62(16),
                "funding": self.rng.choices(("credit", "debit", "prepaid"), (60, 35, 5))[0],
                "country": self.country,
            }

        return self.shared("card", make)  # type: ignore[no-any-return]

    @property
    def payment_method_id(self) -> str:
        return self.shared("pm", lambda: self.id("pm_"))  # type: ignore[no-any-return]

    @property
    def decline(self) -> tuple[str, str, str]:
        return self.shared("decline", lambda: self.rng.choice(_DECLINES))  # type: ignore[no-any-return]

    def metadata(self) -> dict[str, str]:
        if self.rng.random() < 0.5:
            return {}
        return {"order_id": str(self.rng.randint(10000, 99999))}

    def list_object(self, data: list[Obj], url: str) -> Obj:
        return {
            "object": "list",
            "data": data,
            "has_more": False,
            "total_count": len(data),
            "url": url,
        }

    def product_name(self) -> str:
        return self.rng.choice(_PRODUCTS)


# -- payments -------------------------------------------------------------------------------------


def card_details(m: Maker, *, three_d_secure: bool = False, failed: bool = False) -> Obj:
    c = m.card
    checks = "fail" if failed and m.decline[0] == "incorrect_cvc" else "pass"
    return {
        "amount_authorized": None if failed else m.amount(),
        "authorization_code": None if failed else m.fk.numerify("######"),
        "brand": c["brand"],
        "checks": {
            "address_line1_check": None,
            "address_postal_code_check": "pass",
            "cvc_check": checks,
        },
        "country": c["country"],
        "exp_month": c["exp_month"],
        "exp_year": c["exp_year"],
        "extended_authorization": {"status": "disabled"},
        "fingerprint": c["fingerprint"],
        "funding": c["funding"],
        "incremental_authorization": {"status": "unavailable"},
        "installments": None,
        "last4": c["last4"],
        "mandate": None,
        "multicapture": {"status": "unavailable"},
        "network": c["brand"],
        "network_token": {"used": False},
        "network_transaction_id": m.fk.numerify("###############"),
        "overcapture": {"maximum_amount_capturable": m.amount(), "status": "unavailable"},
        "regulated_status": "unregulated",
        "three_d_secure": {
            "authentication_flow": "challenge",
            "electronic_commerce_indicator": "05",
            "exemption_indicator": None,
            "result": "authenticated",
            "result_reason": None,
            "transaction_id": m.ctx.uuid(),
            "version": "2.2.0",
        }
        if three_d_secure
        else None,
        "wallet": None,
    }


def last_error(m: Maker, *, charge: str | None, field: str = "payment_intent") -> Obj:
    code, decline_code, message = m.decline
    doc = code if code != "card_declined" else "card-declined"
    pm = payment_method(m, "attached")
    return {
        "advice_code": "try_again_later" if decline_code == "insufficient_funds" else None,
        "charge": charge,
        "code": code,
        "decline_code": decline_code,
        "doc_url": f"https://docs.stripe.com/error-codes/{doc.replace('_', '-')}",
        "message": message,
        "network_decline_code": "51" if decline_code == "insufficient_funds" else "05",
        "param": "cvc" if code == "incorrect_cvc" else None,
        "payment_method": pm,
        "type": "card_error",
    }


def payment_intent(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    amount = m.amount()
    pi_id = m.shared("pi", lambda: m.text("id", lambda: m.id("pi_")))
    charge_id = m.shared("ch", lambda: m.id("ch_"))
    created = m.ago(2, 900)
    status = {
        "succeeded": "succeeded",
        "payment_failed": "requires_payment_method",
        "processing": "processing",
        "canceled": "canceled",
        "requires_action": "requires_action",
        "created": "requires_payment_method",
        "amount_capturable_updated": "requires_capture",
        "partially_funded": "requires_payment_method",
    }[state]
    has_charge = state in ("succeeded", "payment_failed", "amount_capturable_updated")
    has_pm = state not in ("created", "payment_failed", "partially_funded")
    if state == "canceled":
        has_pm = m.rng.random() < 0.5
    methods = ["customer_balance"] if state == "partially_funded" else ["card"]
    next_action: Obj | None = None
    if state == "requires_action":
        next_action = {
            "redirect_to_url": {
                "return_url": f"https://{m.fk.domain_name()}/checkout/complete",
                "url": f"https://hooks.stripe.com/3d_secure_2/hosted?merchant=acct_{m.ctx.base62(16)}"
                f"&payment_intent={pi_id}&publishable_key=pk_test_{m.ctx.base62(24)}",
            },
            "type": "redirect_to_url",
        }
    elif state == "partially_funded":
        funded = amount // m.rng.randint(2, 5)
        next_action = {
            "display_bank_transfer_instructions": {
                "amount_remaining": amount - funded,
                "currency": m.currency,
                "financial_addresses": [],
                "hosted_instructions_url": "https://payments.stripe.com/bank_transfers/instructions/"
                + m.ctx.base62(48),
                "reference": m.ctx.base62(10).upper(),
                "type": "us_bank_transfer",
            },
            "type": "display_bank_transfer_instructions",
        }
    obj: Obj = {
        "id": pi_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": amount if state == "amount_capturable_updated" else 0,
        "amount_details": {"tip": {}},
        "amount_received": amount if state == "succeeded" else 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": {"allow_redirects": "always", "enabled": True}
        if methods == ["card"]
        else None,
        "canceled_at": m.ago(0, 60) if state == "canceled" else None,
        "cancellation_reason": m.rng.choice(("requested_by_customer", "abandoned", "duplicate"))
        if state == "canceled"
        else None,
        "capture_method": "manual" if state == "amount_capturable_updated" else "automatic_async",
        "client_secret": f"{pi_id}_secret_{m.ctx.base62(25)}",
        "confirmation_method": "automatic",
        "created": created,
        "currency": m.currency,
        "customer": m.customer_id,
        "description": m.rng.choice((None, f"Order #{m.rng.randint(1000, 99999)}")),
        "excluded_payment_method_types": None,
        "last_payment_error": last_error(m, charge=charge_id)
        if state == "payment_failed"
        else None,
        "latest_charge": charge_id if has_charge else None,
        "livemode": m.livemode,
        "metadata": m.metadata(),
        "next_action": next_action,
        "on_behalf_of": None,
        "payment_method": m.payment_method_id if has_pm else None,
        "payment_method_configuration_details": {
            "id": "pmc_" + m.ctx.base62(24),
            "parent": None,
        }
        if methods == ["card"]
        else None,
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        }
        if methods == ["card"]
        else {
            "customer_balance": {
                "bank_transfer": {"type": "us_bank_transfer"},
                "funding_type": "bank_transfer",
            }
        },
        "payment_method_types": methods,
        "processing": {"card": {}, "type": "card"} if state == "processing" else None,
        "receipt_email": m.person["email"] if m.rng.random() < 0.5 else None,
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": status,
        "transfer_data": None,
        "transfer_group": None,
    }
    return obj, None


def charge(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    amount = m.amount()
    ch_id = m.shared("ch", lambda: m.text("id", lambda: m.id("ch_")))
    pi_id = m.shared("pi", lambda: m.id("pi_"))
    failed = state == "failed"
    captured = state not in ("failed", "expired") and not (
        state == "succeeded" and "uncaptured" in m.traits
    )
    refunded = state in ("refunded", "expired")
    pending = state == "pending"
    person = m.person
    decline = m.decline
    if failed:
        outcome: Obj = {
            "advice_code": "try_again_later" if decline[1] == "insufficient_funds" else None,
            "network_advice_code": None,
            "network_decline_code": "51" if decline[1] == "insufficient_funds" else "05",
            "network_status": "declined_by_network",
            "reason": decline[1],
            "risk_level": "normal",
            "risk_score": m.rng.randint(5, 60),
            "seller_message": "The bank did not return any further details with this decline.",
            "type": "issuer_declined",
        }
    else:
        outcome = {
            "advice_code": None,
            "network_advice_code": None,
            "network_decline_code": None,
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "risk_score": m.rng.randint(0, 64),
            "seller_message": "Payment complete.",
            "type": "authorized",
        }
    created = m.ago(2, 600)
    obj: Obj = {
        "id": ch_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount if captured else 0,
        "amount_refunded": amount if refunded else 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": m.shared("txn", lambda: m.id("txn_")) if captured else None,
        "billing_details": {
            "address": person["address"],
            "email": person["email"],
            "name": person["name"],
            "phone": person["phone"],
            "tax_id": None,
        },
        "calculated_statement_descriptor": m.shared(
            "descriptor", lambda: m.fk.company().upper()[:22]
        ),
        "captured": captured,
        "created": created,
        "currency": m.currency,
        "customer": m.customer_id,
        "description": m.rng.choice((None, f"Order #{m.rng.randint(1000, 99999)}")),
        "destination": None,
        "dispute": None,
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": decline[0] if failed else None,
        "failure_message": decline[2] if failed else None,
        "fraud_details": {},
        "livemode": m.livemode,
        "metadata": m.metadata(),
        "on_behalf_of": None,
        "outcome": outcome,
        "paid": not failed and not pending,
        "payment_intent": pi_id,
        "payment_method": m.payment_method_id,
        "payment_method_details": {
            "card": card_details(m, three_d_secure="three_d_secure" in m.traits, failed=failed),
            "type": "card",
        },
        "radar_options": {},
        "receipt_email": person["email"],
        "receipt_number": None,
        "receipt_url": f"https://pay.stripe.com/receipts/payment/{m.ctx.base62(64)}",
        "refunded": refunded,
        "review": None,
        "shipping": None,
        "source": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "failed" if failed else ("pending" if pending else "succeeded"),
        "transfer_data": None,
        "transfer_group": None,
    }
    if pending:
        obj["paid"] = False
    previous: Obj | None = None
    if state == "updated":
        old = obj["description"]
        obj["description"] = m.text("description", lambda: f"Order #{m.rng.randint(1000, 99999)}")
        previous = {"description": old if old != obj["description"] else None}
        if previous["description"] == obj["description"]:
            previous = {"metadata": {}}
            obj["metadata"] = {"order_id": str(m.rng.randint(10000, 99999))}
    return obj, previous


def refund(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    amount = m.amount()
    failed = state == "failed"
    status = {"created": "succeeded", "updated": "succeeded", "failed": "failed"}.get(
        state, "succeeded"
    )
    if state == "created" and m.rng.random() < 0.3:
        status = "pending"
    created = m.ago(5, 3600)
    obj: Obj = {
        "id": m.text("id", lambda: m.id("re_")),
        "object": "refund",
        "amount": amount,
        "balance_transaction": m.id("txn_"),
        "charge": m.shared("ch", lambda: m.id("ch_")),
        "created": created,
        "currency": m.currency,
        "destination_details": {
            "card": {
                "reference": m.fk.numerify("##########"),
                "reference_status": "available" if status == "succeeded" else "pending",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        "failure_balance_transaction": m.id("txn_") if failed else None,
        "failure_reason": m.rng.choice(("expired_or_canceled_card", "lost_or_stolen_card"))
        if failed
        else None,
        "metadata": m.metadata(),
        "payment_intent": m.shared("pi", lambda: m.id("pi_")),
        "reason": m.rng.choice(("requested_by_customer", "duplicate", "fraudulent", None)),
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": status,
        "transfer_reversal": None,
    }
    previous: Obj | None = None
    if state in ("updated", "charge_refund_updated"):
        previous = {"status": "pending"}
    elif failed:
        previous = None
    return obj, previous


def payment_method(m: Maker, state: str) -> Obj:
    c = m.card
    person = m.person
    return {
        "id": m.payment_method_id,
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": {
            "address": person["address"],
            "email": person["email"],
            "name": person["name"],
            "phone": person["phone"],
            "tax_id": None,
        },
        "card": {
            "brand": c["brand"],
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": "pass",
                "cvc_check": "pass",
            },
            "country": c["country"],
            "display_brand": c["display_brand"],
            "exp_month": c["exp_month"],
            "exp_year": c["exp_year"],
            "fingerprint": c["fingerprint"],
            "funding": c["funding"],
            "generated_from": None,
            "last4": c["last4"],
            "networks": {"available": [c["brand"]], "preferred": None},
            "regulated_status": "unregulated",
            "three_d_secure_usage": {"supported": True},
            "wallet": None,
        },
        "created": m.shared("pm_created", lambda: m.ago(60, 86400 * 30)),
        "customer": None if state == "detached" else m.customer_id,
        "livemode": m.livemode,
        "metadata": {},
        "type": "card",
    }


def payment_method_event(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    obj = payment_method(m, state)
    obj["metadata"] = m.metadata()
    previous: Obj | None = None
    if state == "detached":
        got = m.ctx.pick((*_OBJ, "customer"), None)
        previous = {"customer": got if isinstance(got, str) else m.id("cus_")}
    elif state == "updated":
        old_year = obj["card"]["exp_year"]
        new_year = old_year + m.rng.randint(1, 4)
        obj["card"]["exp_year"] = new_year
        previous = {"card": {"exp_year": old_year}}
    return obj, previous


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
        "invoice_prefix": m.ctx.base62(8).upper(),
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
        "attributes": [],
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


def _period(m: Maker, start: int) -> int:
    return start + (365 if m.shared("interval", lambda: "month") == "year" else 30) * 86400


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
    period_start = created if state == "created" else m.ago(0, 86400 * 25)
    period_start = max(period_start, created)
    period_end = _period(m, period_start)
    trial_start = trial_end = None
    if trialing:
        trial_start = created
        trial_end = (
            m.later(3 * 86400, 3 * 86400) if state == "trial_will_end" else created + 14 * 86400
        )
        period_start, period_end = trial_start, trial_end
        if state == "trial_will_end":
            trial_start = created = min(created, trial_end - 14 * 86400)
            period_start = trial_start
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
        "billing_cycle_anchor": period_start,
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


def invoice(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    m.shared("recurring", lambda: True)
    upcoming = state == "upcoming"
    send_invoice = state in ("overdue", "will_be_due", "sent")
    in_id = m.shared("in", lambda: m.text("id", lambda: m.id("in_")))
    sub_id = m.shared("sub", lambda: m.id("sub_"))
    person = m.person
    price_obj = price(m, "created")
    qty = m.shared("quantity", lambda: m.rng.choice((1, 1, 1, 2, 5)))
    created = m.later(86400 * 3, 86400 * 7) if upcoming else m.ago(60, 3600 * 2)
    if state in ("overdue", "will_be_due"):
        created = m.ago(86400 * 20, 86400 * 40)
    period_end = created
    period_start = (
        period_end
        - (
            30
            if price_obj.get("recurring") is None or price_obj["recurring"]["interval"] == "month"
            else 365
        )
        * 86400
    )
    line_amount = m.num("subtotal", lambda: price_obj["unit_amount"] * qty)
    line = {
        "id": m.id("il_"),
        "object": "line_item",
        "amount": line_amount,
        "currency": m.currency,
        "description": f"{qty} × {m.product_name()} (at ${price_obj['unit_amount'] / 100:.2f} / month)",
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
        "period": {"end": period_end + (30 * 86400), "start": period_end},
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
    total = line_amount
    amount_due = m.num("amount_due", lambda: total)
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
    finalized_at = (
        None if status == "draft" else m.ago(0, 120) if state == "finalized" else created + 3600
    )
    if state in ("overdue", "will_be_due"):
        finalized_at = created + 3600
    finalized_at = min(finalized_at, m.now) if finalized_at is not None else None
    number = (
        None
        if status == "draft"
        else f"{m.shared('prefix', lambda: m.ctx.base62(8).upper())}-{m.rng.randint(1, 30):04d}"
    )
    pi_id = m.shared("pi", lambda: m.id("pi_"))
    payments = None
    if paid or attempted:
        payments = m.list_object(
            [
                {
                    "id": "inpay_" + m.ctx.base62(24),
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
                        "paid_at": m.ago(0, 30) if paid else None,
                    },
                }
            ],
            f"/v1/invoice_payments?invoice={in_id}",
        )
    due_date = None
    if send_invoice:
        due_date = m.ago(86400, 86400 * 5) if state == "overdue" else m.later(86400 * 2, 86400 * 7)
    hosted = (
        None
        if status == "draft"
        else f"https://invoice.stripe.com/i/acct_{m.ctx.base62(16)}/test_{m.ctx.base62(40)}"
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
        "lines": m.list_object([line], f"/v1/invoices/{in_id}/lines"),
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
            "marked_uncollectible_at": m.ago(0, 60) if status == "uncollectible" else None,
            "paid_at": m.ago(0, 30) if paid else None,
            "voided_at": m.ago(0, 60) if status == "void" else None,
        },
        "subtotal": line_amount,
        "subtotal_excluding_tax": line_amount,
        "test_clock": None,
        "total": line_amount,
        "total_discount_amounts": [],
        "total_excluding_tax": line_amount,
        "total_pretax_credit_amounts": [],
        "total_taxes": [],
        "webhooks_delivered_at": None if status == "draft" else created + 60,
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


def payout(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    amount = m.num("amount", lambda: m.rng.randint(50, 5000) * 100 + m.rng.randint(0, 99))
    automatic = state != "canceled"
    created = m.ago(86400 * 2, 86400 * 3) if state in ("paid", "failed") else m.ago(0, 600)
    status = {
        "created": "pending",
        "updated": "in_transit",
        "paid": "paid",
        "failed": "failed",
        "canceled": "canceled",
    }[state]
    failed = state == "failed"
    obj: Obj = {
        "id": m.text("id", lambda: m.id("po_")),
        "object": "payout",
        "amount": amount,
        "application_fee": None,
        "application_fee_amount": None,
        "arrival_date": created + 86400 * 2 - created % 86400,
        "automatic": automatic,
        "balance_transaction": m.id("txn_"),
        "created": created,
        "currency": m.currency,
        "description": "STRIPE PAYOUT" if automatic else None,
        "destination": "ba_" + m.ctx.base62(24),
        "failure_balance_transaction": m.id("txn_") if failed else None,
        "failure_code": m.rng.choice(("account_closed", "no_account", "invalid_account_number"))
        if failed
        else None,
        "failure_message": "The bank account has been closed." if failed else None,
        "livemode": m.livemode,
        "metadata": m.metadata(),
        "method": "standard",
        "original_payout": None,
        "payout_method": None,
        "reconciliation_status": "completed" if status == "paid" else "not_applicable",
        "reversed_by": None,
        "source_type": "card",
        "statement_descriptor": None,
        "status": status,
        "trace_id": {"status": "supported", "value": m.fk.numerify("###############")}
        if status == "paid"
        else {"status": "pending", "value": None},
        "type": "bank_account",
    }
    if failed and obj["failure_code"] != "account_closed":
        obj["failure_message"] = "The bank account details on file are probably incorrect."
    previous: Obj | None = None
    if state == "updated":
        previous = {"status": "pending"}
    return obj, previous


def balance_transaction(m: Maker, amount: int, dispute_id: str, *, reinstated: bool) -> Obj:
    fee = 0 if reinstated else 1500
    sign = 1 if reinstated else -1
    return {
        "id": m.id("txn_"),
        "object": "balance_transaction",
        "amount": sign * amount,
        "available_on": m.later(86400, 86400 * 3),
        "balance_type": "payments",
        "created": m.ago(0, 60),
        "currency": m.currency,
        "description": "Chargeback reversal for " + m.shared("ch", lambda: m.id("ch_"))
        if reinstated
        else "Chargeback withdrawal for " + m.shared("ch", lambda: m.id("ch_")),
        "exchange_rate": None,
        "fee": -fee if reinstated else fee,
        "fee_details": []
        if reinstated
        else [
            {
                "amount": fee,
                "application": None,
                "currency": m.currency,
                "description": "Dispute fee",
                "type": "stripe_fee",
            }
        ],
        "net": sign * amount - fee,
        "reporting_category": "dispute_reversal" if reinstated else "dispute",
        "source": dispute_id,
        "status": "pending",
        "type": "adjustment",
    }


def dispute(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    amount = m.amount()
    dp_id = m.text("id", lambda: m.id("dp_"))
    reason = m.shared(
        "reason",
        lambda: m.rng.choice(("fraudulent", "product_not_received", "duplicate", "general")),
    )
    status = {
        "created": "needs_response",
        "updated": "under_review",
        "closed": m.rng.choice(("won", "lost")),
        "funds_withdrawn": "needs_response",
        "funds_reinstated": "won",
    }[state]
    created = (
        m.ago(0, 60) if state in ("created", "funds_withdrawn") else m.ago(86400 * 7, 86400 * 40)
    )
    txns = [balance_transaction(m, amount, dp_id, reinstated=False)]
    if status == "won":
        txns.append(balance_transaction(m, amount, dp_id, reinstated=True))
    for t in txns:
        t["created"] = max(t["created"], created)
    evidence: Obj = dict.fromkeys(_EVIDENCE_FIELDS)
    evidence["enhanced_evidence"] = {}
    submitted = status != "needs_response"
    if submitted:
        evidence["customer_email_address"] = m.person["email"]
        evidence["customer_name"] = m.person["name"]
        evidence["product_description"] = m.product_name()
    c = m.card
    code = {"fraudulent": "10.4", "product_not_received": "13.1", "duplicate": "12.6.1"}.get(
        reason, "13.7"
    )
    obj: Obj = {
        "id": dp_id,
        "object": "dispute",
        "amount": amount,
        "balance_transactions": txns,
        "charge": m.shared("ch", lambda: m.id("ch_")),
        "created": created,
        "currency": m.currency,
        "enhanced_eligibility_types": [],
        "evidence": evidence,
        "evidence_details": {
            "due_by": created + 86400 * 8 - created % 86400 - 1,
            "enhanced_eligibility": {},
            "has_evidence": submitted,
            "past_due": False,
            "submission_count": 1 if submitted else 0,
            "submission_method": "manual" if submitted else "not_submitted",
        },
        "is_charge_refundable": False,
        "livemode": m.livemode,
        "metadata": {},
        "network_reason_code": code,
        "payment_intent": m.shared("pi", lambda: m.id("pi_")),
        "payment_method_details": {
            "card": {
                "brand": c["brand"],
                "case_type": "chargeback",
                "network": c["brand"],
                "network_reason_code": code,
            },
            "type": "card",
        },
        "reason": reason,
        "status": status,
    }
    previous: Obj | None = None
    if state == "updated":
        previous = {
            "evidence": {
                "customer_email_address": None,
                "customer_name": None,
                "product_description": None,
            },
            "evidence_details": {"has_evidence": False, "submission_count": 0},
            "status": "needs_response",
        }
    return obj, previous


def setup_intent(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    seti_id = m.text("id", lambda: m.id("seti_"))
    status = {
        "created": "requires_payment_method",
        "succeeded": "succeeded",
        "setup_failed": "requires_payment_method",
        "canceled": "canceled",
        "requires_action": "requires_action",
    }[state]
    failed = state == "setup_failed"
    has_pm = state in ("succeeded", "requires_action")
    obj: Obj = {
        "id": seti_id,
        "object": "setup_intent",
        "application": None,
        "automatic_payment_methods": {"allow_redirects": "always", "enabled": True},
        "cancellation_reason": "requested_by_customer" if state == "canceled" else None,
        "client_secret": f"{seti_id}_secret_{m.ctx.base62(25)}",
        "created": m.ago(2, 600),
        "customer": m.customer_id,
        "customer_account": None,
        "description": None,
        "excluded_payment_method_types": None,
        "flow_directions": None,
        "last_setup_error": last_error(m, charge=None) if failed else None,
        "latest_attempt": "setatt_" + m.ctx.base62(24) if state != "created" else None,
        "livemode": m.livemode,
        "mandate": None,
        "metadata": m.metadata(),
        "next_action": {
            "type": "use_stripe_sdk",
            "use_stripe_sdk": {
                "type": "three_d_secure_redirect",
                "stripe_js": f"https://hooks.stripe.com/redirect/authenticate/src_{m.ctx.base62(24)}",
                "source": "src_" + m.ctx.base62(24),
            },
        }
        if state == "requires_action"
        else None,
        "on_behalf_of": None,
        "payment_method": m.payment_method_id if has_pm else None,
        "payment_method_configuration_details": {
            "id": "pmc_" + m.ctx.base62(24),
            "parent": None,
        },
        "payment_method_options": {
            "card": {
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": ["card"],
        "single_use_mandate": None,
        "status": status,
        "usage": "off_session",
    }
    if failed:
        obj["last_setup_error"].pop("charge")
        obj["last_setup_error"]["doc_url"] = obj["last_setup_error"]["doc_url"]
    return obj, None


BUILDERS: dict[str, Callable[[Maker, str], tuple[Obj, Obj | None]]] = {
    "payment_intent": payment_intent,
    "charge": charge,
    "refund": refund,
    "customer": customer,
    "payment_method": payment_method_event,
    "setup_intent": setup_intent,
    "subscription": subscription,
    "invoice": invoice,
    "checkout.session": checkout_session,
    "payout": payout,
    "dispute": dispute,
    "product": product,
    "price": price_event,
}
