"""The names the transfer-review flow is stored under, for reads that must not import the flow.

viewflow keeps a process's flow as `app_label/module.Class` text; selectors filter on that text
so that they stay below `flows.py` (which imports the task pages, which read the selectors).
tests/conversions/test_flow_refs.py checks it still names `flows.TransferReviewFlow`.
"""

TRANSFER_REVIEW_FLOW = "conversions/flows.TransferReviewFlow"
