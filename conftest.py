"""Fixtures shared by tests/ and browser_tests/."""

import pytest

from samverkan.testing import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def as_user(client):
    """Log the test client in as a user (acting in their first unit); returns the client."""

    def login(user):
        client.force_login(user)
        return client

    return login
