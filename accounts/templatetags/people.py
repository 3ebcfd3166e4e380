"""`{{ user|person }}`: a person as the pages show one — by name, the login name only when no name is set."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def person(user) -> str:
    """The user's name (张三), else their login name; "—" for nobody (a scheduled job, a deleted user)."""
    if user is None or not getattr(user, "pk", None):
        return "—" if user is None else _("系统")
    return user.get_full_name() or user.username
