from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("drill/", views.drill, name="drill"),
    path("city/", views.city, name="city"),
    # Issue 24: the city's own bulletin and circular on its towns
    path("city/papers/", views.city_papers, name="city_papers"),
    path("city/papers/<int:pk>/", views.city_paper_detail, name="city_paper_detail"),
    path("city/papers/<int:pk>/issue/", views.city_paper_issue, name="city_paper_issue"),
    path("city/papers/<int:pk>/download/", views.city_paper_download, name="city_paper_download"),
    path("city/papers/<int:pk>/pdf/", views.city_paper_pdf, name="city_paper_pdf"),
    path("export.xlsx", views.export, name="export"),
    path("trend/refresh/", views.refresh_trend, name="refresh_trend"),
    path("help/", views.help_vs_banned, name="help_vs_banned"),
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/new/", views.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/download/", views.bulletin_download, name="bulletin_download"),
    path("bulletins/<int:pk>/pdf/", views.bulletin_pdf, name="bulletin_pdf"),
    path("acceptance/", views.acceptance_list, name="acceptance_list"),
    path("acceptance/new/<str:kind>/", views.acceptance_edit, name="acceptance_create"),
    path("acceptance/<int:pk>/", views.acceptance_detail, name="acceptance_detail"),
    path("acceptance/<int:pk>/edit/", views.acceptance_edit, name="acceptance_edit"),
    path("ranking/", views.ranking, name="ranking"),
    path("circulars/new/", views.circular_create, name="circular_create"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/issue/", views.circular_issue, name="circular_issue"),
    path("circulars/<int:pk>/download/", views.circular_download, name="circular_download"),
    path("circulars/<int:pk>/pdf/", views.circular_pdf, name="circular_pdf"),
]
