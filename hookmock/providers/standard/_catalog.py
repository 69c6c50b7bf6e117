"""The user's event types: registered one by one, from a folder of JSON Schemas, or by a subclass.

Standard Webhooks fixes the envelope and the signature, not the events: each sender (Svix's
users, a company's own webhooks) has its own. So the catalog starts empty and is filled in.
"""

from __future__ import annotations

import copy
import json
import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path

from hookmock.authoring import ArgumentTypeError, ConfigurationError, SchemaError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

#: What a type name may hold: the spec's examples (``user.created``, ``invoice.paid``) and more,
#: but nothing that cannot be a file name or that would read badly in a message.
TYPE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,254}")


class Catalog:
    """Event types by name, each with its description and the JSON Schema of its ``data``."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        #: Bumped on every change, so cached schema documents can tell they are stale.
        self.version = 0

    def __contains__(self, type: object) -> bool:
        return type in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._entries))

    def entries(self) -> Mapping[str, Mapping[str, Any]]:
        return self._entries

    def add(
        self,
        type: object,
        schema: object = None,
        *,
        description: object = "",
        replace: bool = False,
        source: str = "",
    ) -> None:
        name = check_type_name(type)
        if not isinstance(description, str):
            raise ArgumentTypeError(
                f"description= is one line of text about {name!r}, got {type_of(description)}."
            )
        data_schema = check_schema(schema, name, source) if schema is not None else None
        if not description and data_schema is not None:
            found = data_schema.get("description") or data_schema.get("title")
            description = found if isinstance(found, str) else ""
        with self._lock:
            if name in self._entries and not replace:
                raise ConfigurationError(
                    f"The event type {name!r} is already registered; pass replace=True to"
                    " register it again with the new schema."
                )
            entries = dict(self._entries)
            entries[name] = {
                "description": str(description).strip().splitlines()[0] if description else "",
                "schema": data_schema,
            }
            self._entries = entries  # swapped whole: readers never see a half-made dict
            self.version += 1

    def remove(self, type: str) -> None:
        with self._lock:
            if type not in self._entries:
                return
            entries = dict(self._entries)
            del entries[type]
            self._entries = entries
            self.version += 1

    def add_folder(self, folder: object, *, replace: bool = False) -> list[str]:
        """Register every ``<type>.json`` in ``folder`` (not its subfolders); return the types."""
        if not isinstance(folder, (str, os.PathLike)):
            raise ArgumentTypeError(
                f"register_folder() takes a folder path (str or pathlib.Path), got"
                f" {type_of(folder)}."
            )
        root = Path(folder)
        if not root.is_dir():
            raise ConfigurationError(
                f"{str(root)!r} is not a folder. register_folder() takes a folder of JSON"
                " Schemas, one per event type, each named <type>.json (invoice.paid.json)."
            )
        files = sorted(p for p in root.glob("*.json") if p.is_file())
        if not files:
            raise ConfigurationError(
                f"{str(root)!r} holds no *.json file; name each event type's schema"
                " <type>.json (invoice.paid.json)."
            )
        loaded: list[tuple[str, dict[str, Any], str]] = []
        for path in files:
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                raise SchemaError(f"{path}: not a readable JSON file ({exc}).") from None
            loaded.append((path.name[: -len(".json")], doc, str(path)))
        # Check every file before registering any, so a bad one leaves the catalog as it was.
        for name, doc, source in loaded:
            check_type_name(name, source=source)
            check_schema(doc, name, source)
        for name, doc, source in loaded:
            self.add(name, doc, replace=replace, source=source)
        return [name for name, _, _ in loaded]


def check_type_name(type: object, *, source: str = "") -> str:
    if not isinstance(type, str):
        raise ArgumentTypeError(
            f"an event type is named by a str such as 'invoice.paid', got {type_of(type)}."
        )
    if not TYPE_NAME.fullmatch(type):
        where = f"{source}: " if source else ""
        raise ConfigurationError(
            f"{where}{type[:60]!r} is not a usable event type name: use letters, digits and"
            " . _ : - (up to 255 characters), such as 'invoice.paid'."
        )
    return type


def check_schema(schema: object, type: str, source: str = "") -> dict[str, Any]:
    """A JSON Schema for ``data``: a dict that jsonschema accepts as a schema (2020-12)."""
    where = source or f"the schema of {type!r}"
    if isinstance(schema, bool) or not isinstance(schema, Mapping):
        raise ArgumentTypeError(
            f"{where}: a schema is a JSON Schema as a dict, such as"
            ' {"type": "object", "properties": {"id": {"type": "string"}}}; got'
            f" {type_of(schema)}."
        )
    doc = copy.deepcopy(dict(schema))
    # Import budget: jsonschema loads when a type is registered, not with the provider.
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError as JSONSchemaError

    try:
        Draft202012Validator.check_schema(doc)
    except JSONSchemaError as exc:
        at = "/".join(map(str, exc.absolute_path)) or "(root)"
        raise SchemaError(f"{where} is not a valid JSON Schema at {at}: {exc.message}") from None
    kind = doc.get("type")
    if kind is not None and kind != "object" and not (isinstance(kind, list) and "object" in kind):
        raise SchemaError(
            f'{where}: Standard Webhooks\' "data" is a JSON object, so its schema should have'
            f' "type": "object", not {kind!r}.'
        )
    return doc


def type_of(value: object) -> str:
    return f"{type(value).__name__} {value!r:.40}"
