"""``hookmock generate``: sample events as pretty JSON, JSON lines, YAML, or one file per event."""

from __future__ import annotations

import itertools
import json
import os

import yaml

from .._redaction import secret_header_names
from .._registry import get_provider, provider_names
from .._reporters import one_line
from .._seeding import random_seed
from .._stories import Story, stories, story
from .common import UsageError, parse_sets

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable, Iterator, Sequence
    from typing import Any, TextIO

    from .._event import Event
    from .common import Streams

#: Placeholder secret for the header sidecars written next to generated files; the signature
#: headers are dropped, so it never appears anywhere.
_SIDECAR_SECRET = "hookmock-sidecar"


def build_event(
    provider_name: str,
    type: str,
    *,
    seed: int,
    sets: Sequence[str] | None = None,
    traits: Sequence[str] = (),
    allow_new: bool = False,
) -> Event:
    """One event as the library builds it, with ``--set`` paths written with dots."""
    prov = get_provider(provider_name)
    prov.check_type(type)
    tree = parse_sets(sets)
    options = {k: tree.pop(k) for k in list(tree) if k in prov.option_defaults}
    # An OverrideError names its path and fix as fields; the CLI renders them (cli_message).
    return prov.event(
        type, seed=seed, overrides=tree, traits=traits, allow_new=allow_new, **options
    )


def run(args: argparse.Namespace, io: Streams) -> int:
    if check_story_flags(args, "generate"):
        return run_story(args, io)
    if args.count < 1:
        raise UsageError(f"--count must be at least 1, got {args.count}.")
    if args.output is not None and not args.output.strip():
        raise UsageError("-o is empty; name a file (event.json) or a directory (payloads/).")
    get_provider(args.provider).check_type(args.type)  # before the seed line: nothing to redo
    parse_sets(args.set)  # a malformed --set, too
    count = args.count
    fmt = args.format
    target = args.output
    to_dir = target is not None and _names_a_directory(target, count)
    if target is not None and not to_dir:
        fmt = _file_format(target, fmt, count)
    seed = random_seed() if args.seed is None else args.seed
    # Events are built one at a time and written as they come: a million of them take the
    # memory of one. The first is built before anything is written, so a bad --set or trait
    # leaves no half-written output (and no seed line for nothing).
    events = _events(args, seed)
    first = next(events)
    if args.seed is None:
        io.stderr.write(f"hookmock: seed {seed} (pass --seed {seed} to reproduce)\n")
    stream = itertools.chain([first], events)
    if target is None:
        # Unset --format: one event is pretty JSON, several are JSON lines (pipe-friendly);
        # an explicit --format json with several events is one JSON array.
        _stream(io.stdout, stream, fmt or ("json" if count == 1 else "ndjson"), count)
        return 0
    if to_dir:
        fmt = fmt or "json"
        _make_dirs(target, target)
        written = 0
        for ev in stream:
            _write(os.path.join(target, f"{ev.type}-{_safe(ev.id)}.{_EXT[fmt]}"), [ev], fmt)
            written += 1

        io.stderr.write(one_line(f"hookmock: wrote {written} file(s) to {target}") + "\n")
        return 0
    parent = os.path.dirname(target)
    if parent:
        _make_dirs(parent, target)
    try:
        if count == 1:
            _write(target, [first], fmt or "json")
        else:
            with open(target, "w", encoding="utf-8", newline="\n") as fh:
                _stream(fh, stream, fmt or "ndjson", count)
    except IsADirectoryError:
        raise UsageError(f"-o {target}: is a directory; end it with / to write into it.") from None
    return 0


def check_story_flags(args: argparse.Namespace, command: str) -> bool:
    """Whether ``--story`` was given; refuses story flags without it, TYPE or --trait with it,
    and a missing PROVIDER/TYPE without it (both are optional positionals for --story's sake)."""
    only = [
        flag
        for flag, name in (
            ("--param", "param"),
            ("--order", "order"),
            ("--drop", "drop"),
            ("--duplicates", "duplicates"),
            ("--concurrency", "concurrency"),
        )
        if getattr(args, name, None) is not None
    ]
    if args.story is None:
        if only:
            raise UsageError(f"{only[0]} applies to --story NAME only.")
        if args.provider is None or args.type is None:
            missing = "PROVIDER and TYPE" if args.provider is None else "TYPE"
            raise UsageError(
                f"{command} needs {missing} (`hookmock list` shows the types),"
                " or --story NAME for a story's events."
            )
        return False
    if args.type is not None:
        raise UsageError(
            f"give TYPE ({args.type}) or --story {args.story}, not both: a story sends its own"
            " event types."
        )
    for flag, name in (("--trait", "trait"), ("--allow-new", "allow_new"), ("--count", "count")):
        value = getattr(args, name, None)
        if value and not (name == "count" and value == 1):
            raise UsageError(f"{flag} does not apply to --story (a story's events are fixed).")
    return True


def tell_story(args: argparse.Namespace, seed: int) -> Story:
    """The story ``--story`` names, told with ``--param`` and ``--set`` (shared-object fields);
    PROVIDER, when left out, is the one that has a story of that name."""
    provider = args.provider or _story_provider(args.story)
    params: dict[str, Any] = {}
    for item in args.param or ():
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(
                f"--param {item!r} should be KEY=VALUE, for example --param amount=4900."
            )
        try:
            params[key.strip()] = json.loads(text)
        except ValueError:
            params[key.strip()] = text  # not JSON: the text itself
    overrides = parse_sets(args.set)
    if overrides:
        params["overrides"] = overrides
    # A story's errors carry their override paths as fields: the command line's handler renders
    # them dotted, as --set takes them.
    return story(provider, args.story, seed=seed, **params)


def _story_provider(name: str) -> str:
    told = {p: stories(p) for p in provider_names()}
    having = [p for p, names in told.items() if name in names]
    if len(having) == 1:
        return having[0]
    if having:
        raise UsageError(
            f"--story {name}: {' and '.join(having)} both have it; name the provider:"
            f" PROVIDER --story {name}."
        )
    listing = "; ".join(f"{p}: {', '.join(names)}" for p, names in told.items() if names)
    raise UsageError(f"no provider has a story {name!r}. The stories: {listing or '(none)'}.")


def run_story(args: argparse.Namespace, io: Streams) -> int:
    """``generate --story NAME``: the story's events in causal order, as NDJSON (stdout) or
    one file each in ``-o DIR`` (``00-<type>-<id>.json``, numbered in story order)."""
    seed = random_seed() if args.seed is None else args.seed
    told = tell_story(args, seed)
    if args.seed is None:
        io.stderr.write(f"hookmock: seed {seed} (pass --seed {seed} to reproduce)\n")
    events = list(told)
    count = len(events)
    fmt = args.format
    target = args.output
    if target is None:
        _stream(io.stdout, events, fmt or "ndjson", count)
        return 0
    if not target.strip():
        raise UsageError("-o is empty; name a directory (story/) or an .ndjson or .yaml file.")
    if _names_a_directory(target, count):
        fmt = fmt or "json"
        _make_dirs(target, target)
        width = len(str(count - 1))
        for n, ev in enumerate(events):
            name = f"{n:0{width}d}-{ev.type}-{_safe(ev.id)}.{_EXT[fmt]}"
            _write(os.path.join(target, name), [ev], fmt)
        io.stderr.write(one_line(f"hookmock: wrote {count} file(s) to {target}") + "\n")
        return 0
    if (fmt or _NAMED_FORMATS.get(os.path.splitext(target)[1].lower())) == "json":
        raise UsageError(
            f"-o {target}: a story has {count} events and a .json file holds one; write them"
            " to a directory (-o story/) or to an .ndjson or .yaml file."
        )
    fmt = _file_format(target, fmt, count)
    parent = os.path.dirname(target)
    if parent:
        _make_dirs(parent, target)
    with open(target, "w", encoding="utf-8", newline="\n") as fh:
        _stream(fh, events, fmt, count)
    return 0


def _events(args: argparse.Namespace, seed: int) -> Iterator[Event]:
    for i in range(args.count):
        yield build_event(
            args.provider,
            args.type,
            seed=seed + i,
            sets=args.set,
            traits=args.trait or (),
            allow_new=args.allow_new,
        )


def _file_format(target: str, fmt: str | None, count: int) -> str:
    """The format of ``-o FILE``: --format, or what the file's suffix says; refused when the
    two disagree (YAML in a .json file) or when several events would go into a .json file."""
    suffix = os.path.splitext(target)[1].lower()
    implied = _NAMED_FORMATS.get(suffix)
    if fmt is not None and implied is not None and fmt != implied:
        stem = target[: -len(suffix)]
        raise UsageError(
            f"-o {target}: a {suffix} file, but --format {fmt}; name it {stem}.{_EXT[fmt]}"
            f" or pass --format {implied}."
        )
    chosen = fmt or implied or ("json" if count == 1 else None)
    if chosen is None or (count > 1 and chosen == "json"):
        raise UsageError(
            f"-o {target}: --count {count} makes {count} events and -o names one"
            " file, so -o must be a directory (e.g. -o payloads/), or pass --format ndjson"
            " (or yaml) to write them all into this one file."
        )
    return chosen


#: The format a file name says.
_NAMED_FORMATS = {
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".yaml": "yaml",
    ".yml": "yaml",
}


#: Names that say "a file" to -o, even before the file exists.
_FILE_SUFFIXES = (".json", ".ndjson", ".jsonl", ".yaml", ".yml")


def _names_a_directory(target: str, count: int) -> bool:
    """Whether ``-o target`` is a directory: it is one, ends with /, or is a new name without a
    file suffix that is to take several events."""
    if os.path.isdir(target) or target.endswith(("/", os.sep)):
        return True
    if count == 1 or os.path.exists(target):
        return False
    return not target.lower().endswith(_FILE_SUFFIXES)


def _make_dirs(path: str, target: str) -> None:
    """``os.makedirs``, with a clear word when part of the path (of ``-o target``) is a file."""
    try:
        os.makedirs(path, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = path
        probe = path
        while probe and probe != os.path.dirname(probe):
            if os.path.exists(probe) and not os.path.isdir(probe):
                blocker = probe
            probe = os.path.dirname(probe)
        raise UsageError(f"-o {target}: {blocker} is a file, not a directory.") from None


_EXT = {"json": "json", "ndjson": "ndjson", "yaml": "yaml"}


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


def _write(path: str, events: list[Event], fmt: str) -> None:
    if fmt == "json" and len(events) == 1:
        # A file holds exactly the bytes that are sent, so `hookmock sign` on it matches.
        with open(path, "wb") as fh:
            fh.write(events[0].body)
    else:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(_render(events, fmt))
    if fmt == "json" and path.endswith(".json"):
        headers = _sidecar_headers(events[0])
        if headers:
            with open(path[: -len(".json")] + ".headers.json", "w", encoding="utf-8") as fh:
                fh.write(json.dumps(headers, indent=2) + "\n")


def _sidecar_headers(ev: Event) -> dict[str, str] | None:
    """Delivery headers for providers whose type is in a header (``Provider.type_header``), so
    that ``hookmock validate`` can tell the type later; None when the payload says it itself."""
    if get_provider(ev.provider).detect(ev.payload, None) == ev.type:
        return None
    headers = ev.headers(_SIDECAR_SECRET)
    hidden = secret_header_names()
    return {
        k: v for k, v in headers.items() if k.lower() not in hidden and "signature" not in k.lower()
    }


def _stream(out: TextIO, events: Iterable[Event], fmt: str, count: int) -> None:
    """Write events as they come, in ``fmt``; several JSON events make one JSON array."""
    if fmt == "json" and count > 1:
        # Byte for byte what json.dumps(list, indent=2) gives, one element at a time.
        joint = "[\n  "
        for ev in events:
            text = json.dumps(ev.payload, indent=2, ensure_ascii=False)
            out.write(joint + text.replace("\n", "\n  "))
            joint = ",\n  "
        out.write("\n]\n")
        return
    for ev in events:
        out.write(_render([ev], fmt))


def _render(events: list[Event], fmt: str) -> str:
    if fmt == "yaml":
        return "".join(
            yaml.safe_dump(ev.payload, sort_keys=False, allow_unicode=True, explicit_start=True)
            for ev in events
        )
    if fmt == "ndjson":
        return "".join(
            json.dumps(ev.payload, ensure_ascii=False, separators=(",", ":")) + "\n"
            for ev in events
        )
    if len(events) > 1:
        return json.dumps([ev.payload for ev in events], indent=2, ensure_ascii=False) + "\n"
    ev = events[0]
    text = ev.body.decode("utf-8")
    if "\n" not in text.strip():
        # Bodies sent as compact JSON are shown pretty; a pretty-printed body is shown as sent.
        text = json.dumps(ev.payload, indent=2, ensure_ascii=False)
    return text.rstrip("\n") + "\n"
