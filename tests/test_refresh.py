"""tools/refresh.py: the committed schemas and catalogs are what the pinned sources compile to.

The compile reads the pinned packages from the download cache (``.cache/refresh/``, filled by
one ``python tools/refresh.py``); without it the tests that compile skip, and `.ci/run`'s
``python tools/refresh.py --check`` does the same check there.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

import refresh  # noqa: E402  (tools/ is not a package)
from refresh_lib import corrections, output, sources  # noqa: E402


def _cached() -> bool:
    pins = sources.load_pins(TOOLS / "pins.toml")
    return all((ROOT / ".cache" / "refresh" / pin.file).exists() for pin in pins.values())


needs_cache = pytest.mark.skipif(
    not _cached(), reason="run `python tools/refresh.py` once to fill .cache/refresh/"
)


@pytest.fixture(scope="module")
def compiled() -> output.Tree:
    args = refresh.parse_args(["--offline"])
    tree, _ = refresh.build(args, io.StringIO())
    return tree


def _tree(files: dict[str, Any]) -> output.Tree:
    tree = output.Tree()
    tree.own("schemas/acme")
    for path, doc in files.items():
        tree.add(path, doc)
    return tree


def test_check_names_changed_missing_and_stale_files(tmp_path: Path) -> None:
    tree = _tree({"schemas/acme/a.json": {"x": 1}, "schemas/acme/b.json": {"y": 2}})
    output.write(tmp_path, tree)
    assert output.differences(tmp_path, tree) == []
    (tmp_path / "schemas/acme/a.json").write_text('{"x": 2}\n')
    (tmp_path / "schemas/acme/b.json").unlink()
    (tmp_path / "schemas/acme/old.json").write_text("{}\n")
    assert output.differences(tmp_path, tree) == [
        "changed  schemas/acme/a.json",
        "missing  schemas/acme/b.json",
        "stale    schemas/acme/old.json",
    ]
    written, removed = output.write(tmp_path, tree)
    assert (written, removed) == (2, 1)
    assert output.differences(tmp_path, tree) == []


def test_the_rendering_is_canonical_whatever_the_key_order() -> None:
    one = output.render({"b": [1, {"d": "é", "c": None}], "a": 1})
    other = output.render({"a": 1, "b": [1, {"c": None, "d": "é"}]})
    assert one == other
    assert one.endswith(b"\n")
    assert "é".encode() in one


def test_the_default_output_is_the_repository_and_check_writes_nothing() -> None:
    args = refresh.parse_args([])
    assert args.out == ROOT
    assert not args.check


@needs_cache
def test_the_committed_schemas_and_catalogs_are_what_the_pins_compile_to(
    compiled: output.Tree,
) -> None:
    assert output.differences(ROOT, compiled) == []


@needs_cache
def test_check_exits_1_and_lists_a_file_that_drifted(
    tmp_path: Path, compiled: output.Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One compile for the module: main() gets the fixture's tree instead of compiling again.
    monkeypatch.setattr(refresh, "build", lambda args, err: (compiled, {}))
    out = io.StringIO()
    assert refresh.main(["--offline", "--out", str(tmp_path)], out, io.StringIO()) == 0
    assert refresh.main(["--offline", "--check", "--out", str(tmp_path)], out, out) == 0
    target = tmp_path / "schemas/github/push.json"
    doc = json.loads(target.read_text())
    doc["description"] = "edited by hand"
    target.write_text(json.dumps(doc))
    (tmp_path / "schemas/github/defs/nobody.json").write_text("{}")
    out, err = io.StringIO(), io.StringIO()
    assert refresh.main(["--offline", "--check", "--out", str(tmp_path)], out, err) == 1
    assert out.getvalue().splitlines() == [
        "changed  schemas/github/push.json",
        "stale    schemas/github/defs/nobody.json",
    ]
    assert "run `python tools/refresh.py`" in err.getvalue()


@needs_cache
def test_github_compiles_every_pair_plus_the_ghes_only_ones(compiled: output.Tree) -> None:
    catalog = compiled.files["fixtures/github/webhooks.json"]
    types = catalog["types"]
    ghes = sorted(t for t, e in types.items() if e.get("plan") == "ghes")
    assert len(types) - len(ghes) == 261
    assert {"cache_sync", "user.created", "user.deleted"} <= set(ghes)
    assert catalog["source"]["ghes_member"] == "package/generated/ghes-3.19.json"
    for name in ghes:
        schema = compiled.files[f"schemas/github/{name}.json"]
        refs = json.dumps(schema)
        # GHES components live apart: one of the same name may differ on api.github.com.
        assert '"defs/' not in refs.replace('"ghes/defs/', ""), name
    assert catalog["events"]["user"]["plan"] == "ghes"
    assert "plan" not in catalog["events"]["repository"]  # api.github.com has it too


@needs_cache
def test_a_hash_mismatch_is_refused_with_what_to_do(tmp_path: Path) -> None:
    pins = (TOOLS / "pins.toml").read_text()
    real = sources.load_pins(TOOLS / "pins.toml")["github"].sha256
    (tmp_path / "pins.toml").write_text(pins.replace(real, "0" * 64))
    err = io.StringIO()
    code = refresh.main(
        ["--offline", "--check", "--pins", str(tmp_path / "pins.toml")], io.StringIO(), err
    )
    assert code == 2
    assert f"hashes to {real}" in err.getvalue()


def _unrequire(tmp_path: Path, names: str) -> output.Tree:
    (tmp_path / "acme.yaml").write_text(
        "corrections:\n"
        "  - target: schemas/acme/job.json#/properties/job/required\n"
        f"    unrequire: [{names}]\n"
        "    reason: older jobs lack it\n"
        "    evidence: a documented 2021 payload\n",
        encoding="utf-8",
    )
    job = {"properties": {"job": {"required": ["id", "run_attempt"]}}}
    tree = _tree({"schemas/acme/job.json": job})
    corrections.apply(tree, corrections.load(tmp_path / "acme.yaml"))
    return tree


def test_unrequire_drops_the_names_from_the_required_list(tmp_path: Path) -> None:
    tree = _unrequire(tmp_path, "run_attempt")
    assert tree.files["schemas/acme/job.json"] == {"properties": {"job": {"required": ["id"]}}}


def test_unrequire_of_a_name_no_longer_required_stops_the_refresh(tmp_path: Path) -> None:
    with pytest.raises(
        sources.RefreshError, match=r"no longer applies.*workflow_name not required"
    ):
        _unrequire(tmp_path, "run_attempt, workflow_name")
