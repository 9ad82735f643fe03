import pytest
from django.test import override_settings
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sign_in_with_right_password_reaches_dashboard(client):
    f.UserFactory(username="ana")
    response = post_login(client, "ana", "demo12345")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_wrong_password_is_refused_with_a_message(client):
    f.UserFactory(username="ana")
    response = post_login(client, "ana", "wrong")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_with_right_password(client):
    f.UserFactory(username="ana")
    for _ in range(3):
        post_login(client, "ana", "wrong")
    response = post_login(client, "ana", "demo12345")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_post(client):
    user = f.UserFactory(username="ana")
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
