from django.apps import AppConfig


class OwsConfig(AppConfig):
    name = "geoapp.ows"
    label = "ows"
    verbose_name = "OGC 服务（WFS）"

    def ready(self):
        from geoapp.ows import compat

        compat.install()
