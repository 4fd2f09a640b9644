from django.apps import AppConfig


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
