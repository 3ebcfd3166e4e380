"""一公开: the code behind a unit's QR placard (its public page), revocable by rotation."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def new_code() -> str:
    """22 URL-safe characters (128 random bits): not the database id, and not guessable from another code."""
    return secrets.token_urlsafe(16)


class PublicCode(models.Model):
    """The code printed as a QR on a unit's placard; /p/<code>/ is its public page.

    One current code per unit. Rotating (office, audited) retires it: the old placards then answer
    "此码已失效" and a new placard must be printed. Retired rows stay, so an old code is told apart from a
    code that never existed."""

    business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.CASCADE,
        related_name="public_codes",
        verbose_name=_("经营单位"),
    )
    code = models.CharField(_("公示码"), max_length=32, unique=True, default=new_code, editable=False)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("更换人"),
    )
    reason = models.CharField(_("更换原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("公示码")
        verbose_name_plural = _("公示码")
        ordering = ["business", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["business"],
                condition=Q(retired_at__isnull=True),
                name="public_code_one_current_per_business",
                violation_error_message=_("每个经营单位只能有一个有效的公示码。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business_id}:{self.code[:4]}…"

    def get_absolute_url(self) -> str:
        return reverse("public:unit", args=[self.code])

    @property
    def is_current(self) -> bool:
        return self.retired_at is None
