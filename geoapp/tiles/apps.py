from django.apps import AppConfig


class TilesConfig(AppConfig):
    name = "geoapp.tiles"
    label = "tiles"
    verbose_name = "矢量瓦片"

    def ready(self):
        from geoapp.tiles import signals  # noqa: F401  (connects the invalidation receivers)
