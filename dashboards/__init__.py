"""Managers' dashboards: deadlines at risk, timeliness as the national return counts it, workload."""
