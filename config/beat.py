"""Celery beat that runs as one scheduler however many copies are started.

Each copy of beat must hold a lock in Redis before it sends anything. The holder renews the lock
on every tick, well inside its expiry; any other copy stays on standby, asking again every few
seconds, and takes over within `EHC_BEAT_LOCK_SECONDS` when the holder stops or its machine dies.
So a council can run beat on two machines for availability without a second copy sending the
sweeps twice. (Should two copies ever overlap, say after a long pause past the lock's expiry, the
alerts still go once: the outbox's unique key and the delivery status guard make every task
safe to run twice; docs/alerts.md.)

Used through the setting CELERY_BEAT_SCHEDULER = "config.beat:SingleBeatScheduler".
"""

import contextlib
import logging
import uuid
from typing import Any

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "ehc:celery-beat:leader"

# Take the lock if it is free, or renew it if it is ours: one atomic step.
_ACQUIRE_OR_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
return 0
"""
# Release only a lock that is still ours.
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class SingleBeatScheduler(PersistentScheduler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.lock_seconds = float(getattr(settings, "EHC_BEAT_LOCK_SECONDS", 60))
        self.token = uuid.uuid4().hex
        self.is_leader = False
        self._redis = redis.Redis.from_url(settings.REDIS_URL)
        super().__init__(*args, **kwargs)

    def hold_lock(self) -> bool:
        """True while this copy holds the lock (taking or renewing it)."""
        try:
            held = bool(
                self._redis.eval(
                    _ACQUIRE_OR_RENEW, 1, LOCK_KEY, self.token, int(self.lock_seconds * 1000)
                )
            )
        except redis.RedisError:
            logger.warning("beat cannot reach Redis for its lock; sending nothing meanwhile")
            held = False
        if held != self.is_leader:
            logger.info("beat %s the scheduler lock", "took" if held else "does not hold")
        self.is_leader = held
        return held

    def tick(self, *args: Any, **kwargs: Any) -> float:
        standby = self.lock_seconds / 4
        if not self.hold_lock():
            return standby
        return min(super().tick(*args, **kwargs), standby)

    def close(self) -> None:
        with contextlib.suppress(redis.RedisError):  # if Redis is away, the lock expires
            self._redis.eval(_RELEASE, 1, LOCK_KEY, self.token)
        self.is_leader = False
        super().close()
