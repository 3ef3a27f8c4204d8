"""View mixins that check the roles catalogue (ehc.roles) at the boundary."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin


class StaffRequiredMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Caseworkers and managers. Others signed in get 403; anonymous users go to sign in."""

    permission_required = "ehc.progress_case"


class ManagerRequiredMixin(StaffRequiredMixin):
    permission_required = "ehc.reassign_case"
