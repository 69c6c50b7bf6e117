"""verify() accepts exactly what the reference libraries accept, no more and no less.

Each test fuzzes signature headers (hypothesis) around a correct one: doubled ``t=``, spaces
after commas, upper-case hex, trailing whitespace, padding and stray characters in base64, odd
timestamps. For every header, hookmock's verdict must equal the reference's:
stripe-python's ``WebhookSignature.verify_header``, GitHub's documented check (what gidgethub
and githubkit do), and ``standardwebhooks.Webhook.verify``. A reference that raises anything at
all counts as a rejection; hookmock must then raise SignatureError, never another exception.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hookmock import SecretError, SignatureError
from hookmock import signing as s

stripe = pytest.importorskip("stripe")
standardwebhooks = pytest.importorskip("standardwebhooks")
gidgethub_sansio = pytest.importorskip("gidgethub.sansio")
githubkit_webhooks = pytest.importorskip("githubkit.webhooks")

FUZZ = settings(
    max_examples=400,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

BODIES = st.sampled_from(
    [b'{"id": "evt_1", "object": "event"}', b"{}", '{"name": "caf\u00e9"}'.encode(), b"\xff\xfe{}"]
)


def verdict(check) -> bool:  # type: ignore[no-untyped-def]
    try:
        check()
    except Exception:
        return False
    return True


def ours(check) -> bool:  # type: ignore[no-untyped-def]
    """hookmock's verdict; only SignatureError may signal a rejection."""
    try:
        check()
    except SignatureError:
        return False
    return True


# -- Stripe --------------------------------------------------------------------------------------

STRIPE_SECRET = "whsec_parity"


@st.composite
def stripe_headers(draw: st.DrawFn, body: bytes) -> str:
    # Far from the 300 s edge, so the two clocks (read a moment apart) always agree.
    ts = int(time.time()) + draw(st.sampled_from([0, -5, 60, -3600, 86400]))
    other = ts - draw(st.sampled_from([1, 7200]))
    good = s.stripe_v1(body, STRIPE_SECRET, ts)
    bad = s.stripe_v1(body, "whsec_other", ts)
    t_values = [
        str(ts),
        f" {ts}",
        f"{ts} ",
        f"+{ts}",
        f"0{ts}",
        f"{ts}=x",
        f"{ts:_}",
        str(other),
        "",
        "abc",
        "1.5",
    ]
    v1_values = [good, good.upper(), good + " ", " " + good, good + "=junk", good[:-1], bad, ""]
    items = []
    for _ in range(draw(st.integers(1, 5))):
        key = draw(st.sampled_from(["t", "v1", "v0", " t", " v1", "T", "V1", "v2", "t ", ""]))
        if key.strip().lower() == "t":
            value = draw(st.sampled_from(t_values))
        else:
            value = draw(st.sampled_from(v1_values))
        items.append(key + draw(st.sampled_from(["=", "=", "=", "", "=="])) + value)
    return draw(st.sampled_from([",", ",", ", "])).join(items)


@FUZZ
@given(data=st.data(), body=BODIES)
def test_stripe_verify_agrees_with_stripe_python(data: st.DataObject, body: bytes) -> None:
    header = data.draw(stripe_headers(body))
    theirs = verdict(
        lambda: stripe.WebhookSignature.verify_header(body, header, STRIPE_SECRET, tolerance=300)
    )
    mine = ours(lambda: s.stripe_verify(body, header, STRIPE_SECRET, tolerance=300))
    assert mine == theirs, header


@pytest.mark.parametrize(
    "template",
    [
        "t={ts},t={old},v1={sig}",  # stripe-python signs with the first t=
        "t={old},t={ts},v1={sig}",  # ... and hookmock used to take the last
        "t={ts}, v1={sig}",  # a space after the comma hides the v1 entry
        "t={ts},v1={sig}=x",  # split("=", 2): what follows a second '=' is ignored
        "t=+{ts},v1={sig}",  # int() of the text, then signed as %d
        "t={ts},v1={upper}",
    ],
)
def test_stripe_edge_headers_get_stripe_pythons_verdict(template: str) -> None:
    body = b'{"id": "evt_1"}'
    ts = int(time.time())
    sig = s.stripe_v1(body, STRIPE_SECRET, ts)
    header = template.format(ts=ts, old=ts - 7200, sig=sig, upper=sig.upper())
    theirs = verdict(
        lambda: stripe.WebhookSignature.verify_header(body, header, STRIPE_SECRET, tolerance=300)
    )
    assert ours(lambda: s.stripe_verify(body, header, STRIPE_SECRET)) == theirs


def test_stripe_tolerance_compares_with_the_clock_as_stripe_python_does() -> None:
    now = 1_800_000_000.5
    header = s.stripe_header(b"{}", [STRIPE_SECRET], 1_800_000_000 - 300)
    # 1_799_999_700 < 1_800_000_000.5 - 300: stale for stripe-python, so stale here too.
    with pytest.raises(SignatureError, match="tolerance zone"):
        s.stripe_verify(b"{}", header, STRIPE_SECRET, now=now)
    s.stripe_verify(b"{}", header, STRIPE_SECRET, now=1_800_000_000)


# -- GitHub --------------------------------------------------------------------------------------

GH_SECRET = "It's a Secret to Everybody"


def documented_check(body: bytes, signature: str, secret: str) -> None:
    """GitHub's own example (docs: "Validating webhook deliveries")."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise ValueError("Request signatures didn't match!")


@st.composite
def github_signatures(draw: st.DrawFn, body: bytes) -> str:
    good = hmac.new(GH_SECRET.encode(), body, hashlib.sha256).hexdigest()
    digest = draw(
        st.sampled_from(
            [good, good.upper(), good[:10].upper() + good[10:], good[:-1], "0" * 64, good * 2]
        )
    )
    prefix = draw(st.sampled_from(["sha256=", "sha256=", "SHA256=", "sha256 =", "sha1=", ""]))
    around = draw(st.sampled_from([("", ""), ("", " "), ("", "\t"), (" ", ""), ("", "\n")]))
    return around[0] + prefix + digest + around[1]


@FUZZ
@given(data=st.data(), body=BODIES)
def test_github_verify_agrees_with_githubs_documented_check(
    data: st.DataObject, body: bytes
) -> None:
    signature = data.draw(github_signatures(body))
    theirs = verdict(lambda: documented_check(body, signature, GH_SECRET))
    mine = ours(lambda: s.github_verify(body, {"X-Hub-Signature-256": signature}, GH_SECRET))
    assert mine == theirs, signature
    if signature.startswith("sha256="):  # the libraries also take sha1= (another header)
        gidget = verdict(
            lambda: gidgethub_sansio.validate_event(body, signature=signature, secret=GH_SECRET)
        )
        kit = githubkit_webhooks.verify(GH_SECRET, body, signature)
        assert mine == gidget == kit, signature


@pytest.mark.parametrize("mangle", [str.upper, lambda d: d + " ", lambda d: d + "\n"])
def test_github_refuses_upper_case_hex_and_trailing_whitespace(mangle) -> None:  # type: ignore[no-untyped-def]
    good = s.github_headers(b"{}", GH_SECRET)["X-Hub-Signature-256"]
    digest = good.removeprefix("sha256=")
    with pytest.raises(SignatureError, match="does not match"):
        s.github_verify(b"{}", {"X-Hub-Signature-256": "sha256=" + mangle(digest)}, GH_SECRET)


# -- Standard Webhooks ---------------------------------------------------------------------------

KEY = bytes(range(1, 33))
PADDED = "whsec_" + base64.b64encode(KEY[:25]).decode()  # 25 bytes: base64 ends in '='
UNPADDED = PADDED.rstrip("=")


@st.composite
def standard_headers(draw: st.DrawFn, body: bytes, secret: str) -> dict[str, str]:
    now = int(time.time())
    ts = now + draw(st.sampled_from([0, 30, -30, -3600, 3600]))
    msg_id = draw(st.sampled_from(["msg_1", "msg_2", ""]))
    good = s.standard_signature("msg_1", ts, body, PADDED).partition(",")[2]
    ts_text = draw(
        st.sampled_from(
            [str(ts), f"{ts}.9", f" {ts}", f"{ts}e0", f"{ts:_}", "", "abc", "nan", "1e400"]
        )
    )
    entries = []
    for _ in range(draw(st.integers(1, 3))):
        sig = draw(st.sampled_from([good, good.rstrip("="), good + "!!", "AAAA", good[:-2], ""]))
        version = draw(st.sampled_from(["v1", "v1", "v2", "V1"]))
        entries.append(draw(st.sampled_from([f"{version},{sig}", version, f"v1,{sig},x", ""])))
    joined = draw(st.sampled_from([" ", " ", "  "])).join(entries)
    return {"webhook-id": msg_id, "webhook-timestamp": ts_text, "webhook-signature": joined}


@FUZZ
@given(data=st.data(), body=BODIES, secret=st.sampled_from([PADDED, UNPADDED]))
def test_standard_verify_agrees_with_standardwebhooks(
    data: st.DataObject, body: bytes, secret: str
) -> None:
    headers = data.draw(standard_headers(body, secret))
    theirs = verdict(lambda: standardwebhooks.Webhook(secret).verify(body, headers))
    mine = ours(lambda: s.standard_verify(body, headers, secret))
    assert mine == theirs, headers


def test_unpadded_whsec_secrets_sign_as_standardwebhooks_does() -> None:
    from datetime import datetime, timezone

    ts = 1_700_000_000
    theirs = standardwebhooks.Webhook(UNPADDED).sign(
        "msg_1", datetime.fromtimestamp(ts, tz=timezone.utc), "{}"
    )
    assert s.standard_signature("msg_1", ts, b"{}", UNPADDED) == theirs
    headers = s.standard_headers("msg_1", b"{}", UNPADDED, ts)
    s.standard_verify(b"{}", headers, PADDED, now=ts)


def test_a_secret_that_is_no_base64_at_all_is_a_secret_error() -> None:
    with pytest.raises(SecretError, match="base64"):
        s.standard_signature("m", 1, b"{}", "whsec_")
    with pytest.raises(SecretError, match="base64"):
        s.standard_signature("m", 1, b"{}", "whsec_a")
