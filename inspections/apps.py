from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("检查与整改")

    def ready(self) -> None:
        from .enforcement.apps import ready as enforcement_ready

        enforcement_ready()
