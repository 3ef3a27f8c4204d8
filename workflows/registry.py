"""The flows whose process.artifact is an ehc Case. Their human tasks share one work queue, one
task page (access-checked through the case) and the case page's list of open tasks.

A flow joins by being registered here (from its app's AppConfig.ready()) and by answering
`deadline_for_task(node_name) -> (kind, subject_key) | None`: the statutory clock each of its
tasks works towards, which orders the queue.
"""

CASE_FLOWS: list = []


def register_case_flow(flow_class) -> None:
    if flow_class not in CASE_FLOWS:
        CASE_FLOWS.append(flow_class)


def case_flow_nodes():
    """Every node of every registered flow, with the deadline its task works towards."""
    for flow_class in CASE_FLOWS:
        for node in flow_class.instance.nodes():
            key = flow_class.deadline_for_task(node.name)
            if key is not None:
                yield node, key


# Called with the case when it closes (withdrawn, moved away), inside the closing transaction,
# so flows whose artifact is not the case itself (e.g. a transfer review) can cancel their tasks.
CASE_CLOSE_HOOKS: list = []


def on_case_closed(hook) -> None:
    if hook not in CASE_CLOSE_HOOKS:
        CASE_CLOSE_HOOKS.append(hook)
