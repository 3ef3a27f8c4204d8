"""Two copies of beat against one Redis: only one sends; the other takes over when it stops."""

import time

import pytest
from celery import Celery

from config import devservers
from config.beat import LOCK_KEY, SingleBeatScheduler


class RecordingScheduler(SingleBeatScheduler):
    """Records what it would send instead of putting it on the broker."""

    def __init__(self, *args, **kwargs):
        self.sent: list[str] = []
        super().__init__(*args, **kwargs)

    def apply_entry(self, entry, producer=None):
        self.sent.append(entry.name)

    @property
    def producer(self):  # nothing goes to a broker in this test
        return None


@pytest.fixture
def redis_url(tmp_path, settings):
    port = devservers.free_port()
    proc = devservers.start_redis(port, tmp_path / "redis")
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    settings.EHC_BEAT_LOCK_SECONDS = 2
    yield settings.REDIS_URL
    proc.kill()
    proc.wait()


def _beat(tmp_path, name: str) -> RecordingScheduler:
    app = Celery("beat-lock-test", set_as_current=False)
    app.conf.beat_schedule = {
        "sweep": {"task": "notifications.tasks.deadlines_sweep", "schedule": 0.1}
    }
    return RecordingScheduler(app=app, schedule_filename=str(tmp_path / f"{name}-schedule"))


def _tick_until_sent(beat: RecordingScheduler, seconds: float = 3.0) -> None:
    """Tick as beat's loop does, sleeping what each tick asks (capped), until it sends."""
    deadline = time.monotonic() + seconds
    while not beat.sent and time.monotonic() < deadline:
        time.sleep(max(0.0, min(beat.tick(), 0.05)))


def test_a_second_beat_sends_nothing_while_the_first_holds_the_lock(redis_url, tmp_path):
    first, second = _beat(tmp_path, "first"), _beat(tmp_path, "second")
    try:
        _tick_until_sent(first)
        for _ in range(20):
            time.sleep(max(0.0, min(second.tick(), 0.05)))
        assert first.sent and first.is_leader
        assert second.sent == [] and not second.is_leader
    finally:
        first.close()
        second.close()


def test_the_standby_beat_takes_over_when_the_first_stops(redis_url, tmp_path):
    first, second = _beat(tmp_path, "first"), _beat(tmp_path, "second")
    try:
        _tick_until_sent(first)
        second.tick()
        assert second.sent == []
        first.close()  # a clean stop releases the lock at once
        _tick_until_sent(second)
        assert second.sent and second.is_leader
    finally:
        second.close()


def test_a_dead_beats_lock_expires_and_the_standby_takes_over(redis_url, tmp_path):
    import time

    import redis

    first, second = _beat(tmp_path, "first"), _beat(tmp_path, "second")
    try:
        _tick_until_sent(first)
        # The first machine dies: no close(), no renewal. The lock lapses after 2 seconds.
        client = redis.Redis.from_url(redis_url)
        assert 0 < client.pttl(LOCK_KEY) <= 2000
        second.tick()
        assert not second.is_leader
        time.sleep(2.2)
        _tick_until_sent(second)
        assert second.sent and second.is_leader
    finally:
        second.close()


def test_without_redis_beat_sends_nothing(settings, tmp_path):
    settings.REDIS_URL = f"redis://127.0.0.1:{devservers.free_port()}/0"
    beat = _beat(tmp_path, "alone")
    try:
        for _ in range(3):
            beat.tick()
        assert beat.sent == [] and not beat.is_leader
    finally:
        beat.close()
