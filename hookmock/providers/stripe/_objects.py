"""The registry of Stripe object builders: the catalog's ``object`` kind -> its builder."""

from __future__ import annotations

from ._billing import customer, plan_event, price_event, product, subscription, tax_id
from ._invoices import checkout_session, invoice, invoice_payment_event, invoiceitem
from ._payments import (
    charge,
    dispute,
    payment_intent,
    payment_method_event,
    payout,
    refund,
    setup_intent,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ._maker import Maker, Obj

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
    "plan": plan_event,
    "invoice_payment": invoice_payment_event,
    "invoiceitem": invoiceitem,
    "tax_id": tax_id,
}
