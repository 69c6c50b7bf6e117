"""What the pytest plugin and the contract-file collector share: the session seed's stash key
and where the configuration gives a provider its secret. Standard library and pytest only."""

from __future__ import annotations

import pytest

__all__ = ["SECRETS_INI", "SEED", "configured_secret"]

SEED: pytest.StashKey[int] = pytest.StashKey()  # annotated, not subscripted: cheaper at import

#: ``provider=secret`` lines: a secret for any provider, with no option to register first.
SECRETS_INI = "hookmock_secrets"


def configured_secret(config: pytest.Config, provider: str) -> tuple[str | None, str]:
    """The secret the pytest configuration gives ``provider``, and where it came from
    (``"the hookmock_acme_secret ini option"``): ``hookmock_<provider>_secret`` first, then a
    ``provider=secret`` line of ``hookmock_secrets``. ``(None, where to set one)`` if neither."""
    option = f"hookmock_{provider}_secret"
    try:
        value = str(config.getini(option) or "")
    except ValueError:  # a provider registered after pytest started: no such option
        value = ""
    if value:
        return value, f"the {option} ini option"
    for line in config.getini(SECRETS_INI):
        name, sep, secret = str(line).partition("=")
        if not sep:
            raise pytest.UsageError(
                f"{SECRETS_INI} takes one provider=secret a line; got {line!r}."
            )
        if name.strip() == provider and secret.strip():
            return secret.strip(), f"the {provider}= line of the {SECRETS_INI} ini option"
    return None, f"the {option} ini option"
