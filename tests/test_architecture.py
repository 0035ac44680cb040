"""The layers of docs/architecture.md: which app may import which.

Read from the source with `ast`, lazy imports inside functions and migrations included, so a
shortcut taken anywhere in an app shows here.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("audit", "documents", "cases", "eligibility", "screener")
# What each app may import of the others. `config` (settings, URLs, Celery) sits above them
# all, except its leaf `config.site` (the site's absolute URLs), which imports no app.
LEAVES = {"config.site"}
MAY_IMPORT = {
    "audit": set(),
    "documents": set(),
    "cases": {"audit"},
    "eligibility": {"audit", "cases", "documents"},
    "screener": {"audit", "cases", "documents", "eligibility"},
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names - LEAVES} & {*APPS, "config"}


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_layers_below_it(app):
    allowed = MAY_IMPORT[app] | {app}
    offenders = {
        str(path.relative_to(ROOT)): sorted(found - allowed)
        for path in sorted((ROOT / app).rglob("*.py"))
        if (found := imported_apps(path)) - allowed
    }
    assert offenders == {}


def test_config_leaves_import_no_app():
    for leaf in LEAVES:
        assert imported_apps(ROOT / f"{leaf.replace('.', '/')}.py") == set()


def test_every_app_is_placed_in_a_layer():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages - {"config", "tests", "benchmarks", "scripts"} == set(MAY_IMPORT)


def test_rows_are_locked_through_for_change_only():
    # A bare select_for_update() is FOR UPDATE, which deadlocks with the audit chain's lock
    # (audit/locking.py says how); for_change takes FOR NO KEY UPDATE.
    bare = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path != ROOT / "audit" / "locking.py"
        and "select_for_update(" in path.read_text(encoding="utf-8")
    ]
    assert bare == []
