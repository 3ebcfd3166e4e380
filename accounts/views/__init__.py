from .history import business_history
from .home import home
from .login import LoginView
from .users import user_create, user_deactivate, user_edit, user_list

__all__ = [
    "LoginView",
    "business_history",
    "home",
    "user_create",
    "user_deactivate",
    "user_edit",
    "user_list",
]
