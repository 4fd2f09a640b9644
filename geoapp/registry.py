"""What each app adds to the site: navigation entries, landing pages, map layers, role grants.

geoapp is the foundation the feature apps (boundaries, placenames, facilities) stand on,
so it must not name them (imports flow one way, DESIGN.md Layout). Each app instead
declares what it adds by calling ``register`` from its ``AppConfig.ready``; geoapp's
header (``geoapp.navigation``), map workspace (``geoapp.views.map_config``) and role
groups (``geoapp.roles.ensure_roles``) iterate the declarations. A new app plugs in
with one ``register`` call and geoapp does not change (docs/adr/0030).

Declarations hold URL *names*, reversed per request, never at import: ``ready`` runs
before the URLconf is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.module_loading import import_string

# "app_label.model" -> actions ("view", "add", "change", ...): one role's model permissions.
Grants = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class NavEntry:
    """One header entry: the page it opens and the test that page itself makes.

    ``order`` places it among every app's entries (the header reads left to right by it);
    ``permission`` is "app.codename" (empty: anyone); ``predicate`` is the dotted path of
    a ``function(user) -> bool`` of the owning app, tested after the permission.
    """

    key: str
    label: str
    url_name: str
    order: int
    permission: str = ""
    predicate: str = ""
    login: bool = False

    def allows(self, user) -> bool:
        if (self.login or self.permission or self.predicate) and not user.is_authenticated:
            return False
        if self.permission and not user.has_perm(self.permission):
            return False
        return not self.predicate or import_string(self.predicate)(user)


@dataclass(frozen=True)
class LandingPage:
    """Where someone starts their day when the login form had no ``next``.

    The first declaration (by ``order``) whose ``permission`` the user holds and whose
    ``unless`` they lack wins; without one they land on the map. Chosen by permission,
    never by role name.
    """

    url_name: str
    order: int
    permission: str
    unless: str = ""

    def suits(self, user) -> bool:
        return user.has_perm(self.permission) and not (self.unless and user.has_perm(self.unless))


@dataclass(frozen=True)
class MapUrl:
    """A URL the map workspace's script reads, as ``config[section][key]``.

    With ``arg`` the URL is reversed with that sample path segment, which the script
    replaces: ``arg="0", placeholder="{id}"`` gives ``/facilities/{id}/``. With ``nav``
    the URL is given only to someone who may open that navigation entry ("" otherwise).
    """

    key: str
    url_name: str
    arg: str = ""
    placeholder: str = ""
    nav: str = ""


@dataclass(frozen=True)
class MapLayer:
    """What an app adds to the map workspace: API and page URLs, and optional legend data.

    ``legend`` is a ``function() -> dict`` of JSON-ready data the layer's script needs
    (kinds, statuses, labels), put into the config under the layer's ``key``.
    """

    key: str
    api: tuple[MapUrl, ...] = ()
    pages: tuple[MapUrl, ...] = ()
    legend: Callable[[], dict] | None = None


@dataclass(frozen=True)
class Declaration:
    """Everything one app adds; ``grants`` maps a role (its slug) to that role's grants."""

    app: str
    nav: tuple[NavEntry, ...] = ()
    landing: tuple[LandingPage, ...] = ()
    map_layers: tuple[MapLayer, ...] = ()
    grants: Mapping[str, Grants] = field(default_factory=dict)


_DECLARATIONS: dict[str, Declaration] = {}


def register(app: str, *, nav=(), landing=(), map_layers=(), grants: Mapping[str, Grants] | None = None) -> None:
    """Record what ``app`` (its label) adds; calling again replaces its declaration."""
    _DECLARATIONS[app] = Declaration(app, tuple(nav), tuple(landing), tuple(map_layers), dict(grants or {}))


def declarations() -> list[Declaration]:
    """Every app's declaration, in INSTALLED_APPS order (the order ``ready`` runs in)."""
    return list(_DECLARATIONS.values())


def nav_entries() -> list[NavEntry]:
    return sorted((entry for d in _DECLARATIONS.values() for entry in d.nav), key=lambda e: e.order)


def landing_pages() -> list[LandingPage]:
    return sorted((page for d in _DECLARATIONS.values() for page in d.landing), key=lambda p: p.order)


def map_layers() -> list[MapLayer]:
    return [layer for d in _DECLARATIONS.values() for layer in d.map_layers]


def grants_for(role: str) -> list[Grants]:
    """Every app's grants to ``role``, for ``geoapp.roles.grant`` to add up."""
    return [d.grants[role] for d in _DECLARATIONS.values() if role in d.grants]
