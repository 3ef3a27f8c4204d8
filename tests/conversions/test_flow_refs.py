"""Selectors filter tasks by the text viewflow stores; it must keep naming the real flow."""

from viewflow.workflow.fields import get_flow_ref

from conversions.flow_refs import TRANSFER_REVIEW_FLOW
from conversions.flows import TransferReviewFlow


def test_the_stored_name_is_the_flow_s_own():
    assert get_flow_ref(TransferReviewFlow) == TRANSFER_REVIEW_FLOW
