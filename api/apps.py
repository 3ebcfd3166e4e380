from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import ApiToken

        # Who created or revoked a token, and when: the user's page shows it with their other changes.
        auditlog.register(ApiToken, exclude_fields=["digest", "last_used_at"])
