"""Property tests: every validator and file reader fed generated input.

Two settings, chosen by the environment variable UNIONDESK_PROPERTIES:

- unset (the suite, CI): a fixed set of examples per test (``derandomize``), so a failure shows
  again on every machine and in every run, and no example database is written;
- ``long``: fifty times as many examples, new ones each run, for a search on demand
  (``UNIONDESK_PROPERTIES=long python -m pytest tests/properties``); failures found are kept in
  .hypothesis/ (ignored by git) and tried first next time.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

LONG = os.environ.get("UNIONDESK_PROPERTIES", "") == "long"
LONG_FACTOR = 50

settings.register_profile(
    "uniondesk-suite",
    derandomize=True,
    database=None,
    deadline=None,  # two cores shared with other work: timing says nothing here
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "uniondesk-long", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("uniondesk-long" if LONG else "uniondesk-suite")


def examples(count: int) -> settings:
    """Settings trying ``count`` examples in the suite (tuned so all property tests take about
    twenty seconds on two cores), fifty times as many in a long run."""
    return settings(max_examples=count * LONG_FACTOR if LONG else count)
