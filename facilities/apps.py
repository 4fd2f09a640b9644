from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = "民政设施"

    def ready(self):
        # Follow division changes and check the register (boundaries.register; docs/adr/0012).
        from facilities.register import register_facility_followers_and_checks

        register_facility_followers_and_checks()
        # Header entries, the map's facility layer and the roles' grants (geoapp.registry; docs/adr/0030).
        from facilities.legend import facility_legend
        from facilities.roles import GRANTS
        from geoapp.registry import MapLayer, MapUrl, NavEntry, register

        register(
            self.label,
            nav=[
                NavEntry("facilities", _("民政设施"), "facility-list", order=90, permission="facilities.view_facility"),
                NavEntry("gaps", _("缺口分析"), "facility-gaps", order=100, permission="facilities.analyse_facility"),
            ],
            map_layers=[MapLayer(
                "facilities",
                api=(MapUrl("facilities", "facilities:list"), MapUrl("facility_gaps", "facilities:gaps")),
                pages=(
                    MapUrl("facility", "facility-detail", arg="0", placeholder="{id}"),
                    MapUrl("facility_list", "facility-list"),
                    MapUrl("facility_gaps", "facility-gaps", nav="gaps"),
                ),
                legend=facility_legend,
            )],
            grants=GRANTS,
        )
