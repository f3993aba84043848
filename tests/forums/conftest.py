"""The forums' test world: the shared world with two forums (samverkan.forums.testing)."""

import pytest

from samverkan.forums.testing import with_forums


@pytest.fixture
def fw(world):
    return with_forums(world)
