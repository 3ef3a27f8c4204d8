"""Pages every user shares: home, privacy, accessibility."""

from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "ehc/home.html"
