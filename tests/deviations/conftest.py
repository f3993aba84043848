"""The shared test world with a deviation coordinator for each principal."""

import pytest

from samverkan.deviations.testing import with_coordinators


@pytest.fixture
def w(world):
    return with_coordinators(world)
