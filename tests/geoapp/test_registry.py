"""The foundation does not know the features: each app declares what it adds
(header entries, landing pages, map layers, role grants) through ``geoapp.registry``,
its declarations reach the header, the map and the role groups, and no geoapp module
imports a feature app when it is loaded."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geoapp import registry
from geoapp.roles import ROLE_ORDER, ensure_roles
from geoapp.views import map_config

FEATURE_APPS = ("boundaries", "placenames", "facilities")
GEOAPP = Path(settings.BASE_DIR) / "geoapp"

# geoapp modules that still import a feature app when loaded, and why. geoapp.tiles and
# geoapp.ows are Django apps installed after the features they serve (tiles and WFS of
# divisions, lines, names, facilities, signs): see docs/adr/0030.
MODULE_LEVEL_IMPORTS_ALLOWED = {
    "tiles/generalise.py": {"boundaries.codes"},
    "tiles/mvt.py": {"boundaries.codes"},
    "ows/views.py": {"boundaries.models", "facilities.models", "placenames.models"},
}


def _module_level_feature_imports(path: Path) -> set[str]:
    """Modules of feature apps imported outside any function body of ``path``."""
    found = set()
    stack = list(ast.parse(path.read_text(encoding="utf-8")).body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue  # imported when called, after every app is loaded
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            names = []
        found |= {name for name in names if name.split(".")[0] in FEATURE_APPS}
        stack.extend(ast.iter_child_nodes(node))
    return found


def test_no_geoapp_module_imports_a_feature_app_when_loaded():
    found = {}
    for path in sorted(GEOAPP.rglob("*.py")):
        relative = path.relative_to(GEOAPP).as_posix()
        imports = _module_level_feature_imports(path)
        if imports - MODULE_LEVEL_IMPORTS_ALLOWED.get(relative, set()):
            found[relative] = sorted(imports)
    assert found == {}


def test_the_import_walk_sees_a_class_body_import_but_not_a_function_body_one(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("class A:\n    from facilities.models import Facility\n\n"
                      "def f():\n    from boundaries.models import Division\n", encoding="utf-8")
    assert _module_level_feature_imports(module) == {"facilities.models"}


def test_every_app_declares_grants_for_its_own_models_only():
    declared = {d.app: d for d in registry.declarations()}
    assert {"geoapp", *FEATURE_APPS} <= declared.keys()
    for app, declaration in declared.items():
        assert declaration.grants, app
        assert set(declaration.grants) <= set(ROLE_ORDER), app
        for grants in declaration.grants.values():
            assert {label.split(".")[0] for label in grants} == {app}, app


@pytest.mark.parametrize("app", ["geoapp", *FEATURE_APPS])
def test_each_apps_declared_grants_reach_the_role_groups(db, app):
    groups = ensure_roles()
    declaration = next(d for d in registry.declarations() if d.app == app)
    for role, grants in declaration.grants.items():
        held = set(groups[role].permissions.values_list("content_type__app_label", "codename"))
        for label, actions in grants.items():
            app_label, model = label.split(".")
            assert {(app_label, f"{action}_{model}") for action in actions} <= held, (app, role, label)


def test_every_declared_page_and_permission_exists(db):
    def exists(perm):
        app_label, codename = perm.split(".")
        return Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()

    for entry in registry.nav_entries():
        assert reverse(entry.url_name) and (not entry.permission or exists(entry.permission)), entry
    for page in registry.landing_pages():
        assert reverse(page.url_name) and exists(page.permission) and (not page.unless or exists(page.unless)), page
    keys = [entry.key for entry in registry.nav_entries()]
    assert len(keys) == len(set(keys))


def test_only_a_field_worker_lands_on_the_field_page(db, administrator, zoning_officer, field_worker, planner):
    from geoapp.navigation import landing_url

    assert [landing_url(u) for u in (administrator, zoning_officer, field_worker, planner)] == ["/", "/", "/field/", "/"]


@pytest.fixture
def plugged_in_app(monkeypatch):
    """An app that adds a header entry and a map URL, registered as its AppConfig.ready would."""
    declarations = dict(registry._DECLARATIONS)
    monkeypatch.setattr(registry, "_DECLARATIONS", declarations)
    registry.register(
        "markers",
        nav=[registry.NavEntry("markers", _("界桩"), "help", order=85, permission="boundaries.view_boundarymarker")],
        map_layers=[registry.MapLayer("markers", api=(registry.MapUrl("markers", "help"),), legend=lambda: {"n": 1})],
    )


def test_a_new_app_plugs_into_the_header_and_the_map_without_geoapp_changing(db, plugged_in_app, zoning_officer,
                                                                             planner):
    client = Client()
    client.force_login(zoning_officer)
    assert 'data-nav="markers"' in client.get("/").content.decode()
    config = client.get("/").context["map_config"]
    assert config["api"]["markers"] == reverse("help") and config["markers"] == {"n": 1}
    client.force_login(planner)  # planners hold no marker permission
    assert 'data-nav="markers"' not in client.get("/").content.decode()


def test_the_map_config_carries_every_layers_urls(rf, planner, field_worker):
    request = rf.get("/")
    request.user = planner
    config = map_config(request)
    assert config["api"]["division_detail"] == "/api/divisions/{code}/"
    assert config["pages"]["facility"] == "/facilities/{id}/"
    assert config["pages"]["facility_gaps"] == reverse("facility-gaps")
    request.user = field_worker  # field workers may not analyse
    assert map_config(request)["pages"]["facility_gaps"] == ""
