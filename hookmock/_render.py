"""How each front end words an error from its fields (see :class:`hookmock.HookmockError`).

A template's fields are text, or values each front end words its own way: a tuple of keys (an
override path, :class:`hookmock._errors.Path`), an :class:`Option` (an argument and its value),
a :class:`Setting` (a path set to a value), or a list of these. Loaded with the first templated
error or by the modules that build such fields (stories, story delivery), not by
``import hookmock``.
"""

from __future__ import annotations

from dataclasses import dataclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._errors import HookmockError


@dataclass(frozen=True)
class Option:
    """An argument given a value, inside an error: ``send_story(order=[0, 0])`` in Python,
    ``--order [0, 0]`` on the command line, ``order: [0, 0]`` in a contract. ``value`` is the
    text to show (None: the argument alone, ``send_story(order=...)``)."""

    call: str
    name: str
    value: str | None = None

    def render(self, front_end: str) -> str:
        if front_end == "cli":
            flag = "--" + self.name.replace("_", "-")
            return flag if self.value is None else f"{flag} {self.value}"
        if front_end == "yaml":
            return self.name if self.value is None else f"{self.name}: {self.value}"
        return f"{self.call}({self.name}={'...' if self.value is None else self.value})"


@dataclass(frozen=True)
class Setting:
    """An override path given a value (``customer__email='a@b.c'``): its keys are joined the
    front end's way, the value shown as Python shows it."""

    path: tuple[str, ...]
    value: object

    def render(self, sep: str) -> str:
        return f"{sep.join(self.path)}={self.value!r}"


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
        pieces[name] = _field(field, front_end, sep)
    return exc.template.format_map(pieces)


def _field(field: object, front_end: str, sep: str) -> object:
    """One field in ``front_end``'s terms: a tuple of keys is a path (hookmock._errors.Path),
    joined the front end's way; a list is its items so rendered, comma-separated."""
    if isinstance(field, tuple):
        return sep.join(field)
    if isinstance(field, Option):
        return field.render(front_end)
    if isinstance(field, Setting):
        return field.render(sep)
    if isinstance(field, list):
        return ", ".join(str(_field(item, front_end, sep)) for item in field)
    return field


def fix(exc: HookmockError, front_end: str = "python") -> str:
    """The knob that fixes ``exc``, named as ``front_end`` names it ("" if none)."""
    if exc.argument is None:
        return ""
    wording = KNOBS.get(exc.argument, {})
    text = wording.get(front_end) or wording.get("python") or exc.argument
    return text.format(value=exc.value, provider=exc.provider)
