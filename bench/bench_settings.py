"""Settings of the bench's server: the app's own, with bench_urls in front (the baseline)."""

from samverkan.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
