from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacenamesConfig(AppConfig):
    name = "placenames"
    verbose_name = "地名"

    def ready(self):
        # Follow division changes and check the register (boundaries.register; docs/adr/0012).
        from placenames.register import register_placename_followers_and_checks

        register_placename_followers_and_checks()
        from geoapp.offline import register_field_page
        from placenames.signs.views import FIELD_ASSETS

        register_field_page(shell="field", assets=FIELD_ASSETS, data=("sign-list",),
                            template="placenames/signs/field.html")
        # Header entries, the field workers' landing page, the map's name search and the
        # roles' grants (geoapp.registry; docs/adr/0030).
        from geoapp.registry import LandingPage, MapLayer, MapUrl, NavEntry, register
        from placenames.roles import GRANTS

        register(
            self.label,
            nav=[
                NavEntry("names", _("地名查询"), "placename-portal", order=20),
                NavEntry("field", _("外业采集"), "field", order=30, permission="placenames.add_signinstallation"),
                NavEntry("naming", _("命名更名"), "naming-application-list", order=70,
                         permission="placenames.add_namingapplication"),
                NavEntry("signs", _("地名标志"), "sign-dashboard", order=80, permission="placenames.view_sign"),
            ],
            # Whoever records field work and does not edit the register (a field worker)
            # starts on the phone page; desk staff who may also record it start on the map.
            landing=[LandingPage("field", order=10, permission="placenames.add_signinstallation",
                                 unless="boundaries.change_division")],
            map_layers=[MapLayer("placenames", api=(MapUrl("placename_search", "placename-search"),))],
            grants=GRANTS,
        )
