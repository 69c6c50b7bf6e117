"""GitHub: compile `@octokit/openapi-webhooks` (the api.github.com description) into schemas and a catalog.

Each entry of the description's `webhooks:` section is one event/action pair. Its request body
schema becomes `schemas/github/<event>.<action>.json` (or `<event>.json` for events without
actions); every component schema it reaches becomes `schemas/github/defs/<name>.json`, joined by
relative `$ref`s.

GitHub Enterprise Server sends a few pairs that api.github.com's description lacks (`cache_sync`,
`user.created`, the enterprise and repository `anonymous_access_*` actions, and the secret-scanning
bypass and dismissal requests). The same package ships a description per GHES release
(`package/generated/ghes-3.<minor>.json`); the pairs only the newest one has are compiled from it,
with their schemas at the same top-level place and the components they reach under
`schemas/github/ghes/defs/` (a GHES component may differ from the api.github.com one of the same
name). Their catalog entries say `"plan": "ghes"` and name the release.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from . import github_examples
from .output import ID_BASE, JSON, SCHEMA_DIALECT, Tree
from .sources import Archive, Pin, RefreshError

COMPONENT_PREFIX = "#/components/schemas/"
SCHEMA_DIR = "schemas/github"
CATALOG = "fixtures/github/webhooks.json"
GHES_PREFIX = "package/generated/ghes-"
#: What `format: date-time` means in GitHub's payloads, asserted (JSON Schema only annotates a
#: format): RFC 3339 with `Z` or an offset, optional fractions. A time in another shape is then a
#: violation with a message that names the expected form.
DATE_TIME = {
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
    "description": "an ISO 8601 date and time such as 2024-04-02T12:00:00Z",
}


def _event_name(post: dict[str, Any]) -> str:
    """The X-GitHub-Event value: the docs anchor, which GitHub spells with hyphens for a few events."""
    url = str(post.get("externalDocs", {}).get("url", ""))
    anchor = url.partition("#")[2] or str(post["x-github"]["subcategory"])
    return anchor.replace("-", "_")


def _action(post: dict[str, Any], root: dict[str, Any]) -> tuple[str | None, bool]:
    """(action, free_form). The schema's single `action` enum wins; else the operationId's tail."""
    variants = root.get("oneOf") or root.get("anyOf") or [root]
    enums: set[str] = set()
    declared = False
    for variant in variants:
        prop = variant.get("properties", {}).get("action")
        if prop is not None:
            declared = True
            enums.update(prop.get("enum", []))
            if "const" in prop:
                enums.add(prop["const"])
    operation = str(post["operationId"])
    if "/" not in operation:
        if declared and not enums:
            raise RefreshError(
                f"{operation}: the payload has an action but the operation names none"
            )
        return None, False
    tail = operation.partition("/")[2]
    if len(enums) == 1:
        return enums.pop(), False
    if enums:
        raise RefreshError(f"{operation}: its schema allows several actions {sorted(enums)}")
    # repository_dispatch: `action` is whatever event_type the dispatch request named.
    return tail, True


def _rewrite_refs(node: JSON, prefix: str) -> JSON:
    """`node` with component `$ref`s pointing at files under `prefix`, and date-time formats
    asserted (see DATE_TIME)."""
    if isinstance(node, dict):
        out: dict[str, JSON] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if not value.startswith(COMPONENT_PREFIX):
                    raise RefreshError(f"unexpected $ref {value!r} in the GitHub description")
                out[key] = f"{prefix}{value[len(COMPONENT_PREFIX) :]}.json"
            elif key in ("examples", "enum", "const", "default"):
                out[key] = copy.deepcopy(value)
            else:
                out[key] = _rewrite_refs(value, prefix)
        types = out.get("type")
        if out.get("format") == "date-time" and (types == "string" or "string" in (types or ())):
            out["allOf"] = [*out.get("allOf", []), dict(DATE_TIME)]
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, prefix) for item in node]
    return node


def _refs(node: JSON, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(COMPONENT_PREFIX):
                found.add(value[len(COMPONENT_PREFIX) :])
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for item in node:
            _refs(item, found)


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n")[0].replace("\n", " ").strip()


def load(archive: Archive, pin: Pin, *, member: str | None = None) -> dict[str, Any]:
    """The description in `member` (default: the pin's `member`, api.github.com's)."""
    member = member or pin.extra.get("member", "package/generated/api.github.com.json")
    document = json.loads(archive.read(member))
    if not isinstance(document, dict) or "webhooks" not in document:
        raise RefreshError(f"{archive.name}:{member} has no webhooks section")
    return document


def newest_ghes(archive: Archive) -> str | None:
    """The member holding the newest GHES description (`...ghes-3.19.json`), or None."""
    found: list[tuple[tuple[int, ...], str]] = []
    for name in archive.names(GHES_PREFIX, ".json"):
        version = name[len(GHES_PREFIX) : -len(".json")]
        try:
            found.append((tuple(int(part) for part in version.split(".")), name))
        except ValueError:
            continue
    return max(found)[1] if found else None


def compile_github(
    document: dict[str, Any],
    pin: Pin,
    tree: Tree,
    ghes: tuple[str, dict[str, Any]] | None = None,
) -> dict[str, JSON]:
    """Add the GitHub schemas and catalog to `tree`; return the examples found, by type name.

    `ghes` is (member name, document) of a GHES description: its pairs that `document` lacks are
    added as GHES-only types.
    """
    tree.own(SCHEMA_DIR)
    events: dict[str, dict[str, Any]] = {}
    types: dict[str, dict[str, Any]] = {}
    found_examples: dict[str, JSON] = {}
    defs = _compile_webhooks(document, tree, events, types, found_examples, "defs/", None)
    ghes_counts: dict[str, Any] = {}
    if ghes is not None:
        member, ghes_document = ghes
        release = member[len(GHES_PREFIX) : -len(".json")]
        before = len(types)
        ghes_defs = _compile_webhooks(
            ghes_document, tree, events, types, found_examples, "ghes/defs/", release
        )
        ghes_counts = {"release": release, "types": len(types) - before, "defs": ghes_defs}

    for ev in events.values():
        ev["actions"] = sorted(ev["actions"])
    catalog = {
        "provider": "github",
        "source": {
            "registry": pin.registry,
            "package": pin.package,
            "version": pin.version,
            "sha256": pin.sha256,
            "plan": document.get("info", {}).get("x-github-plan"),
            "ghes_member": ghes[0] if ghes is not None else None,
        },
        "counts": {"events": len(events), "types": len(types), "defs": defs, "ghes": ghes_counts},
        "events": events,
        "types": types,
    }
    tree.add(CATALOG, catalog)
    return found_examples


def relax_to_examples(tree: Tree, archive: Archive, pin: Pin) -> github_examples.Report:
    """Relax the compiled (and corrected) schemas to accept every example in `archive`
    (`@octokit/webhooks-examples`, see github_examples), and name that package in the catalog."""
    catalog = tree.files[CATALOG]
    report = github_examples.relax(tree, archive, pin, catalog["types"])
    catalog["source"]["examples"] = {
        "registry": pin.registry,
        "package": pin.package,
        "version": pin.version,
        "sha256": pin.sha256,
    }
    catalog["counts"]["relaxed"] = {
        "examples": report.examples,
        "schemas": len(report.relaxed),
        "fields": sum(len(names) for names in report.relaxed.values()),
    }
    return report


def _compile_webhooks(
    document: dict[str, Any],
    tree: Tree,
    events: dict[str, dict[str, Any]],
    types: dict[str, dict[str, Any]],
    found_examples: dict[str, JSON],
    defs_dir: str,
    ghes_release: str | None,
) -> int:
    """Compile the webhooks of `document` (for GHES: those `types` lacks); return the defs count."""
    components = document.get("components", {})
    schemas: dict[str, Any] = components.get("schemas", {})
    examples: dict[str, Any] = components.get("examples", {})
    reachable: set[str] = set()
    seen: set[str] = set()
    api_events = set(events) if ghes_release is not None else set()

    for key in sorted(document["webhooks"]):
        post = document["webhooks"][key]["post"]
        body = post["requestBody"]["content"]["application/json"]
        root_name = body["schema"]["$ref"][len(COMPONENT_PREFIX) :]
        root = schemas[root_name]
        event = _event_name(post)
        action, free_form = _action(post, root)
        # A free-form action (repository_dispatch's event_type) names no pair: key the event alone.
        name = f"{event}.{action}" if action and not free_form else event
        if name in seen:
            raise RefreshError(f"two webhooks of the GitHub description compile to {name}")
        seen.add(name)
        if ghes_release is not None and name in types:
            continue
        x_github = post.get("x-github", {})
        summary = str(post.get("summary", ""))
        description = str(post.get("description") or _first_paragraph(summary))
        schema_file = f"{name}.json"

        schema = _rewrite_refs(copy.deepcopy(root), defs_dir)
        schema["$schema"] = SCHEMA_DIALECT
        schema["$id"] = f"{ID_BASE}{SCHEMA_DIR}/{schema_file}"
        schema["description"] = description
        tree.add(f"{SCHEMA_DIR}/{schema_file}", schema)
        _refs(root, reachable)

        entry: dict[str, Any] = {
            "event": event,
            "action": action,
            "description": description,
            "schema": f"github/{schema_file}",
            "operation_id": post["operationId"],
            "github_cloud_only": bool(x_github.get("githubCloudOnly", False)),
            "supported_webhook_types": sorted(x_github.get("supported-webhook-types", [])),
        }
        if ghes_release is not None:
            entry["plan"] = "ghes"
            entry["ghes_release"] = ghes_release
        if free_form:
            entry["action"] = None
            entry["action_is_free_form"] = True
            entry["example_action"] = action
        if "enabledForGitHubApps" in x_github:
            entry["enabled_for_github_apps"] = bool(x_github["enabledForGitHubApps"])
        if post.get("tags"):
            entry["tags"] = sorted(post["tags"])
        for example in body.get("examples", {}).values():
            ref = str(example.get("$ref", ""))
            value = (
                examples.get(ref.rpartition("/")[2], {}).get("value")
                if ref
                else example.get("value")
            )
            if value is not None:
                found_examples[name] = value
                entry["has_upstream_example"] = True
        types[name] = entry

        ev = events.setdefault(
            event,
            {
                "description": _first_paragraph(summary),
                "docs": post.get("externalDocs", {}).get("url"),
                "category": x_github.get("category"),
                "subcategory": x_github.get("subcategory"),
                "actions": [],
                "supported_webhook_types": [],
            },
        )
        if ghes_release is not None and event not in api_events:
            # An event that api.github.com's description lacks entirely.
            ev["plan"] = "ghes"
            ev["ghes_release"] = ghes_release
        if action and not free_form:
            ev["actions"].append(action)
        ev["supported_webhook_types"] = sorted(
            set(ev["supported_webhook_types"]) | set(entry["supported_webhook_types"])
        )

    pending = sorted(reachable)
    done: set[str] = set()
    while pending:
        name = pending.pop()
        if name in done:
            continue
        done.add(name)
        if name not in schemas:
            raise RefreshError(f"the GitHub description references a missing schema {name}")
        more: set[str] = set()
        _refs(schemas[name], more)
        pending.extend(sorted(more - done))
    for name in sorted(done):
        schema = _rewrite_refs(copy.deepcopy(schemas[name]), "")
        schema["$schema"] = SCHEMA_DIALECT
        schema["$id"] = f"{ID_BASE}{SCHEMA_DIR}/{defs_dir}{name}.json"
        tree.add(f"{SCHEMA_DIR}/{defs_dir}{name}.json", schema)
    return len(done)
