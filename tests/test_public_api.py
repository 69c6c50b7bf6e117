"""The public surface users and docs rely on, and the promise that importing hookmock is cheap."""

from __future__ import annotations

import json
import subprocess
import sys

import hookmock

HEAVY = (
    "faker",
    "jsonschema",
    "jsonschema_rs",
    "requests",
    "responses",
    "yaml",
    "httpx",
    "referencing",
)


def test_the_exported_names_are_the_documented_contract():
    assert hookmock.__all__ == sorted(hookmock.__all__)
    for name in hookmock.__all__:
        assert getattr(hookmock, name) is not None, name
    for name in (
        "event",
        "types",
        "schema",
        "validate",
        "sign",
        "verify",
        "stripe",
        "github",
        "standard",
        "story",
        "stories",
        "Story",
    ):
        assert name in hookmock.__all__


def test_the_built_in_providers_are_stripe_github_and_standard_webhooks():
    assert {"stripe", "github", "standard"} <= set(hookmock.provider_names())
    assert hookmock.standard is hookmock.provider("standard")
    assert isinstance(hookmock.standard, hookmock.Provider)


def test_every_error_derives_from_hookmock_error():
    errors = [
        getattr(hookmock, n)
        for n in hookmock.__all__
        if n.endswith("Error") and n != "HookmockError"
    ]
    assert errors
    for err in errors:
        assert issubclass(err, hookmock.HookmockError), err


def test_importing_hookmock_loads_none_of_the_heavy_libraries():
    code = (
        f"import sys, json, hookmock; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


#: The import budget of issue 9: what `import hookmock` and loading the plugin never pull in.
BUDGET = (
    "faker",
    "jsonschema",
    "referencing",
    "jsonschema_rs",
    "requests",
    "responses",
    "yaml",
    "trustme",
)


def test_importing_hookmock_and_its_plugin_loads_none_of_the_budgeted_libraries():
    code = (
        "import sys, json, hookmock, hookmock.plugin;"
        f" print(json.dumps([m for m in {BUDGET!r} if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_importing_hookmock_loads_only_the_package_and_its_errors():
    # Every pytest run in a user's environment pays for this: the rest loads on first use.
    code = (
        "import sys, json; before = set(sys.modules); import hookmock;"
        " print(json.dumps(sorted(m for m in set(sys.modules) - before"
        " if m.split('.')[0] == 'hookmock')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == ["hookmock", "hookmock._errors"]


def test_the_package_is_typed():
    from importlib.resources import files

    assert files("hookmock").joinpath("py.typed").is_file()


def test_errors_read_as_public_names_in_tracebacks():
    assert hookmock.DeliveryError.__module__ == "hookmock"
    assert hookmock.SchemaError.__module__ == "hookmock"
    assert "TYPE_CHECKING" not in dir(hookmock)
