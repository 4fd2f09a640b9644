from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoappConfig(AppConfig):
    name = "geoapp"
    verbose_name = "CivAtlas"

    def ready(self) -> None:
        from geoapp import checks, registry  # noqa: F401  (importing checks registers the system checks)
        from geoapp.roles import GRANTS

        # The map workspace itself; every app adds its own entries (geoapp.registry).
        registry.register(self.label, nav=[registry.NavEntry("map", _("区划地图"), "map", order=10)], grants=GRANTS)
