"""Stripe's stories: the events one action in a Stripe account sends, sharing ids and a clock.

Which events each action sends follows what ``stripe trigger`` produces for it and Stripe's
guides for the pinned API version; their order is the causal one (Stripe does not promise any,
see ``send_story(order="provider")``).
"""

from __future__ import annotations

from dataclasses import replace as with_fields

import yaml

from hookmock.authoring import ConfigurationError, Param, StoryDef, data_dir, new, replace

from ._catalog import DATA_PACKAGE, NAME
from ._maker import id_length

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
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
    "invoice_payment": "amount_paid",
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
_PREFIXES = (
    "acct_",
    "cus_",
    "sub_",
    "in_",
    "pi_",
    "ch_",
    "pm_",
    "cs_test_",
    "seti_",
    "re_",
    "dp_",
    "po_",
)
_CURRENCIES = ("usd", "eur", "gbp", "cad", "aud", "jpy")
_CUSTOMER = ("id", "email", "name")


class _Flow:
    """One Stripe story being told: its shared ids, customer, money and clock."""

    def __init__(self, t: Teller) -> None:
        self.t = t
        first, last = t.rng.choice(_FIRST), t.rng.choice(_LAST)
        person = {
            "id": t.token("cus_", id_length("cus_")),
            "email": f"{first}.{last}@example.com",
            "name": f"{first.title()} {last.title()}",
        }
        self.customer = t.obj("customer", **person) if t.declares("customer") else person
        self.amount: int = t.params.get("amount", 0)
        self.currency: str = t.params.get("currency", "usd")
        self.ids = {p: t.token(p, id_length(p)) for p in _PREFIXES}
        self.ids["cus_"] = self.customer["id"]

    def new(self, prefix: str) -> str:
        """The story moves on to a new object of this kind (the next invoice, a second charge)."""
        self.ids[prefix] = self.t.token(prefix, id_length(prefix))
        return self.ids[prefix]

    def emit(
        self,
        type: str,
        gap: tuple[int, int] = (1, 3),
        *,
        money: str = "",
        amount: int | None = None,
        traits: str | Iterable[str] = (),
        unlinked: tuple[str, ...] = (),
        paths: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Event:
        """One event ``gap`` seconds after the last; ``fields`` set on ``data.object``
        (``status="active"``), ``paths`` anywhere (``{"data.previous_attributes": ...}``);
        ``unlinked`` id prefixes keep the factory's own id (another object of that kind)."""
        t = self.t
        t.wait(*gap)
        values: dict[str, Any] = {"created": t.now}
        if money:
            values[f"data.object.{_AMOUNT_FIELD[money]}"] = (
                self.amount if amount is None else amount
            )
            values["data.object.currency"] = self.currency
            if money == "invoice_payment":
                values["data.object.amount_requested"] = values["data.object.amount_paid"]
        if type.startswith("customer.subscription."):
            # One item of one price: the subscription bills the story's amount each period.
            item = "data.object.items.data.0."
            values["data.object.currency"] = self.currency
            values[item + "quantity"] = 1
            values[item + "price.unit_amount"] = self.amount
            values[item + "price.currency"] = self.currency
            values[item + "plan.amount"] = self.amount
            values[item + "plan.currency"] = self.currency
        values.update({"data.object." + k.replace("__", "."): v for k, v in fields.items()})
        values.update(paths or {})
        ids = {p: v for p, v in self.ids.items() if p not in unlinked}
        return t.emit(
            type,
            set=values,
            prefixed=ids,
            same_as={_EMAIL: self.customer["email"], _NAME: self.customer["name"]},
            traits=traits,
            **(options or {}),
        )


def _money(default: int = 2000) -> tuple[Param, ...]:
    return (
        Param("amount", default, "the amount in the currency's smallest unit", low=50),
        Param("currency", "usd", "three-letter ISO code, lower case", choices=_CURRENCIES),
    )


# -- the stories -----------------------------------------------------------------------------------
def dunning(t: Teller) -> None:
    f = _Flow(t)
    f.emit("invoice.created", (0, 0), money="invoice")
    f.emit("invoice.finalized", (3600, 3660), money="invoice")
    for attempt in range(t.params["retries"]):
        gap = (1, 5) if attempt == 0 else (3 * 86400, 5 * 86400)
        f.emit("charge.failed", gap, money="charge")
        f.new("ch_")
        f.emit("payment_intent.payment_failed", (0, 1), money="payment_intent")
        f.emit("invoice.payment_failed", (0, 1), money="invoice", attempt_count=attempt + 1)
        if attempt == 0:
            f.emit("customer.subscription.updated", (0, 1), traits="past_due")
    f.emit("customer.subscription.deleted", (86400, 2 * 86400))


def refund(t: Teller) -> None:
    f = _Flow(t)
    partial = t.params["refund"] < f.amount
    if t.params["refund"] > f.amount:
        raise ConfigurationError(
            f"Story 'refund': refund={t.params['refund']} is more than the charge's"
            f" amount={f.amount}; refund at most the amount."
        )
    f.emit("charge.succeeded", (0, 0), money="charge")
    f.emit("payment_intent.succeeded", (0, 1), money="payment_intent")
    refunded = t.params["refund"]
    f.emit(
        "charge.refunded",
        (86400, 30 * 86400),
        money="charge",
        traits="partial" if partial else (),
        amount_refunded=refunded,
        refunded=not partial,
    )
    f.emit("refund.created", (0, 1), money="refund", amount=refunded, status="pending")
    # The card network confirms the refund: the refund object changes, as charge.refund.updated
    # (the charge's view) and refund.updated.
    f.emit("charge.refund.updated", (3600, 5 * 86400), money="refund", amount=refunded,
           status="succeeded")  # fmt: skip
    f.emit("refund.updated", (0, 1), money="refund", amount=refunded, status="succeeded")


def dispute(t: Teller) -> None:
    f = _Flow(t)
    f.emit("charge.succeeded", (0, 0), money="charge")
    f.emit(
        "charge.dispute.created", (7 * 86400, 60 * 86400), money="dispute", status="needs_response"
    )
    f.emit("charge.dispute.funds_withdrawn", (0, 5), money="dispute", status="needs_response")
    # The merchant submits evidence: the dispute goes under review.
    f.emit("charge.dispute.updated", (86400, 7 * 86400), money="dispute", status="under_review")
    won = t.params["outcome"] == "won"
    f.emit("charge.dispute.closed", (30 * 86400, 75 * 86400), money="dispute",
           status="won" if won else "lost")  # fmt: skip
    if won:
        f.emit("charge.dispute.funds_reinstated", (0, 5), money="dispute")


#: What a new Express account must provide before charges and payouts are enabled.
_ONBOARDING_DUE = (
    "business_profile.mcc",
    "business_profile.url",
    "external_account",
    "individual.dob.day",
    "individual.verification.document",
    "tos_acceptance.date",
)


def _requirements(due: list[str], deadline: int | None) -> dict[str, Any]:
    return {
        "alternatives": [],
        "current_deadline": deadline if due else None,
        "currently_due": due,
        "disabled_reason": "requirements.past_due" if due else None,
        "errors": [],
        "eventually_due": due,
        "past_due": due,
        "pending_verification": [],
    }


def connect_onboarding(t: Teller) -> None:
    f = _Flow(t)
    account = t.obj("account", id=t.token("acct_", id_length("acct_")))
    f.ids["acct_"] = account["id"]
    steps = t.params["steps"]
    due = list(_ONBOARDING_DUE)
    deadline = t.now + 14 * 86400
    enabled = False
    for step in range(steps):
        # The account owner works through the form: each step clears some requirements, the
        # last clears them all and Stripe enables charges and payouts.
        left = due[: len(due) * (steps - 1 - step) // steps]
        now_enabled = not left
        before: dict[str, Any] = {"requirements": {"currently_due": due, "past_due": due}}
        if now_enabled != enabled:
            before.update(charges_enabled=enabled, payouts_enabled=enabled)
        f.emit(
            "account.updated",
            (600, 2 * 86400),
            paths={
                # Optional on a generated account: added when missing.
                "data.object.requirements": new(replace(_requirements(left, deadline))),
                "data.object.charges_enabled": now_enabled,
                "data.object.payouts_enabled": now_enabled,
                "data.object.details_submitted": step > 0 or now_enabled,
                "data.previous_attributes": replace(before),
            },
            options={"account": account["id"]},
        )
        due, enabled = left, now_enabled


def _scripted(events: list[dict[str, Any]]) -> Callable[[Teller], None]:
    """A story told as a data file lists it: each event after a wait, with its money."""

    def tell(t: Teller) -> None:
        f = _Flow(t)
        for step in events:
            low, high = step.get("wait", (1, 3))
            f.emit(
                step["type"],
                (low, high),
                money=step.get("money", ""),
                traits=step.get("traits", ()),
                unlinked=tuple(step.get("unlinked", ())),
                **step.get("fields", {}),
            )

    return tell


def _from_data() -> list[StoryDef]:
    """The stories whose shape is a plain list of events: ``fixtures/stripe/stories/*.yaml``."""
    folder = data_dir(DATA_PACKAGE, "fixtures", NAME) / "stories"
    defs = []
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if not file.name.endswith(".yaml"):
            continue
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        money = _money(data["amount"]) if "amount" in data else ()
        defs.append(
            StoryDef(
                file.name.removesuffix(".yaml"),
                data["description"],
                _scripted(data["events"]),
                money,
                {"customer": _CUSTOMER},
            )
        )
    return defs


def _stories() -> dict[str, StoryDef]:
    customer = {"customer": _CUSTOMER}
    defs = [
        *_from_data(),
        StoryDef(
            "dunning",
            "A renewal fails: payment_failed on every retry, the subscription goes past_due,"
            " then it is deleted.",
            dunning,
            (*_money(), Param("retries", 3, "failed payment attempts", low=1, high=8)),
            customer,
        ),
        StoryDef(
            "refund",
            "A charge, then a full or partial refund (refund= less than amount=).",
            refund,
            (*_money(), Param("refund", 2000, "the amount refunded", low=1)),
            customer,
        ),
        StoryDef(
            "dispute",
            "A dispute from created through funds_withdrawn to closed, won or lost.",
            dispute,
            (*_money(), Param("outcome", "lost", "how it closes", choices=("won", "lost"))),
            customer,
        ),
        StoryDef(
            "connect_onboarding",
            "Connect onboarding: account.updated as requirements clear.",
            connect_onboarding,
            (Param("steps", 3, "account.updated events", low=1, high=10),),
            {"account": ("id",)},
        ),
    ]
    # Stripe does not promise an order: neighbours often arrive swapped.
    return {d.name: with_fields(d, swaps=0.2) for d in defs}


STORIES = _stories()
