"""Read stripe-python's source with `ast` (never importing it): resource classes, their annotated
fields and docstrings, the `enabled_events` list, and the thin event classes in `stripe/events/`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from .sources import Archive, RefreshError

ENABLED_EVENTS = "stripe/params/_webhook_endpoint_create_params.py"
EVENTS_DIR = "stripe/events/"


@dataclass
class PyField:
    name: str
    annotation: ast.expr
    doc: str


@dataclass
class PyClass:
    module: str
    path: str  # dotted path inside the module: "Refund.DestinationDetails.Card"
    doc: str
    bases: list[str]
    object_name: str | None
    fields: list[PyField] = field(default_factory=list)
    # the def file's stem when the class is not a resource (thin event classes: "thin.<type>")
    file_stem: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.module, self.path)


@dataclass
class PyModule:
    name: str
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)
    classes: dict[str, PyClass] = field(default_factory=dict)


@dataclass(frozen=True)
class ThinEvent:
    type: str
    module: str
    class_name: str
    related_object: str | None  # "module:Class" of fetch_related_object's return type
    has_related_object: bool
    data_class: str | None  # dotted path of the event's data class, when it declares one
    description: str


def _doc(node: ast.AST | None) -> str:
    if (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ):
        return " ".join(line.strip() for line in node.value.value.strip().splitlines())
    return ""


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Subscript):
        return _base_name(node.value)
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _imports(tree: ast.Module, into: dict[str, tuple[str, str]]) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                into[alias.asname or alias.name] = (node.module, alias.name)


def _class(module: str, node: ast.ClassDef, prefix: str, into: dict[str, PyClass]) -> None:
    path = f"{prefix}.{node.name}" if prefix else node.name
    info = PyClass(
        module=module,
        path=path,
        doc=_doc(node.body[0]) if node.body else "",
        bases=[_base_name(b) for b in node.bases],
        object_name=None,
    )
    into[path] = info
    body = node.body
    for position, stmt in enumerate(body):
        if isinstance(stmt, ast.ClassDef):
            _class(module, stmt, path, into)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            if _base_name(stmt.annotation) == "ClassVar":
                if name == "OBJECT_NAME" and isinstance(stmt.value, ast.Constant):
                    info.object_name = str(stmt.value.value)
                continue
            following = body[position + 1] if position + 1 < len(body) else None
            info.fields.append(PyField(name=name, annotation=stmt.annotation, doc=_doc(following)))
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if (
                isinstance(target, ast.Name)
                and target.id == "OBJECT_NAME"
                and isinstance(stmt.value, ast.Constant)
            ):
                info.object_name = str(stmt.value.value)


def _module_name(member: str) -> str:
    return member[: -len(".py")].replace("/", ".").removesuffix(".__init__")


def _wanted(member: str) -> bool:
    if not member.startswith("stripe/") or not member.endswith(".py"):
        return False
    return not (member.startswith(("stripe/params/", EVENTS_DIR)) or member.endswith("_service.py"))


class PyIndex:
    def __init__(self) -> None:
        self.modules: dict[str, PyModule] = {}
        self.by_object: dict[str, list[PyClass]] = {}

    def add(self, member: str, source: str) -> PyModule:
        name = _module_name(member)
        tree = ast.parse(source, filename=member)
        module = PyModule(name)
        _imports(tree, module.imports)
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                _class(name, node, "", module.classes)
        self.modules[name] = module
        for cls in module.classes.values():
            if cls.object_name and "." not in cls.path:
                self.by_object.setdefault(cls.object_name, []).append(cls)
        return module

    def cls(self, module: str, path: str) -> PyClass:
        return self.modules[module].classes[path]

    def resolve(self, module: str, scope: str, name: str) -> PyClass | None:
        """The class `name` means inside class `scope` of `module`, by Python's lookup rules for
        nested classes used in annotations, then module level, then imports."""
        mod = self.modules.get(module)
        if mod is None:
            return None
        parts = scope.split(".") if scope else []
        for depth in range(len(parts), -1, -1):
            candidate = ".".join([*parts[:depth], name])
            if candidate in mod.classes:
                return mod.classes[candidate]
        head, _, rest = name.partition(".")
        if head in mod.imports:
            target_module, target_name = mod.imports[head]
            target = self.modules.get(target_module)
            path = f"{target_name}.{rest}" if rest else target_name
            if target is not None and path in target.classes:
                return target.classes[path]
        return None


def load(archive: Archive) -> PyIndex:
    index = PyIndex()
    for member in archive.names("stripe/", ".py"):
        if _wanted(member):
            index.add(member, archive.text(member))
    return index


def api_version(archive: Archive) -> str:
    match = re.search(r'CURRENT\s*=\s*"([^"]+)"', archive.text("stripe/_api_version.py"))
    if not match:
        raise RefreshError(f"{archive.name}: cannot read stripe/_api_version.py")
    return match.group(1)


def enabled_events(archive: Archive) -> list[str]:
    tree = ast.parse(archive.text(ENABLED_EVENTS))
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if node.target.id != "enabled_events":
                continue
            names = [
                n.value
                for n in ast.walk(node.annotation)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            if names:
                return sorted(set(names) - {"*"})
    raise RefreshError(f"{archive.name}: {ENABLED_EVENTS} has no enabled_events Literal")


def _string_value(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def thin_events(archive: Archive, index: PyIndex) -> list[ThinEvent]:
    """The event classes in stripe/events/ (their modules are added to `index`)."""
    found: dict[str, ThinEvent] = {}
    for member in archive.names(EVENTS_DIR, ".py"):
        if not member.rpartition("/")[2].startswith("_v"):
            continue
        source = archive.text(member)
        module = index.add(member, source)
        tree = ast.parse(source)
        for node in tree.body:
            if not isinstance(node, ast.ClassDef) or node.name.endswith("EventNotification"):
                continue
            lookup = None
            related = None
            has_related = False
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "LOOKUP_TYPE" for t in stmt.targets
                ):
                    lookup = _string_value(stmt.value)
                if isinstance(stmt, ast.FunctionDef) and stmt.name == "fetch_related_object":
                    has_related = True
                    returns = _string_value(stmt.returns) if stmt.returns else None
                    if returns and returns in module.imports:
                        target_module, target_name = module.imports[returns]
                        related = f"{target_module}:{target_name}"
            if lookup is None:
                continue
            if lookup in found:
                raise RefreshError(f"{member}: thin event {lookup} is declared twice")
            cls = module.classes[node.name]
            cls.file_stem = f"thin.{lookup}"
            data_class = None
            for fld in cls.fields:
                if fld.name == "data":
                    data_class = _base_name(fld.annotation)
            found[lookup] = ThinEvent(
                type=lookup,
                module=module.name,
                class_name=node.name,
                related_object=related,
                has_related_object=has_related,
                data_class=f"{node.name}.{data_class}" if data_class else None,
                description=cls.doc,
            )
    registered = _registered_thin_types(archive)
    if registered != set(found):
        odd = sorted(registered ^ set(found))
        raise RefreshError(
            f"stripe/events/: classes and _event_classes.py disagree on {', '.join(odd[:5])}"
        )
    return [found[k] for k in sorted(found)]


def _registered_thin_types(archive: Archive) -> set[str]:
    """The keys of the lookup table stripe-python's parse_event_notification dispatches on."""
    tree = ast.parse(archive.text(EVENTS_DIR + "_event_classes.py"))
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        name = target.id if isinstance(target, ast.Name) else ""
        if name == "_V2_EVENT_NOTIFICATION_CLASS_LOOKUP" and isinstance(value, ast.Dict):
            return {
                k.value
                for k in value.keys
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            }
    raise RefreshError(
        f"{archive.name}: no _V2_EVENT_NOTIFICATION_CLASS_LOOKUP in stripe/events/_event_classes.py"
    )
