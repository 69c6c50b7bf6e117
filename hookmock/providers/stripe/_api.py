"""Stripe's REST API, answered from delivered events: retrieve, list and expand what they carried."""

from __future__ import annotations

import base64
import copy
import threading
from collections import abc

from hookmock import ConfigurationError, provider
from hookmock.apimock import Reply
from hookmock.authoring import derive_seed

from ._api_thin import ThinEvents

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from hookmock import Event
    from hookmock.apimock import ApiRequest, Position

HOST = "api.stripe.com"
BASE = "https://api.stripe.com"

#: API paths of the objects a receiver retrieves by id. An object's path is its ``object`` name
#: with dots as slashes plus an "s" (``checkout.session`` -> ``checkout/sessions``).
RESOURCES = frozenset(
    {
        "accounts",
        "application_fees",
        "balance_transactions",
        "charges",
        "checkout/sessions",
        "coupons",
        "credit_notes",
        "customers",
        "disputes",
        "events",
        "files",
        "identity/verification_sessions",
        "invoice_payments",
        "invoiceitems",
        "invoices",
        "issuing/authorizations",
        "issuing/cardholders",
        "issuing/cards",
        "issuing/transactions",
        "mandates",
        "payment_intents",
        "payment_links",
        "payment_methods",
        "payouts",
        "plans",
        "prices",
        "products",
        "promotion_codes",
        "quotes",
        "radar/early_fraud_warnings",
        "refunds",
        "reviews",
        "setup_intents",
        "shipping_rates",
        "sources",
        "subscription_items",
        "subscription_schedules",
        "subscriptions",
        "tax_ids",
        "tax_rates",
        "topups",
        "transfers",
    }
)
#: List parameters that page or shape a list rather than filter it.
_PAGING = frozenset(
    {"limit", "starting_after", "ending_before", "expand", "created", "types", "delivery_success"}
)
#: ``created[gte]=...`` and its kin, as Stripe's list endpoints take them.
_CREATED_OPS = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}
#: After every story position: "the latest state".
_END: Position = (2**63, 2**63)


def path_of(object_name: str) -> str:
    return object_name.replace(".", "/") + "s"


def name_of(path: str) -> str:
    return path[:-1].replace("/", ".")


class StripeAPI:
    """The objects delivered Stripe events carried, latest state first, served as Stripe would."""

    name = "stripe"
    # Stripe's other hosts (file uploads, Connect OAuth, meter events) get Stripe-shaped answers
    # too: a refusal there would look like a network error, which stripe-python retries, sleeping.
    hosts = (HOST, "files.stripe.com", "connect.stripe.com", "meter-events.stripe.com")
    #: ``api.add("POST", "/v1/refunds", ...)``: these paths mean Stripe's API.
    paths = ("/v1/", "/v2/")

    def claims(self, payload: Mapping[str, Any]) -> bool:
        """A payload dict fed without its provider is Stripe's if it is an event envelope."""
        return payload.get("object") in ("event", "v2.core.event")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: id -> the object as of the latest event that carried it (insertion order = recency).
        self._objects: dict[str, dict[str, Any]] = {}
        #: ids seen as a top-level ``data.object`` (a nested copy never replaces those).
        self._top: set[str] = set()
        self._deleted: set[str] = set()
        #: ids whose state the test stated with put(): deliveries no longer change them.
        self._pinned: set[str] = set()
        self._events: dict[str, dict[str, Any]] = {}
        #: Story timeline (see ApiMock.feed): each story event's position, the events a story
        #: dropped, and each object's versions by position (``at``, top-level?, state).
        self._event_at: dict[str, Position] = {}
        self._undelivered: set[str] = set()
        self._versions: dict[str, list[tuple[Position, bool, dict[str, Any]]]] = {}
        self._deleted_at: dict[str, Position] = {}
        self._request_count = 0
        # Each thread answers its own request: its Request-Id must not leak into another's.
        self._local = threading.local()
        self._thin = ThinEvents()  # fetch_event() and fetch_related_object() (_api_thin.py)

    # -- state -----------------------------------------------------------------------------------
    def feed(self, payload: Mapping[str, Any], type: str | None = None) -> None:
        """Record one event envelope: the event itself and the objects it carries."""
        self._record(payload, None, delivered=True)

    def feed_event(self, event: Event, *, at: Position | None, delivered: bool) -> None:
        """Record one event with its story position (None: not a story event) and whether it
        was delivered; a story event fed again only changes whether it was delivered."""
        self._record(event.payload, at, delivered=delivered)

    def _record(self, payload: Mapping[str, Any], at: Position | None, *, delivered: bool) -> None:
        if self._thin.record(payload):
            return
        event = copy.deepcopy(dict(payload))
        data = event.get("data")
        obj = data.get("object") if isinstance(data, dict) else None
        eid = event.get("id")
        with self._lock:
            if isinstance(eid, str):
                if at is not None and self._event_at.get(eid) == at:
                    if delivered:
                        self._undelivered.discard(eid)
                    return
                self._events.pop(eid, None)
                self._events[eid] = event
                if at is not None:
                    self._event_at[eid] = at
                if delivered:
                    self._undelivered.discard(eid)
                else:
                    self._undelivered.add(eid)
            if not isinstance(obj, dict):
                return
            if at is not None:
                self._record_versions(event, obj, at)
                return
            self._store(obj, top=True)
            for nested in _nested_objects(obj):
                self._store(nested, top=False)
            kind = obj.get("object")
            if (
                isinstance(kind, str)
                and event.get("type") == f"{kind}.deleted"
                and obj.get("id") not in self._pinned
            ):
                self._deleted.add(str(obj.get("id")))

    def _record_versions(self, event: dict[str, Any], obj: dict[str, Any], at: Position) -> None:
        """A story event's objects: one more version each, and the latest state recomputed."""
        for node, top in [(obj, True), *((n, False) for n in _nested_objects(obj))]:
            oid, kind = node.get("id"), node.get("object")
            if not isinstance(oid, str) or not isinstance(kind, str):
                continue
            if path_of(kind) not in RESOURCES:
                continue
            self._versions.setdefault(oid, []).append((at, top, node))
            if top and event.get("type") == f"{kind}.deleted":
                self._deleted_at[oid] = min(at, self._deleted_at.get(oid, at))
            if oid in self._pinned:
                continue
            latest = self._as_of(oid, _END)
            if latest is not None:
                self._objects.pop(oid, None)
                self._objects[oid] = latest
            if top:
                self._top.add(oid)
            if oid in self._deleted_at:
                self._deleted.add(oid)
            else:
                self._deleted.discard(oid)

    def _as_of(self, oid: str, at: Position) -> dict[str, Any] | None:
        """An object as the latest story event at or before ``at`` carried it (a top-level
        copy beats a nested one); None if no story event carried it by then."""
        best: tuple[bool, Position] | None = None
        found = None
        for when, top, node in self._versions.get(oid, ()):
            if when <= at and (best is None or (top, when) >= best):
                best, found = (top, when), node
        return found

    def _at(self) -> Position | None:
        """The position this thread's request is answered at (None: the latest state)."""
        at: Position | None = getattr(self._local, "at", None)
        return at

    def _object(self, oid: str) -> dict[str, Any] | None:
        """The object as this request sees it (call with the lock held; not a copy)."""
        at = self._at()
        if at is None or oid in self._pinned or oid not in self._versions:
            return self._objects.get(oid)
        return self._as_of(oid, at)

    def _event(self, eid: str) -> dict[str, Any] | None:
        """The event as this request sees it: none from later in the story (lock held)."""
        event = self._events.get(eid)
        at, when = self._at(), self._event_at.get(eid)
        if event is None or (at is not None and when is not None and when > at):
            return None
        if eid in self._undelivered:
            # Stripe still tries to deliver it: pending_webhooks counts the endpoints left.
            pending = event.get("pending_webhooks")
            event = {
                **event,
                "pending_webhooks": max(1, pending if isinstance(pending, int) else 1),
            }
        return event

    def _is_deleted(self, oid: str) -> bool:
        at = self._at()
        if at is None or oid not in self._versions or oid in self._pinned:
            return oid in self._deleted
        when = self._deleted_at.get(oid)
        return when is not None and when <= at

    def put(self, obj: Mapping[str, Any], *, pin: bool = True) -> None:
        """State the API's current truth about one object (a dict with ``id`` and ``object``).

        Pinned (the default), later deliveries do not change it: that is how a test makes the API
        disagree with a stale or out-of-order event. ``pin=False`` lets the next delivery win.
        """
        if not isinstance(obj, abc.Mapping):
            raise ConfigurationError(
                "api.stripe.put() takes one Stripe object as a dict (like {'id': 'pi_123',"
                f" 'object': 'payment_intent', ...}}); got a {type(obj).__name__}. Call it once"
                " per object."
            )
        if not isinstance(obj.get("id"), str) or not isinstance(obj.get("object"), str):
            raise ConfigurationError(
                "api.stripe.put() takes a Stripe object with a string 'id' and 'object'"
                f" (like {{'id': 'pi_123', 'object': 'payment_intent', ...}}); got keys"
                f" {sorted(obj)[:8]}."
            )
        with self._lock:
            self._pinned.discard(obj["id"])
            self._store(copy.deepcopy(dict(obj)), top=True)
            self._deleted.discard(obj["id"])
            if pin:
                self._pinned.add(obj["id"])

    def _store(self, obj: dict[str, Any], *, top: bool) -> None:
        oid = obj.get("id")
        kind = obj.get("object")
        if not isinstance(oid, str) or not isinstance(kind, str):
            return
        if path_of(kind) not in RESOURCES:
            return
        if oid in self._pinned or (not top and oid in self._top):
            return
        if top:
            self._top.add(oid)
            self._deleted.discard(oid)
        self._objects.pop(oid, None)
        self._objects[oid] = obj

    def get(self, oid: str) -> dict[str, Any] | None:
        """A copy of the current state of an object, or None."""
        with self._lock:
            if oid in self._events:
                return copy.deepcopy(self._events[oid])
            obj = self._objects.get(oid)
            return None if obj is None else copy.deepcopy(obj)

    # -- routes ----------------------------------------------------------------------------------
    def handle(self, req: ApiRequest) -> Reply:
        with self._lock:
            self._request_count += 1
            self._local.request_id = f"req_hookmock{self._request_count:012d}"
        self._local.at = req.at
        key = _api_key(req.headers.get("authorization", ""))
        if not key:
            return self._error(
                401,
                "You did not provide an API key. You need to provide your API key in the"
                " Authorization header, using Bearer auth (e.g. 'Authorization: Bearer"
                " YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details,"
                " or we can help at https://support.stripe.com/.",
            )
        thin = self._thin.answer(req.path) if req.method == "GET" else None
        if thin is not None:
            return self._ok(thin)
        parts = [p for p in req.path.split("/") if p]
        if not parts or parts[0] != "v1":
            return self._unrecognized(req)
        rest = parts[1:]
        if req.method not in ("GET", "HEAD"):
            return self._error(
                400,
                f"hookmock's Stripe API mock does not carry out {req.method} {req.path}: no"
                " request leaves this machine. Register the answer your test expects with"
                f" api.add({req.method!r}, {_where(req)!r}, json={{...}}), and assert on"
                " api.calls.",
            )
        live = "_live_" in key
        for size in (2, 1):
            resource = "/".join(rest[:size])
            if len(rest) < size or resource not in RESOURCES:
                continue
            tail = rest[size:]
            expand = _expand_list(req.params)
            if not tail:
                return self._list(resource, req, live, expand)
            if len(tail) == 1:
                return self._retrieve(resource, tail[0], live, expand)
            if len(tail) == 2 and (resource, tail[1]) in (
                ("checkout/sessions", "line_items"),
                ("invoices", "lines"),
            ):
                return self._sublist(resource, tail[0], tail[1], req, live)
        return self._unrecognized(req)

    def _retrieve(self, resource: str, oid: str, live: bool, expand: list[str]) -> Reply:
        obj = self._find(resource, oid, live)
        if isinstance(obj, Reply):
            return obj
        with self._lock:
            deleted = self._is_deleted(oid)
        if deleted:
            if obj.get("object") == "customer":
                return self._ok({"id": oid, "object": "customer", "deleted": True})
            return self._missing(resource, oid)
        for path in expand:
            problem = self._expand(obj, path.split("."), path, live)
            if problem is not None:
                return problem
        return self._ok(obj)

    def _derive(self, referrer: Mapping[str, Any], key: str, oid: str) -> dict[str, Any] | None:
        """An object no event carried whose state follows from the one naming it (a payment
        intent's ``latest_charge``): built once, deterministically, then served like the rest.
        None for anything that cannot be derived consistently."""
        derived = derive_object(referrer, key, oid)
        if derived is None:
            return None
        with self._lock:
            self._store(derived, top=False)  # a delivered charge event later replaces it
            stored = self._objects.get(oid, derived)
            return copy.deepcopy(stored)

    def _referrer_of(self, resource: str, oid: str) -> tuple[dict[str, Any], str] | None:
        """A known object that names ``oid`` in a field hookmock can derive it from."""
        if resource != "charges":
            return None
        with self._lock:
            for known in reversed(list(self._objects)):
                obj = self._object(known)
                if obj is None:
                    continue
                if obj.get("object") == "payment_intent" and obj.get("latest_charge") == oid:
                    return copy.deepcopy(obj), "latest_charge"
        return None

    def _find(self, resource: str, oid: str, live: bool) -> dict[str, Any] | Reply:
        with self._lock:
            found = self._event(oid) if resource == "events" else self._object(oid)
            obj = copy.deepcopy(found) if found is not None else None
        if obj is None:
            named = self._referrer_of(resource, oid)
            if named is not None:
                obj = self._derive(named[0], named[1], oid)
        if obj is None or path_of(str(obj.get("object"))) != resource:
            return self._missing(resource, oid)
        if bool(obj.get("livemode", False)) != live:
            mode, other = ("test", "live") if not live else ("live", "test")
            return self._error(
                404,
                f"No such {name_of(resource)}: '{oid}'; a similar object exists in {other}"
                f" mode, but a {mode} mode key was used to make this request.",
                code="resource_missing",
                param="id",
            )
        return obj

    def _expand(self, node: Any, parts: list[str], full: str, live: bool) -> Reply | None:
        if isinstance(node, list):
            for item in node:
                problem = self._expand(item, parts, full, live)
                if problem is not None:
                    return problem
            return None
        if not isinstance(node, dict):
            return None
        key, rest = parts[0], parts[1:]
        if key == "data" and node.get("object") == "list":
            return self._expand(node.get("data"), rest, full, live) if rest else None
        if key == "line_items" and node.get("object") == "checkout.session":
            node.setdefault("line_items", _line_items(node))
        if key not in node:
            return self._error(400, f"This property cannot be expanded ({full}).", param="expand")
        value = node[key]
        if isinstance(value, str):
            with self._lock:
                target = self._object(value)
                found = None if target is None else copy.deepcopy(target)
            if found is None:
                found = self._derive(node, key, value)
            if found is None:
                return self._error(
                    400,
                    f"hookmock cannot expand {full}: it has not seen {value!r} in a delivered"
                    " event. Deliver an event that carries it first, or give the API its"
                    " state with api.stripe.put({...}).",
                    param="expand",
                )
            node[key] = value = found
        return self._expand(value, rest, full, live) if rest else None

    def _list(self, resource: str, req: ApiRequest, live: bool, expand: list[str]) -> Reply:
        filters = {k: v for k, v in req.params.items() if k not in _PAGING}
        problem = self._check_list_params(resource, req.params)
        if problem is not None:
            return problem
        with self._lock:
            if resource == "events":
                # Newest first by created time; a story's events by their story position.
                ids = list(self._events)
                order = {eid: n for n, eid in enumerate(ids)}
                ids.sort(
                    key=lambda eid: (
                        int(self._events[eid].get("created") or 0),
                        self._event_at.get(eid, (0, 0))[1],
                        order[eid],
                    )
                )
                pool = [self._event(eid) for eid in ids]
            else:
                pool = [self._object(oid) for oid in self._objects if not self._is_deleted(oid)]
            items = [
                copy.deepcopy(o)
                for o in reversed(pool)
                if o is not None
                and path_of(str(o.get("object"))) == resource
                and bool(o.get("livemode", False)) == live
            ]
            undelivered = set(self._undelivered)
        types = req.params.get("types")
        if resource == "events" and isinstance(types, list):
            items = [e for e in items if any(_type_matches(str(e.get("type")), t) for t in types)]
        success = req.params.get("delivery_success")
        if resource == "events" and success is not None:
            wanted = str(success).lower() == "true"
            items = [e for e in items if (e.get("id") not in undelivered) == wanted]
        created = req.params.get("created")
        if created is not None:
            items = [o for o in items if _created_matches(o.get("created"), created)]
        for name, wanted in filters.items():
            items = [o for o in items if _field_matches(o, name, wanted)]
        page, more = _page(items, req.params)
        body = {"object": "list", "data": page, "has_more": more, "url": f"/v1/{resource}"}
        for path in expand:
            parts = path.split(".")
            if parts[0] == "data" and len(parts) > 1:
                problem = self._expand(page, parts[1:], path, live)
                if problem is not None:
                    return problem
        return self._ok(body)

    def _sublist(self, resource: str, oid: str, what: str, req: ApiRequest, live: bool) -> Reply:
        obj = self._find(resource, oid, live)
        if isinstance(obj, Reply):
            return obj
        lines = obj.get(what) if what in obj else _line_items(obj)
        data = list(lines.get("data", [])) if isinstance(lines, dict) else []
        page, more = _page(data, req.params)
        return self._ok(
            {
                "object": "list",
                "data": page,
                "has_more": more,
                "url": f"/v1/{resource}/{oid}/{what}",
            }
        )

    def _check_list_params(self, resource: str, params: Mapping[str, Any]) -> Reply | None:
        """Stripe's 400 for list parameters it would refuse (rather than a silently wrong list)."""
        created = params.get("created")
        if isinstance(created, dict):
            for op, value in created.items():
                if op not in _CREATED_OPS:
                    return self._error(
                        400,
                        f"Received unknown parameter: created[{op}]. Did you mean one of"
                        f" {', '.join(f'created[{k}]' for k in _CREATED_OPS)}?",
                        param=f"created[{op}]",
                    )
                if not str(value).lstrip("-").isdigit():
                    return self._error(400, f"Invalid integer: {value}", param=f"created[{op}]")
        elif created is not None and not str(created).lstrip("-").isdigit():
            return self._error(400, f"Invalid integer: {created}", param="created")
        success = params.get("delivery_success")
        if success is not None and str(success).lower() not in ("true", "false"):
            return self._error(
                400,
                f"Invalid boolean: {success}",
                param="delivery_success",
            )
        if resource != "events" and success is not None:
            return self._error(
                400, "Received unknown parameter: delivery_success", param="delivery_success"
            )
        if params.get("starting_after") is not None and params.get("ending_before") is not None:
            return self._error(
                400,
                "You may only specify one of these parameters: ending_before, starting_after.",
            )
        return None

    # -- answers ---------------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        # Stripe-Should-Retry: false keeps stripe-python from retrying (and sleeping) on errors.
        return {"Request-Id": self._request_id(), "Stripe-Should-Retry": "false"}

    def _request_id(self) -> str:
        return str(getattr(self._local, "request_id", "req_hookmock000000000000"))

    def _ok(self, body: Any) -> Reply:
        return Reply(200, body, self._headers())

    def _error(self, status: int, message: str, **fields: Any) -> Reply:
        error = {**fields, "message": message, "type": "invalid_request_error"}
        if status != 401:
            error["request_log_url"] = (
                f"https://dashboard.stripe.com/test/logs/{self._request_id()}"
            )
        return Reply(status, {"error": dict(sorted(error.items()))}, self._headers())

    def _missing(self, resource: str, oid: str) -> Reply:
        return self._error(
            404,
            f"No such {name_of(resource)}: '{oid}'",
            code="resource_missing",
            doc_url="https://stripe.com/docs/error-codes/resource-missing",
            param="id",
        )

    def _unrecognized(self, req: ApiRequest) -> Reply:
        return self._error(
            404,
            f"Unrecognized request URL ({req.method}: {req.path}). hookmock's Stripe API mock"
            " answers GET for objects carried by delivered events (/v1/payment_intents/{id},"
            " /v1/events/{id}, ...); register anything else with"
            f" api.add({req.method!r}, {_where(req)!r}, json={{...}}).",
        )


#: The charge a payment intent's ``latest_charge`` names, by the intent's status: the event type
#: whose object hookmock builds for it. Other statuses have no charge that follows for sure.
_CHARGE_FOR_STATUS = {
    "succeeded": "charge.succeeded",
    "requires_payment_method": "charge.failed",  # the attempt that failed
}


def derive_object(referrer: Mapping[str, Any], key: str, oid: str) -> dict[str, Any] | None:
    """The object ``referrer[key] == oid`` names, when it follows from ``referrer`` alone.

    Today: a payment intent's ``latest_charge`` (a succeeded charge for a succeeded intent, a
    failed one for an intent back at ``requires_payment_method``) with the intent's amount,
    currency, customer, payment method, livemode and created time, the rest seeded from the two
    ids, so the same intent always gets the same charge.
    """
    if key != "latest_charge" or referrer.get("object") != "payment_intent":
        return None
    kind = _CHARGE_FOR_STATUS.get(str(referrer.get("status")))
    pi_id = referrer.get("id")
    amount = referrer.get("amount")
    if kind is None or not isinstance(pi_id, str) or not isinstance(amount, int):
        return None
    if not oid.startswith("ch_"):
        return None

    paths: dict[str, Any] = {
        "data__object__id": oid,
        "data__object__amount": amount,
        "data__object__payment_intent": pi_id,
        "data__object__livemode": bool(referrer.get("livemode", False)),
    }
    for field in ("currency", "created", "customer", "payment_method"):
        value = referrer.get(field)
        if isinstance(value, dict):  # expanded in the delivered event
            value = value.get("id")
        if value is not None:
            paths[f"data__object__{field}"] = value
    error = referrer.get("last_payment_error")
    if kind == "charge.failed" and isinstance(error, dict):
        # The failed attempt: its payment method and error live on last_payment_error.
        method = error.get("payment_method")
        if isinstance(method, dict) and isinstance(method.get("id"), str):
            paths["data__object__payment_method"] = method["id"]
        for field, source in (("failure_code", "code"), ("failure_message", "message")):
            if isinstance(error.get(source), str):
                paths[f"data__object__{field}"] = error[source]
    event = provider("stripe").event(
        kind, seed=derive_seed("hookmock-apimock", "latest_charge", pi_id, oid), **paths
    )
    charge: dict[str, Any] = event.payload["data"]["object"]
    return charge


def _where(req: ApiRequest) -> str:
    """What to pass to api.add(): a path means api.stripe.com, other hosts need the full URL."""
    return req.path if req.host == HOST else f"https://{req.host}{req.path}"


def _api_key(authorization: str) -> str:
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value).decode().partition(":")[0]
        except ValueError:
            return ""
    return ""


def _expand_list(params: Mapping[str, Any]) -> list[str]:
    got = params.get("expand")
    if isinstance(got, str):
        return [got]
    if isinstance(got, list):
        return [str(x) for x in got]
    return []


def _nested_objects(node: Any, depth: int = 0) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if depth and isinstance(node.get("id"), str) and isinstance(node.get("object"), str):
            found.append(node)
        for value in node.values():
            found.extend(_nested_objects(value, depth + 1))
    elif isinstance(node, list):
        for value in node:
            found.extend(_nested_objects(value, depth + 1))
    return found


def _type_matches(event_type: str, pattern: str) -> bool:
    if pattern.endswith("*"):
        return event_type.startswith(pattern[:-1])
    return event_type == pattern


def _created_matches(value: Any, wanted: Any) -> bool:
    """``created=<ts>`` or ``created[gte]=<ts>`` (and gt, lt, lte), checked before filtering."""
    if not isinstance(value, int):
        return False
    if isinstance(wanted, dict):
        return all(_CREATED_OPS[op](value, int(bound)) for op, bound in wanted.items())
    return value == int(wanted)


def _field_matches(obj: Mapping[str, Any], name: str, wanted: Any) -> bool:
    if name == "type" and obj.get("object") == "event":
        return _type_matches(str(obj.get("type")), str(wanted))
    value = obj.get(name)
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, bool):
        return str(value).lower() == str(wanted).lower()
    return str(value) == str(wanted)


def _page(items: list[Any], params: Mapping[str, Any]) -> tuple[list[Any], bool]:
    """One page of a list (newest first) and whether more follow, as Stripe pages."""
    try:
        limit = max(1, min(100, int(params.get("limit", 10))))
    except (TypeError, ValueError):
        limit = 10
    after = params.get("starting_after")
    before = params.get("ending_before")
    ids = [o.get("id") for o in items]
    if isinstance(before, str) and before in ids:
        # Paging backwards (towards newer items): the ``limit`` just before it, still newest first.
        earlier = items[: ids.index(before)]
        return earlier[-limit:], len(earlier) > limit
    if isinstance(after, str) and after in ids:
        items = items[ids.index(after) + 1 :]
    return items[:limit], len(items) > limit


def _line_items(session: Mapping[str, Any]) -> dict[str, Any]:
    """A checkout session's line items as Stripe lists them; one item for the whole amount when
    the delivered session did not carry them (webhooks never do)."""
    sid = str(session.get("id", ""))
    url = f"/v1/checkout/sessions/{sid}/line_items"
    total = session.get("amount_total")
    if not isinstance(total, int):
        return {"object": "list", "data": [], "has_more": False, "url": url}
    subtotal = session.get("amount_subtotal")
    subtotal = subtotal if isinstance(subtotal, int) else total
    suffix = sid.rsplit("_", 1)[-1]
    currency = session.get("currency") or "usd"
    price: dict[str, Any] = {
        "id": f"price_{suffix}",
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": session.get("created"),
        "currency": currency,
        "custom_unit_amount": None,
        "livemode": bool(session.get("livemode", False)),
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": f"prod_{suffix}",
        "recurring": None,
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "one_time",
        "unit_amount": subtotal,
        "unit_amount_decimal": str(subtotal),
    }
    item = {
        "id": f"li_{suffix}",
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": subtotal,
        "amount_tax": 0,
        "amount_total": total,
        "currency": currency,
        "description": "hookmock line item",
        "price": price,
        "quantity": 1,
    }
    return {"object": "list", "data": [item], "has_more": False, "url": url}
