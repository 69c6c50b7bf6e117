"""Built-in providers: one subpackage each (catalog, factories, envelope, signer, headers).

``BUILTIN`` is what the registry loads by name; each entry is a ``module:Class`` spec, the same
form a third-party package's ``hookmock.providers`` entry point takes.
"""

from __future__ import annotations

BUILTIN = {
    "stripe": "hookmock.providers.stripe:StripeProvider",
    "github": "hookmock.providers.github:GitHubProvider",
    "standard": "hookmock.providers.standard:StandardProvider",
}

#: The provider ``hookmock.receiver()`` and the pytest fixture speak unless told otherwise.
DEFAULT = "stripe"

#: ``Provider.ini_options`` of each built-in, known without importing it: pytest registers ini
#: options at every start, and importing the providers there would cost every run ~20 ms
#: (a test checks this table against the classes).
BUILTIN_INI_OPTIONS: dict[str, tuple[str, ...]] = {"stripe": ("api_version",)}
