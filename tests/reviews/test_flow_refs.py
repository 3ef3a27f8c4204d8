"""Selectors filter tasks by the text viewflow stores; it must keep naming the real flow."""

from viewflow.workflow.fields import get_flow_ref

from reviews.flow_refs import ANNUAL_REVIEW_FLOW
from reviews.flows import AnnualReviewFlow


def test_the_stored_name_is_the_flow_s_own():
    assert get_flow_ref(AnnualReviewFlow) == ANNUAL_REVIEW_FLOW
