"""Managers' page: who has looked at this child's record, with a CSV of the same rows."""

from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from ehc.audit import reads_of_child
from ehc.csv_export import csv_response
from ehc.permissions import ManagerRequiredMixin

PAGE_SIZE = 100


class ChildReadsView(ManagerRequiredMixin, TemplateView):
    template_name = "security/child_reads.html"

    def load(self, request, **kwargs) -> None:
        from ehc.access import access_case_by_id

        self.case = access_case_by_id(request.user, kwargs["case_pk"])

    def get(self, request, *args, **kwargs):
        rows = reads_of_child(self.case.child_id)
        if request.GET.get("format") == "csv":
            return csv_response(
                f"{self.case.reference}-reads-{timezone.localdate():%Y-%m-%d}.csv",
                ["when", "who", "role", "action", "what", "case", "object", "address", "path"],
                (
                    [
                        timezone.localtime(r.at).isoformat(timespec="seconds"),
                        r.username,
                        r.role,
                        r.get_action_display(),
                        r.what,
                        r.case.reference if r.case else "",
                        r.object_id,
                        r.ip_address or "",
                        r.path,
                    ]
                    for r in rows.iterator()
                ),
            )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        return self.render_to_response(
            self.get_context_data(case=self.case, page=page, reads=list(page.object_list))
        )
