from django.apps import AppConfig


class GeoappConfig(AppConfig):
    name = "geoapp"
    verbose_name = "CivAtlas"

    def ready(self) -> None:
        from geoapp import checks  # noqa: F401  (registers the system checks)
