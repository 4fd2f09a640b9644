from django.apps import AppConfig


class OwsConfig(AppConfig):
    name = "ows"
    verbose_name = "OGC 服务（WFS）"

    def ready(self):
        from ows import compat

        compat.install()
