from django.apps import AppConfig


class PlacenamesConfig(AppConfig):
    name = "placenames"
    verbose_name = "地名"

    def ready(self):
        from geoapp.offline import register_field_page
        from placenames.sign_views import FIELD_ASSETS

        register_field_page(shell="field", assets=FIELD_ASSETS, data=("sign-list",),
                            template="placenames/signs/field.html")
