from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the site: the health probe, beat's heartbeat, backups and restores, deploy checks."""

    name = "ops"
    verbose_name = _("运行维护")

    def ready(self) -> None:
        from . import checks, tasks  # noqa: F401  (registers the deploy checks and the Celery tasks)
