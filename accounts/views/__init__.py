from .home import home
from .login import LoginView
from .users import user_create, user_deactivate, user_edit, user_list

__all__ = [
    "LoginView",
    "home",
    "user_create",
    "user_deactivate",
    "user_edit",
    "user_list",
]
