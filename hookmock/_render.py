"""How each front end words an error from its fields (see :class:`hookmock.HookmockError`).

Loaded with the first templated error, not by ``import hookmock``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._errors import HookmockError

#: The front ends that render hookmock's errors, each in its own terms: the Python API, the
#: command line, a YAML contract, the pytest plugin.
FRONT_ENDS = ("python", "cli", "yaml", "pytest")

#: How each front end names the knob that fixes an error (:attr:`HookmockError.argument`): a
#: keyword argument in Python, a flag on the command line, a key in a YAML contract, an ini
#: option or marker in pytest. ``{value}`` and ``{provider}`` come from the error; a front end
#: missing from an entry words it as Python does.
KNOBS: dict[str, dict[str, str]] = {
    "allow_new": {
        "python": "wrap the value: hookmock.new(value) (or pass allow_new=True)",
        "cli": "pass --allow-new",
        "yaml": "add allow_new: true",
    },
    "allow_insecure_http": {"python": "allow_insecure_http=True", "cli": "--allow-insecure-http"},
    # Where the catalog's types are listed.
    "list_types": {
        "python": "Run `hookmock list {provider}` or call hookmock.types({provider!r}) to see all"
        " of them.",
        "cli": "Run `hookmock list {provider}` to see all of them.",
    },
    # The secret, shown with an example value.
    "secret": {"python": "secret={value!r}", "cli": "--secret {value}", "yaml": "secret: {value}"},
    # Where a missing secret goes.
    "secret_missing": {
        "python": "Pass the secret your endpoint verifies with, secret=..., for example"
        " secret={value!r}; in pytest you can set the hookmock_{provider}_secret ini option"
        " (or hookmock_secrets = {provider}=...) or @pytest.mark.hookmock(secret=...)",
        "cli": "Pass --secret with the secret your endpoint verifies with, for example"
        " --secret {value}",
        "yaml": "Give the contract a secret: key (or pass secret=... to run_contract), for"
        " example secret: {value}",
    },
}

#: How each front end spells an override path (``data__object__amount``, ``data.object.amount``).
PATH_SEPARATORS = {"python": "__", "cli": ".", "yaml": ".", "pytest": "__"}


def render(exc: HookmockError, front_end: str = "python") -> str:
    """``exc``'s template filled in ``front_end``'s terms (paths joined its way, its knob)."""
    if exc.template is None:
        return str(exc)
    sep = PATH_SEPARATORS.get(front_end, "__")
    if front_end == "python" and isinstance(exc.fields.get("sep"), str):
        # Paths written with another separator (dots) are shown as they were written.
        sep = str(exc.fields["sep"])
    pieces: dict[str, object] = {
        "provider": exc.provider,
        "type": exc.type,
        "path": sep.join(exc.path),
        "fix": fix(exc, front_end),
    }
    for name, field in exc.fields.items():
        # A tuple of keys is a path (hookmock._errors.Path): joined the front end's way.
        pieces[name] = sep.join(field) if isinstance(field, tuple) else field
    return exc.template.format_map(pieces)


def fix(exc: HookmockError, front_end: str = "python") -> str:
    """The knob that fixes ``exc``, named as ``front_end`` names it ("" if none)."""
    if exc.argument is None:
        return ""
    wording = KNOBS.get(exc.argument, {})
    text = wording.get(front_end) or wording.get("python") or exc.argument
    return text.format(value=exc.value, provider=exc.provider)
