"""{{ user|person }}: a person's name as pages show it — the full name, else the username, else 系统.

A user foreign key is often nullable (SET_NULL when the account is deleted, None when a scheduled job did
the work): `x.get_full_name|default:x.username` then raised VariableDoesNotExist on the filter's argument —
a 500 on the whole page (issue 22: the bulletin list of the demo town).
"""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def person(user) -> str:
    if user is None or user == "":
        return _("系统")
    return user.get_full_name() or user.username
