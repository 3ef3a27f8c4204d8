"""Deadline alerts: rules, the outbox and the Celery tasks that sweep and deliver."""
