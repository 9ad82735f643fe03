import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The world fixture creates seven users: hash their passwords cheaply in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
