"""Stripe's stories: the events one action in a Stripe account sends, sharing ids and a clock.

Which events each action sends follows what ``stripe trigger`` produces for it and Stripe's
guides for the pinned API version; their order is the causal one (Stripe does not promise any,
see ``send_story(order="provider")``).
"""

from __future__ import annotations

from dataclasses import replace

from hookmock.authoring import Param, StoryDef

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from hookmock.authoring import Event, Teller

#: Where each kind of event keeps its money (amount and currency are set there).
_AMOUNT_FIELD = {
    "invoice": "amount_due",
    "checkout": "amount_total",
    "payment_intent": "amount",
    "charge": "amount",
    "refund": "amount",
    "dispute": "amount",
    "payout": "amount",
}
_EMAIL = (
    "data.object.email|data.object.customer_email|data.object.customer_details.email"
    "|data.object.billing_details.email|data.object.receipt_email"
)
_NAME = (
    "data.object.customer_name|data.object.customer_details.name|data.object.billing_details.name"
)
_FIRST = ("ada", "grace", "alan", "linus", "margaret", "ken", "barbara", "dennis", "frances")
_LAST = ("lovelace", "hopper", "turing", "torvalds", "hamilton", "thompson", "liskov", "allen")
#: The ids a story shares, by Stripe prefix.
_PREFIXES = ("cus_", "sub_", "in_", "pi_", "ch_", "pm_", "cs_test_", "seti_", "re_", "dp_", "po_")
_CURRENCIES = ("usd", "eur", "gbp", "cad", "aud", "jpy")
_CUSTOMER = ("id", "email", "name")


class _Flow:
    """One Stripe story being told: its shared ids, customer, money and clock."""

    def __init__(self, t: Teller) -> None:
        self.t = t
        first, last = t.rng.choice(_FIRST), t.rng.choice(_LAST)
        self.customer = t.obj(
            "customer",
            id=t.token("cus_"),
            email=f"{first}.{last}@example.com",
            name=f"{first.title()} {last.title()}",
        )
        self.amount: int = t.params.get("amount", 0)
        self.currency: str = t.params.get("currency", "usd")
        self.ids = {p: t.token(p) for p in _PREFIXES}
        self.ids["cus_"] = self.customer["id"]

    def new(self, prefix: str) -> str:
        """The story moves on to a new object of this kind (the next invoice, a second charge)."""
        self.ids[prefix] = self.t.token(prefix)
        return self.ids[prefix]

    def emit(
        self,
        type: str,
        gap: tuple[int, int] = (1, 3),
        *,
        money: str = "",
        amount: int | None = None,
        traits: str | Iterable[str] = (),
        **fields: Any,
    ) -> Event:
        t = self.t
        t.wait(*gap)
        values: dict[str, Any] = {"created": t.now}
        if money:
            values[f"data.object.{_AMOUNT_FIELD[money]}"] = (
                self.amount if amount is None else amount
            )
            values["data.object.currency"] = self.currency
        values.update({"data.object." + k.replace("__", "."): v for k, v in fields.items()})
        return t.emit(
            type,
            set=values,
            prefixed=self.ids,
            same_as={_EMAIL: self.customer["email"], _NAME: self.customer["name"]},
            traits=traits,
        )


def _money(default: int = 2000) -> tuple[Param, ...]:
    return (
        Param("amount", default, "the amount in the currency's smallest unit", low=50),
        Param("currency", "usd", "three-letter ISO code, lower case", choices=_CURRENCIES),
    )


# -- the stories -----------------------------------------------------------------------------------
def checkout_payment(t: Teller) -> None:
    f = _Flow(t)
    f.emit("customer.created", (0, 0))
    f.emit("payment_intent.created", (20, 90), money="payment_intent")
    f.emit("charge.succeeded", (2, 6), money="charge")
    f.emit("payment_intent.succeeded", (0, 1), money="payment_intent")
    f.emit("checkout.session.completed", (0, 2), money="checkout")


def checkout_subscription(t: Teller) -> None:
    f = _Flow(t)
    f.emit("customer.created", (0, 0))
    f.emit("payment_method.attached", (1, 2))
    f.emit("customer.updated", (0, 1))
    f.emit("customer.subscription.created", (0, 1), traits="incomplete")
    f.emit("invoice.created", (0, 1), money="invoice", traits="subscription_create")
    f.emit("invoice.finalized", (0, 1), money="invoice")
    f.emit("payment_intent.created", (0, 1), money="payment_intent")
    f.emit("charge.succeeded", (1, 4), money="charge")
    f.emit("payment_intent.succeeded", (0, 1), money="payment_intent")
    f.emit("invoice.paid", (0, 1), money="invoice")
    f.emit("invoice.payment_succeeded", (0, 1), money="invoice")
    f.emit("customer.subscription.updated", (0, 1), status="active")
    f.emit("checkout.session.completed", (0, 2), money="checkout", traits="subscription")


def _stories() -> dict[str, StoryDef]:
    customer = {"customer": _CUSTOMER}
    defs = [
        StoryDef(
            "checkout_payment",
            "A one-off Checkout payment: a PaymentIntent and its charge succeed, the session completes.",
            checkout_payment,
            _money(),
            customer,
        ),
        StoryDef(
            "checkout_subscription",
            "A Checkout subscription sign-up: customer, card, subscription, first invoice paid.",
            checkout_subscription,
            _money(),
            customer,
        ),
    ]
    # Stripe does not promise an order: neighbours often arrive swapped.
    return {d.name: replace(d, swaps=0.2) for d in defs}


STORIES = _stories()
