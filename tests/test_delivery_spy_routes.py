"""Handler spies see the handler however the receiver reaches it: by name, from a gidgethub
``Router``, a dict, a bound method or a decorator registry; sync or async. The real one runs."""

import functools
import inspect
import json

import pytest

import hookmock

SECRET = "s3cret"
STRIPE_SECRET = "whsec_routes"
ran: list[str] = []


@pytest.fixture(autouse=True)
def _clear():
    ran.clear()


async def _read(receive):
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return body


async def _answer(send, status=200):
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def _wsgi_body(environ):
    return environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))


# -- a gidgethub Router, filled at import time --------------------------------------------------
def _make_router():
    from gidgethub import routing

    return routing.Router()


router = _make_router()


@router.register("pull_request", action="opened")
async def pr_opened(event, *args, **kwargs):
    ran.append(event.delivery_id)


async def gidgethub_router_app(scope, receive, send):
    from gidgethub import sansio

    if scope["type"] != "http":
        return
    body = await _read(receive)
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    event = sansio.Event.from_http(headers, body, secret=SECRET)
    await router.dispatch(event)
    await _answer(send)


def test_a_handler_registered_in_a_gidgethub_router_is_seen():
    with hookmock.receiver(
        gidgethub_router_app, provider="github", secret=SECRET, interface="asgi"
    ) as receiver:
        receiver.expect_handler(f"{__name__}.pr_opened", types=["pull_request.opened"])
        result = receiver.send("pull_request.opened")
        result.assert_ok()
        assert result.handled is True
        assert ran == [result.event.id]  # the real handler ran, once
        receiver.assert_all_handled()


# -- a plain dict of handlers ----------------------------------------------------------------------
def mark_paid(event):
    ran.append(event["id"])


def mark_failed(event):
    ran.append("failed " + event["id"])


HANDLERS = {"payment_intent.succeeded": mark_paid, "payment_intent.payment_failed": mark_failed}


def dict_dispatch_app(environ, start_response):
    event = json.loads(_wsgi_body(environ))
    handler = HANDLERS.get(event["type"])
    if handler is not None:
        handler(event)
    start_response("200 OK", [])
    return [b""]


def test_a_handler_kept_in_a_dict_is_seen_and_a_missing_route_is_not_mistaken_for_it():
    with hookmock.receiver(dict_dispatch_app, secret=STRIPE_SECRET) as receiver:
        receiver.expect_handler(f"{__name__}.mark_paid", types=["payment_intent.succeeded"])
        receiver.expect_handler(f"{__name__}.mark_failed", types=["payment_intent.payment_failed"])
        paid = receiver.send("payment_intent.succeeded")
        failed = receiver.send("payment_intent.payment_failed")
        assert paid.handled is True
        assert failed.handled is True
        assert ran == [paid.event.id, "failed " + failed.event.id]
        receiver.assert_all_handled()


def test_a_dict_that_routes_to_the_wrong_handler_fails_naming_the_handler():
    wrong = {"payment_intent.succeeded": mark_failed}

    def app(environ, start_response):
        event = json.loads(_wsgi_body(environ))
        wrong[event["type"]](event)
        start_response("200 OK", [])
        return [b""]

    with hookmock.receiver(app, secret=STRIPE_SECRET) as receiver:
        receiver.expect_handler(f"{__name__}.mark_paid", types=["payment_intent.succeeded"])
        result = receiver.send("payment_intent.succeeded")
        assert result.handled is False
        with pytest.raises(hookmock.DeliveryError, match=rf"{__name__}.mark_paid was never called"):
            result.assert_ok()


# -- a class-based handler, its bound method stored at import time ---------------------------------
class Billing:
    def __init__(self):
        self.paid = []

    def on_paid(self, event):
        self.paid.append(event["id"])
        return super().__repr__()  # uses the __class__ cell: the copy keeps the closure


billing = Billing()
ROUTES = {"invoice.paid": billing.on_paid}


def class_based_app(environ, start_response):
    event = json.loads(_wsgi_body(environ))
    ROUTES[event["type"]](event)
    start_response("200 OK", [])
    return [b""]


def test_a_bound_method_stored_before_the_spy_is_seen():
    billing.paid.clear()
    with hookmock.receiver(class_based_app, secret=STRIPE_SECRET) as receiver:
        spy = receiver.expect_handler(f"{__name__}.Billing.on_paid", types=["invoice.paid"])
        result = receiver.send("invoice.paid")
        assert result.handled is True
        assert billing.paid == [result.event.id]
        [(args, _)] = spy.calls
        assert args[0] is billing


# -- a decorator registry that keeps the function itself -------------------------------------------
REGISTRY: dict = {}


def on(type_):
    def register(func):
        REGISTRY[type_] = func

        @functools.wraps(func)
        def logged(*args, **kwargs):
            return func(*args, **kwargs)

        return logged

    return register


def on_unwrapped(type_):
    """A decorator without functools.wraps: the module name holds a "wrapper"."""

    def register(func):
        REGISTRY[type_] = func

        def wrapper(*args, **kwargs):
            return func(*args, **kwargs)

        return wrapper

    return register


@on("charge.refunded")
async def refunded(event):
    ran.append(event["id"])


@on_unwrapped("charge.succeeded")
def charged(event):
    ran.append(event["id"])


async def registry_app(scope, receive, send):
    if scope["type"] != "http":
        return
    event = json.loads(await _read(receive))
    handler = REGISTRY[event["type"]]
    got = handler(event)
    if inspect.isawaitable(got):
        await got
    await _answer(send)


@pytest.mark.parametrize("dotted", ["refunded", "charged"])
def test_a_handler_a_decorator_registry_stored_at_import_time_is_seen(dotted):
    type_ = {"refunded": "charge.refunded", "charged": "charge.succeeded"}[dotted]
    with hookmock.receiver(registry_app, secret=STRIPE_SECRET, interface="asgi") as receiver:
        receiver.expect_handler(f"{__name__}.{dotted}", types=[type_])
        result = receiver.send(type_)
        assert result.handled is True, result.handled_notes
        assert ran == [result.event.id]


# -- what the patch leaves behind ------------------------------------------------------------------
def test_a_spied_function_keeps_its_signature_and_kind_and_is_restored_exactly():
    code, kwdefaults = refunded.__wrapped__.__code__, refunded.__wrapped__.__kwdefaults__
    before = inspect.signature(mark_paid)
    one = hookmock.receiver(dict_dispatch_app, secret=STRIPE_SECRET)
    two = hookmock.receiver(dict_dispatch_app, secret=STRIPE_SECRET)
    one.expect_handler(f"{__name__}.mark_paid")
    two.expect_handler(f"{__name__}.mark_paid")
    one.expect_handler(f"{__name__}.refunded")
    assert inspect.signature(mark_paid) == before  # frameworks reading parameters see the real ones
    assert inspect.iscoroutinefunction(refunded.__wrapped__)  # still async for ASGI frameworks
    one.close()  # closing the first spy keeps the second watching
    mark_paid({"id": "evt_direct"})
    assert ran == ["evt_direct"]
    assert len(two._spies[0].calls) == 1
    two.close()
    assert refunded.__wrapped__.__code__ is code
    assert refunded.__wrapped__.__kwdefaults__ is kwdefaults
    assert "__signature__" not in mark_paid.__dict__
    assert mark_paid.__code__.co_name == "mark_paid"
    assert mark_paid.__code__.co_argcount == 1


def test_a_spy_on_a_c_function_says_why_it_cannot_see_calls_and_what_to_spy_on():
    with (
        hookmock.receiver(dict_dispatch_app, secret=STRIPE_SECRET) as receiver,
        pytest.raises(hookmock.ConfigurationError) as info,
    ):
        receiver.expect_handler("math.sqrt")
    text = str(info.value)
    assert "implemented in C" in text
    assert "Spy on the Python function of your app" in text


def test_a_name_rebound_after_the_spy_was_set_is_named_in_the_miss():
    global mark_failed
    original = mark_failed
    with hookmock.receiver(dict_dispatch_app, secret=STRIPE_SECRET) as receiver:
        receiver.expect_handler(f"{__name__}.mark_failed", types=["invoice.paid"])
        mark_failed = lambda event: None  # noqa: E731
        try:
            result = receiver.send("invoice.paid")
        finally:
            mark_failed = original
    assert "now holds another function" in result.handled_notes[0]


def with_defaults(event, flag=True, *, times=2):
    return (event["id"], flag, times)


def numbers(event):
    yield from range(2)


def test_a_spied_function_keeps_its_defaults_and_a_generator_stays_a_generator():
    with hookmock.receiver(dict_dispatch_app, secret=STRIPE_SECRET) as receiver:
        one = receiver.expect_handler(f"{__name__}.with_defaults")
        two = receiver.expect_handler(f"{__name__}.numbers")
        assert with_defaults({"id": "evt_1"}) == ("evt_1", True, 2)
        assert with_defaults({"id": "evt_2"}, False, times=5) == ("evt_2", False, 5)
        assert inspect.isgeneratorfunction(numbers)
        assert list(numbers({"id": "evt_3"})) == [0, 1]
        assert one.call_count == 2
        assert two.call_count == 1
    assert with_defaults.__kwdefaults__ == {"times": 2}
