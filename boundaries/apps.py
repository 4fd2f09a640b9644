from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoundariesConfig(AppConfig):
    name = "boundaries"
    verbose_name = "行政区划与界线"

    def ready(self):
        # The register's own checks (boundaries.register; docs/adr/0012).
        from boundaries.register_checks import register_boundary_checks

        register_boundary_checks()
        # The inspection phone page shares the field service worker (geoapp.offline).
        from boundaries.inspections.field_views import FIELD_ASSETS, TEMPLATE
        from geoapp.offline import register_field_page

        register_field_page(shell="inspection-field", assets=FIELD_ASSETS, data=("inspection-field-data",),
                            template=TEMPLATE)
        # Header entries, the map's division URLs and the roles' grants (geoapp.registry; docs/adr/0030).
        from boundaries.roles import GRANTS
        from geoapp.registry import MapLayer, MapUrl, NavEntry, register

        register(
            self.label,
            nav=[
                NavEntry("editor", _("界线编辑"), "boundary-editor", order=40, permission="boundaries.edit_boundaryline"),
                NavEntry("changes", _("区划调整"), "division-change-list", order=50,
                         permission="boundaries.change_division"),
                NavEntry("inspections", _("界线联检"), "inspection-schedule", order=60,
                         permission="boundaries.view_jointinspection"),
            ],
            map_layers=[MapLayer("divisions", api=(
                MapUrl("divisions", "division-list"),
                MapUrl("division_detail", "division-detail", arg="000000000000", placeholder="{code}"),
                MapUrl("division_search", "division-search"),
            ))],
            grants=GRANTS,
        )
