from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "geoapp.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from geoapp import registry
        from geoapp.roles import Role

        # Starting a background job from the web (a custom permission, Job.Meta.permissions):
        # administrators only; everyone sees the jobs they started.
        registry.register(self.label, grants={Role.ADMIN: {"jobs.job": ("start",)}})
