"""Password rules in Chinese where Django's own catalogue has no translation yet."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length (10 here), with its messages in Chinese (Django 5.2's zh_Hans lacks them)."""

    def get_error_message(self):
        return _("密码太短，至少需要 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self):
        return _("密码至少 %(n)d 个字符。") % {"n": self.min_length}
