"""The benchmark's load (safeguarding/bench/driver.py)."""

import threading
import time

from safeguarding.bench import driver


class CountingSession:
    """Records what is asked for and how many requests were in flight at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.asked = []
        self.in_flight = self.most_at_once = 0

    def request(self, method, path):
        with self.lock:
            self.asked.append((method, path))
            self.in_flight += 1
            self.most_at_once = max(self.most_at_once, self.in_flight)
        time.sleep(0.05)  # a page being served: the others arrive meanwhile
        with self.lock:
            self.in_flight -= 1


def test_a_page_is_warmed_on_every_connection_at_once_so_every_worker_serves_it():
    # One after another, every warm-up request went to the same gunicorn worker.
    session = CountingSession()
    driver.warm(session, "/due/", connections=8)
    assert session.asked == [("GET", "/due/")] * 16
    assert session.most_at_once == 8
