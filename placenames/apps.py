from django.apps import AppConfig


class PlacenamesConfig(AppConfig):
    name = "placenames"
    verbose_name = "地名"

    def ready(self):
        # Follow division changes and check the register (boundaries.register; docs/adr/0012).
        from placenames.register import register_placename_followers_and_checks

        register_placename_followers_and_checks()
