from django.apps import AppConfig


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
