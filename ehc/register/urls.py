from django.urls import path

from ehc.register import views

app_name = "register"
urlpatterns = [
    path("settings/", views.RegisterView.as_view(), name="list"),
    path("settings/add/", views.SettingAddView.as_view(), name="add"),
    path("settings/<int:pk>/", views.SettingDetailView.as_view(), name="detail"),
    path("settings/<int:pk>/confirm/", views.SettingConfirmView.as_view(), name="confirm"),
    path(
        "cases/<int:case_pk>/current-setting/",
        views.CaseSettingView.as_view(),
        name="case_setting",
    ),
]
