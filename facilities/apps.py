from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = "民政设施"

    def ready(self):
        # Follow division changes and check the register (boundaries.register; docs/adr/0012).
        from facilities.register import register_facility_followers_and_checks

        register_facility_followers_and_checks()
