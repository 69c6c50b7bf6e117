"""GitHubProvider: the catalog, payload assembly, compact JSON or form bodies, and Hookshot headers."""

from __future__ import annotations

import hashlib
import json
import random
import re
import uuid
from urllib.parse import quote_plus

from hookmock.authoring import (
    ConfigurationError,
    Provider,
    SecretError,
    check_secret,
    derive_seed,
    did_you_mean,
    usable_id,
)
from hookmock.authoring import form_json as core_form_json

from . import _generated
from ._candidates import accepted, candidates
from ._catalog import entries, event_names, events_with_actions
from ._detect import GITHUB_EVENTS, detect, explain
from ._load import load_signer
from ._objects import Cast, World, enterprise, event_time, installation_ref, organization, unix
from ._signing import github_headers, github_verify

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any, ClassVar

    from hookmock.authoring import BuildContext, Event, Violation

#: Which kind of hook a delivery comes from (``X-GitHub-Hook-Installation-Target-Type``).
TARGET_TYPES = ("repository", "organization", "integration")
CONTENT_TYPES = {"json": "application/json", "form": "application/x-www-form-urlencoded"}


class GitHubProvider(Provider):
    """GitHub webhooks: ``<event>.<action>`` types, ``X-Hub-Signature-256`` signatures."""

    name = "github"
    title = "GitHub"
    signature_header = "X-Hub-Signature-256"
    signs_timestamp = False
    secret_rotation = False
    open_maps = frozenset({"inputs", "client_payload", "config", "permissions", "changes"})
    option_defaults: ClassVar[dict[str, Any]] = {
        "with_installation": False,
        "with_enterprise": False,
        "content_type": "json",
        "hook_id": None,
        "target_type": None,
    }
    timeout = 10.0
    #: GitHub never redelivers on its own; redelivery is manual or through the REST API.
    retries = False
    retry_schedule = ()
    #: The old SHA-1 signature is still sent, and as secret as the SHA-256 one.
    secret_headers = frozenset({"X-Hub-Signature-256", "X-Hub-Signature"})
    type_header = "X-GitHub-Event"
    id_header = "X-GitHub-Delivery"

    def subject_ids(self, event: Event) -> dict[str, object]:
        """The block named after the event (``pull_request.id``; ``comment.id`` for
        ``issue_comment``; ``head_commit.id`` for ``push``)."""
        root = event.type.partition(".")[0]
        names = [root, root[:-1] if root.endswith("s") else "", root.rpartition("_")[2]]
        names += [root.partition("_")[0], "head_commit" if root == "push" else ""]
        for name in names:
            block = event.payload.get(name) if name else None
            if isinstance(block, dict) and usable_id(block.get("id")):
                return {f"{name}.id": block["id"]}
        return {}

    def names_event(self, type: str) -> bool:
        """``pull_request`` (an event with actions) or a real event outside the catalog
        (``sponsorship``) stands for ``X-GitHub-Event``."""
        if "." in type:
            return False
        types = self.types()
        if type in types:
            return False
        return type in GITHUB_EVENTS or any(t.startswith(type + ".") for t in types)

    def unidentified(self, payload: Mapping[str, Any], *, cli: bool = False) -> str | None:
        """A payload with GitHub's ``repository``/``sender`` blocks, whose event no header names
        and its body does not tell: the types it could be are named, when there are any."""
        keys = [k for k in ("repository", "sender") if isinstance(payload.get(k), dict)]
        if not keys:
            return None
        shape = "/".join(keys)
        # Not "no schema": most such payloads are of types hookmock has, which share a shape
        # (the bypass, dismissal and exemption requests) or of one whose schema rejects it.
        detail = _candidates_note(payload)
        if cli:
            return (
                f"a GitHub payload (it has {shape}) whose event its shape does not tell,"
                " so it was not checked; name the event with a headers sidecar"
                f" (foo.headers.json with X-GitHub-Event) or --type EVENT.{detail}"
            )
        return (
            f"This is a GitHub payload (it has {shape}) whose event its shape does not"
            " tell, so it was not checked. Pass its delivery headers"
            f" (headers={{'X-GitHub-Event': ...}}) or type=...{detail}"
        )

    def stories(self) -> Mapping[str, Any]:
        """GitHub's stories (``hookmock.story("github", name)``), from ``_stories.py``."""
        # Import budget: the story definitions load when a story is asked for.
        from ._stories import STORIES

        return STORIES

    def api_mock(self) -> Any:
        """GitHub's REST API answered from delivered events (``api.github``)."""
        # Import budget: the API mock loads when a test asks for it, not with the provider.
        from ._api import GitHubAPI

        return GitHubAPI()

    # -- catalog ---------------------------------------------------------------------------------
    def entries(self) -> Mapping[str, Mapping[str, Any]]:
        return entries()

    def events(self) -> list[str]:
        """The event names (``X-GitHub-Event`` values) in the catalog."""
        return event_names()

    def traits_for(self, type: str) -> list[str]:
        """A hand-built type's traits (``catalog.json``); a generated type's from ``rules.yaml``."""
        entry = self._entry(type)
        if entry["builder"] is not None:
            return list(entry["traits"])
        return _generated.traits_for(type)

    def exclusive_traits(self, type: str) -> list[list[str]]:
        entry = self._entry(type)
        if entry["builder"] is not None:
            return [list(group) for group in entry["exclusive"]]
        allowed = set(_generated.traits_for(type))
        return [g for g in _generated.exclusive_traits() if len(allowed.intersection(g)) > 1]

    # -- generation ------------------------------------------------------------------------------
    def build(self, ctx: BuildContext) -> dict[str, Any]:
        # Import budget: the factories load with the first event, not for listing or validating.
        from ._events import BUILDERS, DROP, fresh

        _check_options(ctx.options)
        entry = entries()[ctx.type]
        if entry["builder"] is None:
            return _delivery_blocks(_generated.generate(ctx), ctx)
        cast = ctx.cast if isinstance(ctx.cast, Cast) else None
        world = World(_with_default_traits(ctx, entry), cast)
        body = BUILDERS[entry["builder"]](world, entry)
        payload: dict[str, Any] = {}
        if entry["action"] is not None:
            payload["action"] = entry["action"]
        payload.update(body)
        payload.setdefault("repository", world.repo)
        if world.org_owned:
            payload.setdefault("organization", organization(world))
        if ctx.options["with_enterprise"]:
            payload["enterprise"] = enterprise(world)
        payload.setdefault("sender", world.sender)
        if entry["state"].get("new"):
            fresh(payload, entry)
        # App-only actions (a check suite requested of an app) come only as App deliveries.
        if ctx.options["with_installation"] or entry["state"].get("app"):
            payload.setdefault("installation", installation_ref(world))
        # A builder marks shared blocks its event lacks (an app's ping has no repository).
        # Builders share objects (the owner is often the sender); copy them apart so that an
        # override of ``sender.login`` changes the sender only. Without overrides the sharing
        # is invisible (the body is serialised once), so the copy is skipped: it is a fifth of
        # the generation time.
        if not ctx.overrides:
            return {k: v for k, v in payload.items() if v is not DROP}
        return {k: _unshare(v) for k, v in payload.items() if v is not DROP}

    def finish(
        self, payload: dict[str, Any], ctx: BuildContext | None
    ) -> tuple[str, dict[str, Any]]:
        if ctx is not None:
            # Delivery metadata comes from its own seeded stream, so overriding a field never
            # changes the delivery GUID or hook id of an otherwise identical event.
            rng = random.Random(derive_seed("github-delivery", ctx.type, ctx.seed))
            options = ctx.options
        else:
            digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).digest()
            rng = random.Random(digest)
            options = dict(self.option_defaults)
        delivery = str(_uuid(rng))
        target_type = options.get("target_type") or _target_type(payload)
        meta: dict[str, Any] = {
            "delivery": delivery,
            "hook_id": _hook_id(payload, options, rng),
            "target_type": target_type,
            "target_id": _target_id(payload, target_type, rng),
            "hookshot": f"{rng.getrandbits(28):07x}",
            "content_type": options.get("content_type") or "json",
            "created": event_time(ctx.seed) if ctx is not None else _created(payload),
        }
        return delivery, meta

    def serialize(self, payload: dict[str, Any], meta: dict[str, Any]) -> bytes:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        if meta.get("content_type") == "form":
            return ("payload=" + quote_plus(text)).encode()
        return text.encode()

    def created_of(self, payload: dict[str, Any], meta: dict[str, Any]) -> int:
        return int(meta.get("created", 0))

    def from_payload(
        self,
        payload: dict[str, Any] | bytes | str,
        *,
        type: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Event:
        """Wrap a captured payload; a form body (``payload=<urlencoded JSON>``) is kept as is."""
        raw = payload.encode() if isinstance(payload, str) else payload
        if isinstance(raw, bytes) and raw.startswith(b"payload="):
            event = super().from_payload(
                form_json(raw), type=type, meta={"content_type": "form", **(meta or {})}
            )
            event.body = raw
            return event
        return super().from_payload(payload, type=type, meta=meta)

    def outside_catalog(self, type: str, payload: Mapping[str, Any]) -> bool:
        """A real GitHub event hookmock has no schema for (``code_scanning_alert``), or a real
        event with an action outside the catalog (``pull_request.enqueued``)."""
        event, dot, action = type.partition(".")
        if not dot:
            return event in GITHUB_EVENTS and event not in event_names()
        if event not in event_names():
            return event in GITHUB_EVENTS and bool(re.fullmatch(r"[a-z][a-z0-9_]*", action))
        if event not in events_with_actions() or not re.fullmatch(r"[a-z][a-z0-9_]*", action):
            return False
        # An action close to a catalog one is a typo (``opend``), not an action hookmock lacks.
        actions = [t.partition(".")[2] for t in self.entries() if t.startswith(f"{event}.")]
        return not did_you_mean(action, actions)

    # -- the wire --------------------------------------------------------------------------------
    def sign(
        self, body: bytes, secret: str | Sequence[str], *, timestamp: int | None = None, **kw: Any
    ) -> dict[str, str]:
        """``X-Hub-Signature-256`` and ``X-Hub-Signature`` for ``body``.

        GitHub signs no time and a hook has one secret, so ``timestamp=`` and a list of several
        secrets are refused, as :func:`hookmock.receiver` refuses them, rather than ignored.
        """
        if timestamp is not None:
            raise ConfigurationError(
                "GitHub signatures carry no timestamp, so timestamp= would change nothing (a"
                " GitHub receiver cannot reject a stale delivery by its signature). Leave it out."
            )
        if kw:
            raise ConfigurationError(
                f"GitHub sign() got unknown option(s) {', '.join(sorted(kw))}; it takes the body"
                " and the hook's secret."
            )
        secrets = check_secret(secret, self.name)
        if len(secrets) > 1:
            raise SecretError(
                f"GitHub has one secret per webhook and signs with it alone, so a list of"
                f" {len(secrets)} secrets would sign with the first and ignore the rest (a list"
                " is for Stripe's secret rotation). Pass the hook's secret as a string."
            )
        return github_headers(body, secrets[0])

    def load_signer(
        self, secrets: Sequence[str], headers: Mapping[str, str]
    ) -> Callable[[bytes, int], Mapping[str, str]]:
        """``hookmock load``'s signer: HMACs keyed once, not per delivery."""
        return load_signer(secrets, headers)

    def verify(
        self,
        body: bytes,
        headers: Mapping[str, str],
        secret: str,
        *,
        tolerance: int | None = None,
        now: int | None = None,
    ) -> None:
        github_verify(body, headers, check_secret(secret, self.name)[0])

    def headers(
        self,
        event: Event,
        secret: str | Sequence[str] | None,
        *,
        timestamp: int | None = None,
        unsigned: bool = False,
        **kw: Any,
    ) -> dict[str, str]:
        """Hookshot's header set; ``unsigned=True`` (with no secret) mimics a hook without one."""
        meta = event.meta
        if "delivery" not in meta:
            _, fresh = self.finish(event.payload, None)
            meta = {**fresh, **meta}
        if kw:
            raise ConfigurationError(
                f"GitHub headers() got unknown option(s) {', '.join(sorted(kw))};"
                " it accepts secret=..., and unsigned=True for a hook without a secret."
            )
        out = {
            "Content-Type": CONTENT_TYPES.get(meta.get("content_type", "json"), "application/json"),
            "User-Agent": f"GitHub-Hookshot/{meta['hookshot']}",
            "X-GitHub-Delivery": str(event.id or meta["delivery"]),
            "X-GitHub-Event": event.type.partition(".")[0],
            "X-GitHub-Hook-ID": str(meta["hook_id"]),
            "X-GitHub-Hook-Installation-Target-Type": str(meta["target_type"]),
            "X-GitHub-Hook-Installation-Target-ID": str(meta["target_id"]),
        }
        if unsigned and secret is None:
            return out
        out.update(self.sign(event.body, check_secret(secret, self.name), timestamp=timestamp))
        return out

    def detect(
        self, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> str | None:
        return detect(payload, headers)

    def explain(
        self,
        payload: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        *,
        headers_from: str = "headers=",
    ) -> tuple[str | None, list[Violation]] | None:
        """Why :meth:`detect` passed over a payload whose ``X-GitHub-Event`` does not fit it."""
        return explain(payload, headers, headers_from=headers_from)


def _candidates_note(payload: Mapping[str, Any]) -> str:
    """Which types a body no rule tells could be, for its skip message ('' when none)."""
    fits = candidates(payload)
    valid = accepted(payload, fits) if fits else []
    if len(valid) > 1:
        return f" It fits {len(valid)} types alike: {_some(valid)}."
    if valid:
        return f" It could be {valid[0]}, but holds nothing beyond its action to show it."
    if fits:
        # Its keys are those of these types, but no schema of them accepts it: naming the event
        # shows the findings.
        return f" Its action and keys are those of {_some(fits, 'or')}, whose schema rejects it."
    return ""


def _some(types: list[str], joint: str = "and") -> str:
    shown = types if len(types) <= 4 else [*types[:3], f"{len(types) - 3} more"]
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} {joint} {shown[-1]}"


def form_json(body: bytes) -> str:
    """The JSON text inside a form-encoded delivery body (``payload=<urlencoded JSON>``)."""
    return core_form_json(body, source="A form-encoded GitHub delivery")


def _uuid(rng: Any) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _delivery_blocks(payload: dict[str, Any], ctx: BuildContext) -> dict[str, Any]:
    """A generated payload with the blocks the delivery options ask for: ``installation`` (an
    App's delivery) and ``enterprise``. The pools leave both out unless the schema or the type's
    rules want them (the App-only check actions carry an installation)."""
    want_installation = ctx.options["with_installation"] and "installation" not in payload
    want_enterprise = ctx.options["with_enterprise"] and "enterprise" not in payload
    if want_installation or want_enterprise:
        # The hand factories' cast gives these blocks the shape the hand-built types send.
        world = World(ctx)
        if want_enterprise:
            payload["enterprise"] = enterprise(world)
        if want_installation:
            payload["installation"] = installation_ref(world)
    return payload


def _with_default_traits(ctx: BuildContext, entry: dict[str, Any]) -> BuildContext:
    """Add the type's default traits (``merged`` for ``pull_request.closed``) unless one is set."""
    defaults = entry["default_traits"]
    if defaults and not ctx.traits & set(entry["traits"]) - {"organization", "personal"}:
        ctx.traits = ctx.traits | set(defaults)
    return ctx


def _check_options(options: dict[str, Any]) -> None:
    ct = options.get("content_type")
    if ct not in CONTENT_TYPES:
        raise ConfigurationError(
            f"GitHub content_type must be 'json' or 'form', got {ct!r}."
            " 'form' sends payload=<urlencoded JSON> as application/x-www-form-urlencoded."
        )
    tt = options.get("target_type")
    if tt is not None and tt not in TARGET_TYPES:
        raise ConfigurationError(
            f"GitHub target_type must be one of {', '.join(TARGET_TYPES)}, got {tt!r}."
        )
    hook = options.get("hook_id")
    if hook is not None and (not isinstance(hook, int) or isinstance(hook, bool) or hook <= 0):
        raise ConfigurationError(f"GitHub hook_id must be a positive int, got {hook!r}.")


def _target_type(payload: Mapping[str, Any]) -> str:
    if isinstance(payload.get("installation"), dict):
        return "integration"
    if isinstance(payload.get("organization"), dict) and not isinstance(
        payload.get("repository"), dict
    ):
        return "organization"
    return "repository"


def _target_id(payload: Mapping[str, Any], target_type: str, rng: Any) -> int:
    block = {"integration": "installation", "organization": "organization"}.get(
        target_type, "repository"
    )
    got = payload.get(block)
    if isinstance(got, dict) and isinstance(got.get("id"), int):
        # For an app's hook the target is the app; the installation id is the closest we know.
        return int(got["id"])
    return int(rng.randrange(1_000_000, 900_000_000))


def _created(payload: Mapping[str, Any]) -> int:
    """A captured payload's time: its newest ``updated_at``-like stamp, as a unix time."""
    repo = payload.get("repository")
    candidates: list[int] = []
    if isinstance(repo, dict) and isinstance(repo.get("pushed_at"), int):
        candidates.append(repo["pushed_at"])
    for value in payload.values():
        if isinstance(value, dict):
            stamp = value.get("updated_at")
            if isinstance(stamp, str):
                try:
                    candidates.append(unix(stamp))
                except ValueError:
                    continue
    return max(candidates, default=0)


def _hook_id(payload: Mapping[str, Any], options: Mapping[str, Any], rng: Any) -> int:
    """The configured hook id; a ``ping`` names its hook, so the header agrees with it."""
    if options.get("hook_id"):
        return int(options["hook_id"])
    if isinstance(payload.get("hook_id"), int):
        return int(payload["hook_id"])
    return int(rng.randrange(100_000_000, 600_000_000))


def _unshare(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _unshare(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unshare(v) for v in value]
    return value
