from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/read/", views.MarkReadView.as_view(), name="mark_read"),
    path("read-all/", views.MarkAllReadView.as_view(), name="mark_all_read"),
    path("outbox/", views.OutboxView.as_view(), name="outbox"),
    path("rules/", views.AlertRuleListView.as_view(), name="rules"),
    path("rules/new/", views.AlertRuleEditView.as_view(), name="rule_new"),
    path("rules/<int:pk>/", views.AlertRuleEditView.as_view(), name="rule_edit"),
]
