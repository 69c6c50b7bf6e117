"""Pretty-printed JSON exactly as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it.

The standard library falls back to its pure-Python encoder whenever ``indent`` is set; this walk
does the same job in about half the time, and a test checks it byte for byte against json.dumps.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def pretty(value: Any) -> str:
    parts: list[str] = []
    add = parts.append
    enc = encode_basestring

    def walk(node: Any, indent: str) -> None:
        kind = type(node)
        if kind is str:
            add(enc(node))
        elif kind is dict:
            if not node:
                add("{}")
                return
            inner = indent + "  "
            sep = "{\n" + inner
            for key, item in node.items():
                add(sep)
                add(
                    enc(key) if type(key) is str else json.dumps({key: 0}, ensure_ascii=False)[1:-4]
                )
                add(": ")
                walk(item, inner)
                sep = ",\n" + inner
            add("\n" + indent + "}")
        elif kind is list:
            if not node:
                add("[]")
                return
            inner = indent + "  "
            sep = "[\n" + inner
            for item in node:
                add(sep)
                walk(item, inner)
                sep = ",\n" + inner
            add("\n" + indent + "]")
        elif node is None:
            add("null")
        elif node is True:
            add("true")
        elif node is False:
            add("false")
        elif kind is int:
            add(int.__repr__(node))
        else:  # floats, tuples, subclasses: let json decide (and raise for what it cannot encode)
            add(json.dumps(node, indent=2, ensure_ascii=False).replace("\n", "\n" + indent))

    walk(value, "")
    return "".join(parts)
