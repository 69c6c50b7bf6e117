"""The Maker: seeded generators and the values one Stripe event shares (customer, card, amount).

Builders read every value other fields derive from through it, so linked ids agree across the
payload and a user's override of ``amount``, ``currency`` or ``customer`` moves the derived fields.
"""

from __future__ import annotations

from hookmock.authoring import BASE62

from ._catalog import pools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from hookmock.authoring import BuildContext

    Obj = dict[str, Any]

#: Where the event's object sits in the payload (and in the user's override tree).
OBJ_PATH = ("data", "object")


#: Filled on first use from the catalog's ``id_lengths`` pool (prefix -> characters after it).
_LENGTHS: dict[str, int] = {}


def pool(name: str) -> Any:
    return pools()[name]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def id_length(prefix: str) -> int:
    """How many base62 characters follow ``prefix`` in Stripe's ids (the catalog's
    ``id_lengths``: ``cus_`` 14, ``cs_test_`` 58, 24 for most)."""
    if not _LENGTHS:
        _LENGTHS.update((k, v) for k, v in pool("id_lengths").items() if isinstance(v, int))
    return _LENGTHS.get(prefix, 24)


class Maker:
    """The generators and shared values for one event, so linked ids agree across the payload."""

    def __init__(self, ctx: BuildContext, now: int) -> None:
        self.ctx = ctx
        self.fk = ctx.faker
        self.rng = ctx.rng
        self.now = now
        self.livemode: bool = ctx.options["livemode"]
        self.traits = ctx.traits
        self._cache: dict[str, Any] = {}
        self._choices = ctx.rng.choices
        if not _LENGTHS:
            id_length("")  # fills the table once

    # -- primitives ----------------------------------------------------------------------------
    def id(self, prefix: str) -> str:
        """A Stripe id: the prefix and base62 characters, as many as Stripe's ids of that
        prefix have (24 for most; ``cus_`` 14, ``cs_test_`` 58: the catalog's ``id_lengths``)."""
        return prefix + "".join(self._choices(BASE62, k=_LENGTHS.get(prefix, 24)))

    def b62(self, n: int) -> str:
        # One choices() call rather than n choice() calls: ids are most of the generation time.
        return "".join(self._choices(BASE62, k=n))

    def num(self, field: str, make: Callable[[], int]) -> int:
        """An int field others derive from: the override when it is an int, else ``make()``."""
        made = make()  # always drawn, so an override leaves every other value as it was
        got = self.ctx.pick((*OBJ_PATH, field), None)
        return got if _is_int(got) else made

    def text(self, field: str, make: Callable[[], str]) -> str:
        made = make()
        got = self.ctx.pick((*OBJ_PATH, field), None)
        return got if isinstance(got, str) else made

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
        got: str = self.shared("currency", lambda: self.text("currency", self._pick_currency))
        return got

    def _pick_currency(self) -> str:
        rows = pool("currencies")
        drawn = str(self.rng.choices(rows, [r[2] for r in rows])[0][0])
        if "zero_decimal" in self.traits and drawn not in pool("zero_decimal_currencies"):
            return "jpy"
        return drawn

    @property
    def country(self) -> str:
        """The account's country, matching the currency (US for one hookmock does not know)."""
        return next((r[1] for r in pool("currencies") if r[0] == self.currency), "US")

    @property
    def zero_decimal(self) -> bool:
        """Whether the currency has no minor unit (JPY, KRW ...): amounts are whole yen."""
        return self.currency in pool("zero_decimal_currencies")

    def amount(self, field: str = "amount") -> int:
        def make() -> int:
            cents = self.rng.choice((0, 0, 0, 50, 99, 95))
            if self.zero_decimal:
                return self.rng.randint(5, 500) * 100 + cents * 10
            return self.rng.randint(5, 500) * 100 + cents

        return self.shared("amount:" + field, lambda: self.num(field, make))  # type: ignore[no-any-return]

    @property
    def customer_id(self) -> str:
        return self.shared("customer", lambda: self.text("customer", lambda: self.id("cus_")))  # type: ignore[no-any-return]

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
            rows = pool("card_brands")
            brand, display, _bin, _weight = self.rng.choices(rows, [r[3] for r in rows])[0]
            return {
                "brand": brand,
                "display_brand": display,
                "last4": self.fk.numerify("####"),
                "exp_month": self.rng.randint(1, 12),
                "exp_year": self.rng.randint(2027, 2032),
                "fingerprint": self.b62(16),
                "funding": self.rng.choices(("credit", "debit", "prepaid"), (60, 35, 5))[0],
                "country": self.country,
            }

        return self.shared("card", make)  # type: ignore[no-any-return]

    @property
    def payment_method_id(self) -> str:
        return self.shared("pm", lambda: self.id("pm_"))  # type: ignore[no-any-return]

    @property
    def decline(self) -> tuple[str, str, str]:
        def make() -> tuple[str, str, str]:
            rows = pool("declines")
            drawn = self.rng.choice(rows)  # drawn even when a trait picks, to keep values stable
            chosen = next((r for r in rows if r[1] in self.traits), drawn)
            return (chosen[0], chosen[1], chosen[2])

        return self.shared("decline", make)  # type: ignore[no-any-return]

    def metadata(self) -> dict[str, str]:
        """The event's metadata, the same on every object it mentions (a copy each time)."""

        def make() -> dict[str, str]:
            if self.rng.random() < 0.5:
                return {}
            return {"order_id": str(self.rng.randint(10000, 99999))}

        return dict(self.shared("metadata", make))

    def order_description(self) -> str | None:
        """``Order #<metadata.order_id>`` when the metadata carries an order, else None."""
        order = self.metadata().get("order_id")
        return None if order is None else f"Order #{order}"

    def weighted(self, name: str) -> str:
        """A key of the weighted pool ``name`` (``{"_comment": .., key: weight}``)."""
        rows = [(k, v) for k, v in pool(name).items() if not k.startswith("_")]
        return str(self.rng.choices([k for k, _ in rows], [w for _, w in rows])[0])

    def method_type(self, *, asynchronous: bool = False) -> str:
        """The event's payment method type: mostly cards, some bank debits and redirects;
        ``asynchronous`` ones (US bank account, SEPA debit ...) for payments that settle later.
        A ``three_d_secure`` or ``wallet`` trait means a card."""
        made = self.shared(
            "method_type",
            lambda: self.weighted(
                "async_payment_method_types" if asynchronous else "payment_method_types"
            ),
        )
        if self.traits & {"three_d_secure", "wallet"} and not asynchronous:
            return "card"
        return str(made)

    @property
    def wallet(self) -> str | None:
        """The wallet a card payment went through (Apple Pay, Google Pay ...), or None."""
        got = self.shared("wallet", lambda: self.weighted("wallets"))
        if got == "none" and "wallet" in self.traits:
            got = "apple_pay"
        return None if got == "none" else str(got)

    @property
    def three_d_secure(self) -> bool:
        """Whether the card payment was authenticated with 3D Secure (some are by default)."""
        drawn = self.shared("3ds", lambda: self.rng.random() < float(pool("three_d_secure_share")))
        if "wallet" in self.traits:
            return False  # a wallet payment is authenticated on the device
        return bool(drawn) or "three_d_secure" in self.traits

    def list_object(self, data: list[Obj], url: str) -> Obj:
        return {
            "object": "list",
            "data": data,
            "has_more": False,
            "total_count": len(data),
            "url": url,
        }

    def product_name(self) -> str:
        return str(self.rng.choice(pool("products")))
