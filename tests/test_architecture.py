"""The structure the code keeps (docs/architecture.md, issue 15): read from the source, no database.

- The apps import each other one way only (the matrix below); `lib` imports no app of ours.
- No import inside a function between two apps, unless the line says why it cannot be avoided
  (`# import here: …`) or it is an AppConfig.ready() (which runs once the apps are loaded).
- View modules reach scoped objects through selectors: no `Model.objects.get(...)`, no
  `get_object_or_404(Model, ...)` or `get_object_or_404(Model.objects..., ...)` on a model that belongs to a
  business's scope.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "lib",
    "accounts",
    "campaigns",
    "notifications",
    "ledgers",
    "inspections",
    "dashboard",
    "ops",
    "api",
    "wuxiao",
)

# Who may import whom (an app always imports itself). Arrows point one way: reading down the list, an app
# imports only apps above it. `wuxiao` is configuration: apps may use its Celery app and settings helpers
# (its modules import no app but urls.py, which wires every app's pages together).
_ORDER = APPS[:-1]
ALLOWED = {app: {*_ORDER[:i], "wuxiao"} for i, app in enumerate(_ORDER)}
ALLOWED["wuxiao"] = set(APPS)


# Models whose rows belong to a business's scope: a view reaches them only through a selector.
SCOPED_MODELS = {
    "Business",
    "Licence",
    "Visit",
    "VisitAnswer",
    "VisitPhoto",
    "RectificationOrder",
    "TipOff",
    "TipOffPhoto",
    "UnlicensedCase",
    "Sample",
    "SpotCheckDraw",
    "SpotCheckPair",
    "LedgerEntry",
    "LedgerAlert",
    "ImportRecord",
    "Message",
    "Bulletin",
    "Circular",
    "AcceptanceRecord",
}


def _modules():
    for app in APPS:
        base = ROOT / app
        if not base.exists():
            continue
        for path in sorted(base.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield app, path


def _imported_app(node: ast.AST, app: str, path: Path) -> str | None:
    if isinstance(node, ast.ImportFrom):
        if node.level:  # relative: inside the same app
            return app
        name = node.module or ""
    elif isinstance(node, ast.Import):
        name = node.names[0].name
    else:
        return None
    top = name.split(".")[0]
    return top if top in APPS else None


def _imports(tree: ast.AST):
    """(node, inside_function, in_ready) for every import statement."""

    def walk(node, in_function, in_ready):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, in_function, in_ready
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from walk(child, True, in_ready or child.name == "ready")
            else:
                yield from walk(child, in_function, in_ready)

    yield from walk(tree, False, False)


def test_apps_import_each_other_one_way_only():
    wrong = []
    for app, path in _modules():
        tree = ast.parse(path.read_text(), str(path))
        for node, _in_function, _in_ready in _imports(tree):
            target = _imported_app(node, app, path)
            if target and target != app and target not in ALLOWED[app]:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {target}")
    assert not wrong, "imports against the direction of docs/architecture.md:\n" + "\n".join(wrong)


def test_configuration_imports_no_app_but_the_url_map():
    wrong = []
    for path in sorted((ROOT / "wuxiao").glob("*.py")):
        if path.name == "urls.py":
            continue
        for node, _in_function, _in_ready in _imports(ast.parse(path.read_text())):
            target = _imported_app(node, "wuxiao", path)
            if target and target != "wuxiao":
                wrong.append(f"{path.name}:{node.lineno} imports {target}")
    assert not wrong, wrong


def test_no_function_level_import_between_apps_without_a_reason():
    wrong = []
    for app, path in _modules():
        source = path.read_text()
        lines = source.splitlines()
        tree = ast.parse(source, str(path))
        for node, in_function, in_ready in _imports(tree):
            target = _imported_app(node, app, path)
            if not in_function or in_ready or target is None or target == app:
                continue
            said = lines[node.lineno - 1] + (lines[node.lineno - 2] if node.lineno > 1 else "")
            if "import here:" not in said:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not wrong, "imports inside functions between apps, with no reason given:\n" + "\n".join(wrong)


def _view_modules():
    for _app, path in _modules():
        if "views" in path.parts or path.name == "views.py":
            yield path


def _model_name(node: ast.AST) -> str | None:
    """`Visit` for `Visit`, `Visit.objects`, `Visit.objects.select_related(...)`…"""
    while True:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return None


@pytest.mark.parametrize("path", list(_view_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_reach_scoped_objects_through_selectors(path):
    tree = ast.parse(path.read_text(), str(path))
    wrong = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "get_object_or_404" and node.args:
            name = _model_name(node.args[0])
            if name in SCOPED_MODELS:
                wrong.append(f"line {node.lineno}: get_object_or_404({name}…)")
        if isinstance(func, ast.Attribute) and func.attr == "get":
            owner = func.value
            if isinstance(owner, ast.Attribute) and owner.attr == "objects":
                name = _model_name(owner)
                if name in SCOPED_MODELS:
                    wrong.append(f"line {node.lineno}: {name}.objects.get(…)")
    assert not wrong, f"{path.relative_to(ROOT)} fetches scoped objects around the selectors:\n" + "\n".join(
        wrong
    )


def test_the_view_check_finds_what_it_is_meant_to_find(tmp_path):
    """The check above is no check if it cannot fail: it flags the idioms the structure issue removed."""
    source = (
        "def a(request, pk):\n"
        "    return get_object_or_404(Visit, pk=pk)\n"
        "def b(request, pk):\n"
        "    return Business.objects.get(pk=pk)\n"
        "def c(request, pk):\n"
        "    return get_object_or_404(selectors.visit_queryset(user=request.user), pk=pk)\n"
    )
    tree = ast.parse(source)
    flagged = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "get_object_or_404"
        ):
            if _model_name(node.args[0]) in SCOPED_MODELS:
                flagged.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            owner = node.func.value
            if (
                isinstance(owner, ast.Attribute)
                and owner.attr == "objects"
                and _model_name(owner) in SCOPED_MODELS
            ):
                flagged.append(node.lineno)
    assert flagged == [2, 4]
