"""Staff search: the box on every staff page answers here."""

from django.views.generic import TemplateView

from ehc.permissions import StaffRequiredMixin
from ehc.search.cases import case_search
from ehc.search.service import MAX_QUERY_CHARS, MIN_QUERY_CHARS, normalise


class CaseSearchView(StaffRequiredMixin, TemplateView):
    template_name = "ehc/case_search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[: MAX_QUERY_CHARS * 4]
        too_short = bool(query.strip()) and len(normalise(query).replace(" ", "")) < (
            MIN_QUERY_CHARS
        )
        results = case_search(user=self.request.user, query=query) if query.strip() else []
        return super().get_context_data(
            query=query[:MAX_QUERY_CHARS],
            results=results,
            searched=bool(query.strip()) and not too_short,
            too_short=too_short,
            min_chars=MIN_QUERY_CHARS,
            **kwargs,
        )
