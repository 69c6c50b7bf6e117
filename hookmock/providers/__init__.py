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

#: What the command line's help shows in its examples: the default provider, event types and a
#: secret of its own, known without importing it (help is printed before any provider loads).
EXAMPLE = {
    "provider": DEFAULT,
    "type": "payment_intent.succeeded",
    "area": "payment_intent",
    "batch_type": "invoice.paid",
    "schema_type": "charge.refunded",
    "secret": "whsec_test",
    "amount_path": "data.object.amount",
}
