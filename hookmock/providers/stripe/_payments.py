"""Builders for payment objects (payment intents, charges, refunds, payment methods, setup intents,
disputes, payouts), each in the state its event type implies.
"""

from __future__ import annotations

from ._maker import OBJ_PATH, pool

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._maker import Maker, Obj


def method_details(m: Maker, kind: str, *, failed: bool = False) -> Obj:
    """``payment_method_details`` of a charge paid with ``kind``: a card's in full (with its
    wallet and 3D Secure result), another method's left for the schema to complete."""
    if kind == "card":
        return {
            "card": card_details(m, three_d_secure=m.three_d_secure, failed=failed),
            "type": kind,
        }
    return {kind: {}, "type": kind}


def _wallet(m: Maker, last4: str) -> Obj | None:
    kind = m.wallet
    if kind is None:
        return None
    return {
        kind: {},
        "dynamic_last4": m.fk.numerify("####") if kind != "link" else None,
        "type": kind,
    }


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
        "wallet": None if three_d_secure else _wallet(m, c["last4"]),
    }


def last_error(m: Maker, *, charge: str | None) -> Obj:
    """A card decline as ``last_payment_error`` / ``last_setup_error`` report it."""
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
    # A *.created event is sent within a second or two of its object.
    created = m.ago(0, 2) if state == "created" else m.ago(2, 900)
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
    if state == "partially_funded":
        methods = ["customer_balance"]
    elif state in ("payment_failed", "requires_action", "amount_capturable_updated"):
        methods = ["card"]  # a card decline, a 3D Secure challenge, a held authorisation
    else:
        # payment_intent.processing: an asynchronous method (a bank debit), never a card.
        methods = [m.method_type(asynchronous=state == "processing")]
    card = methods == ["card"]
    next_action: Obj | None = None
    if state == "requires_action":
        next_action = {
            "redirect_to_url": {
                "return_url": f"https://{m.fk.domain_name()}/checkout/complete",
                "url": f"https://hooks.stripe.com/3d_secure_2/hosted?merchant=acct_{m.b62(16)}"
                f"&payment_intent={pi_id}&publishable_key=pk_test_{m.b62(24)}",
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
                + m.b62(48),
                "reference": m.b62(10).upper(),
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
        if state != "partially_funded"
        else None,
        "canceled_at": m.ago(0, 60) if state == "canceled" else None,
        "cancellation_reason": m.rng.choice(("requested_by_customer", "abandoned", "duplicate"))
        if state == "canceled"
        else None,
        "capture_method": "manual" if state == "amount_capturable_updated" else "automatic_async",
        "client_secret": f"{pi_id}_secret_{m.b62(25)}",
        "confirmation_method": "automatic",
        "created": created,
        "currency": m.currency,
        "customer": m.customer_id,
        "description": m.order_description(),
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
            "id": "pmc_" + m.b62(24),
            "parent": None,
        }
        if state != "partially_funded"
        else None,
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        }
        if card
        else {
            "customer_balance": {
                "bank_transfer": {"type": "us_bank_transfer"},
                "funding_type": "bank_transfer",
            }
        }
        if state == "partially_funded"
        else {methods[0]: {}},
        "payment_method_types": methods,
        "processing": {"card": {}, "type": "card"} if state == "processing" and card else None,
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
    partial = state == "refunded" and "partial" in m.traits
    pending = state == "pending"
    person = m.person
    decline = m.decline
    # charge.pending: a method that settles later (a bank debit); a decline is a card's.
    kind = "card" if failed else m.method_type(asynchronous=pending)
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
    # A card charge.succeeded is sent in the second the charge was made.
    created = m.now if state == "succeeded" and kind == "card" else m.ago(2, 600)
    obj: Obj = {
        "id": ch_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount if captured else 0,
        "amount_refunded": (amount // 2 if partial else amount) if refunded else 0,
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
        "description": m.order_description(),
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
        "payment_method_details": method_details(m, kind, failed=failed),
        "radar_options": {},
        "receipt_email": person["email"],
        "receipt_number": None,
        "receipt_url": f"https://pay.stripe.com/receipts/payment/{m.b62(64)}",
        "refunded": refunded and not partial,
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
        # The merchant tags the charge with its order: the description follows metadata.order_id.
        order = obj["metadata"].get("order_id") or str(m.rng.randint(10000, 99999))
        previous = {"description": None}
        if "order_id" not in obj["metadata"]:
            previous["metadata"] = {}
            obj["metadata"] = {"order_id": order}
        obj["description"] = m.text("description", lambda: f"Order #{order}")
    return obj, previous


def refund(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    amount = m.amount()
    failed = state == "failed"
    status = {"created": "succeeded", "updated": "succeeded", "failed": "failed"}.get(
        state, "succeeded"
    )
    if state == "created" and m.rng.random() < 0.3:
        status = "pending"
    created = m.ago(0, 2) if state == "created" else m.ago(3600, 86400 * 5)
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
    if state == "updated":
        previous = {"status": "pending"}
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
        got = m.ctx.pick((*OBJ_PATH, "customer"), None)
        previous = {"customer": got if isinstance(got, str) else m.id("cus_")}
    elif state == "updated":
        old_year = obj["card"]["exp_year"]
        new_year = old_year + m.rng.randint(1, 4)
        obj["card"]["exp_year"] = new_year
        previous = {"card": {"exp_year": old_year}}
    return obj, previous


def payout(m: Maker, state: str) -> tuple[Obj, Obj | None]:
    amount = m.num("amount", lambda: m.rng.randint(50, 5000) * 100 + m.rng.randint(0, 99))
    automatic = state != "canceled"
    created = (
        m.ago(86400 * 2, 86400 * 3)
        if state in ("paid", "failed")
        else m.ago(0, 2)
        if state == "created"
        else m.ago(0, 600)
    )
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
        "destination": "ba_" + m.b62(24),
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
        m.ago(0, 2)
        if state == "created"
        else m.ago(0, 60)
        if state == "funds_withdrawn"
        else m.ago(86400 * 7, 86400 * 40)
    )
    txns = [balance_transaction(m, amount, dp_id, reinstated=False)]
    if status == "won":
        txns.append(balance_transaction(m, amount, dp_id, reinstated=True))
    txns[0]["created"] = created  # funds are withdrawn when the dispute opens
    evidence: Obj = dict.fromkeys(pool("dispute_evidence_fields"))
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
        "client_secret": f"{seti_id}_secret_{m.b62(25)}",
        "created": m.ago(0, 2) if state == "created" else m.ago(2, 600),
        "customer": m.customer_id,
        "customer_account": None,
        "description": None,
        "excluded_payment_method_types": None,
        "flow_directions": None,
        "last_setup_error": last_error(m, charge=None) if failed else None,
        "latest_attempt": "setatt_" + m.b62(24) if state != "created" else None,
        "livemode": m.livemode,
        "mandate": None,
        "metadata": m.metadata(),
        "next_action": {
            "type": "use_stripe_sdk",
            "use_stripe_sdk": {
                "type": "three_d_secure_redirect",
                "stripe_js": f"https://hooks.stripe.com/redirect/authenticate/src_{m.b62(24)}",
                "source": "src_" + m.b62(24),
            },
        }
        if state == "requires_action"
        else None,
        "on_behalf_of": None,
        "payment_method": m.payment_method_id if has_pm else None,
        "payment_method_configuration_details": {
            "id": "pmc_" + m.b62(24),
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
    return obj, None
