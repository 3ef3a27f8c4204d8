"""View mixins that check the roles catalogue (ehc.roles) at the boundary."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin

from ehc import roles


class StaffRequiredMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Caseworkers and managers. Others signed in get 403; anonymous users go to sign in.

    The role is checked before `load()` fetches what the page is about, so a user without the
    role never learns whether an id exists (they get 403, not 404)."""

    permission_required = roles.PROGRESS_CASE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not self.has_permission():
            return self.handle_no_permission()
        self.load(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, request, **kwargs) -> None:
        """Fetch the object the page is about (through an access check); nothing by default."""


class ManagerRequiredMixin(StaffRequiredMixin):
    permission_required = roles.REASSIGN_CASE


class CaseAccessMixin(StaffRequiredMixin):
    """Checks the role, then loads self.case through the access check (404 for a case this
    user may not see) before the view runs. Subclasses may raise permission_required."""

    def load(self, request, **kwargs) -> None:
        from ehc.access import access_case_by_id

        # Recorded in the read audit by the access check when the page is shown (ehc.audit).
        self.case = access_case_by_id(request.user, kwargs["case_pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, **kwargs)
