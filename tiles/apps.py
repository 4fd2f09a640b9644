from django.apps import AppConfig


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = "矢量瓦片"

    def ready(self):
        from tiles import signals  # noqa: F401  (connects the invalidation receivers)
