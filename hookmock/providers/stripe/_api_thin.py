"""The API mock's thin-event routes: what ``fetch_event()`` and ``fetch_related_object()`` get.

A receiver of a thin event (``v2.core.event`` notification) calls stripe-python's
``notification.fetch_event()`` (``GET /v2/core/events/{id}``) and ``fetch_related_object()``
(``GET`` on ``related_object.url``). Both are answered from the notifications delivered so far:
the full event carries the notification's id, type, time, context and related object, and the
related object has the id and kind the notification names. The rest of each body is generated
from the compiled schemas, seeded by the event id, so a second fetch returns the same JSON.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Mapping
from typing import Any

from faker import Faker

from hookmock import provider
from hookmock.authoring import BuildContext, derive_seed

from . import _generated

#: What stripe-python's thin-event fetches GET.
EVENTS_PATH = "/v2/core/events/"


class ThinEvents:
    """Delivered thin notifications, by event id and by their related object's URL path."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._notes: dict[str, dict[str, Any]] = {}
        self._related: dict[str, str] = {}  # related_object.url path -> event id
        self._made: dict[str, Any] = {}  # cache: "event:<id>" / "object:<id>" -> body

    def record(self, payload: Mapping[str, Any]) -> bool:
        """Keep ``payload`` if it is a thin notification of a known type; say whether it was."""
        if payload.get("object") != "v2.core.event":
            return False
        eid, kind = payload.get("id"), payload.get("type")
        if not (isinstance(eid, str) and isinstance(kind, str)):
            return False
        if kind not in _generated.thin_catalog()["types"]:
            return False
        note = dict(payload)
        with self._lock:
            self._notes[eid] = note
            self._made.pop(f"event:{eid}", None)
            related = note.get("related_object")
            if isinstance(related, dict) and isinstance(related.get("url"), str):
                self._related[_path(related["url"])] = eid
        return True

    def answer(self, path: str) -> Any | None:
        """The body for a GET of ``path``, or None when it is no thin-event route."""
        with self._lock:
            if path.startswith(EVENTS_PATH):
                eid = path[len(EVENTS_PATH) :].strip("/")
                note = self._notes.get(eid)
                if note is None:
                    return None
                key = f"event:{eid}"
                if key not in self._made:
                    self._made[key] = _generated.thin_event(_ctx(note), note)
                return self._made[key]
            owner = self._related.get(_path(path))
            if owner is None:
                return None
            note = self._notes[owner]
            related = note["related_object"]
            key = f"object:{related['id']}"
            if key not in self._made:
                self._made[key] = _related_object(note)
            return self._made[key]


def _path(url: str) -> str:
    """``/v1/billing/meters/mtr_1`` from a path or a full ``https://api.stripe.com/...`` URL."""
    if "://" in url:
        url = "/" + url.split("://", 1)[1].partition("/")[2]
    return url.partition("?")[0].rstrip("/")


def _ctx(note: Mapping[str, Any]) -> BuildContext:
    """A build context seeded by the notification's id: the same id, the same bodies."""
    seed = derive_seed(zlib.crc32(str(note["id"]).encode()), str(note["type"]))
    faker = Faker("en_US")
    faker.seed_instance(seed)
    return BuildContext(
        type=str(note["type"]),
        seed=seed,
        faker=faker,
        traits=frozenset(),
        options={},
        overrides={},
    )


def _related_object(note: Mapping[str, Any]) -> dict[str, Any]:
    """The object as a fetch now finds it: for a v1 type with a snapshot twin, the twin's
    ``data.object`` (an invoice fetched after ``v1.invoice.paid`` is paid), else generated from
    the related object's schema."""
    related = note["related_object"]
    kind = str(note["type"])
    ctx = _ctx(note)
    livemode = bool(note.get("livemode", False))
    twin = _generated.thin_catalog()["types"][kind].get("snapshot_type")
    made: dict[str, Any] = {}
    if twin:
        snapshot = provider("stripe").event(twin, seed=ctx.seed, livemode=livemode)
        found = snapshot.payload["data"]["object"]
        if isinstance(found, dict) and found.get("object") == related.get("type"):
            made = found
    if not made:
        uri = _generated.related_schema(kind)
        made = {} if uri is None else _generated.generator().generate(uri, ctx)
    made["id"] = related["id"]
    if "livemode" in made:
        made["livemode"] = livemode
    return made
