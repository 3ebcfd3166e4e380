from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

# Pages of this app under the "accounts" namespace; home, login and logout keep their plain names.
accounts_patterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include((accounts_patterns, "accounts"))),
]
