"""Load hookmock's pytest plugin for the examples when hookmock runs from a plain checkout.

Once hookmock is installed (``pip install hookmock``), its ``pytest11`` entry point loads the
plugin and this file is not needed: your own project needs no conftest for hookmock.
"""

from importlib.metadata import entry_points

if not any(ep.name == "hookmock" for ep in entry_points(group="pytest11")):
    pytest_plugins = ["hookmock.plugin"]
