"""Django admin is for the system admin role only."""

from django.urls import reverse


def test_sysadmin_manages_the_directory(as_user, world):
    client = as_user(world.sysadmin)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:directory_unit_changelist")).status_code == 200
    response = client.get(reverse("admin:directory_unit_change", args=[world.ward.pk]))
    assert response.status_code == 200


def test_everyone_else_is_sent_to_the_admin_login(as_user, world):
    world.ward_admin.is_staff = True  # Django's own flag does not open it
    world.ward_admin.save()
    response = as_user(world.ward_admin).get(reverse("admin:directory_unit_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_admin_has_no_login_of_its_own(client, as_user, world, settings):
    """Found: /admin/login/ had no lock-out and no audit. It leads to the one login page."""
    response = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    posted = client.post(reverse("admin:login"), {"username": "sysadmin", "password": "fel"})
    assert posted.status_code == 302 and posted.url.startswith(reverse("login"))
    assert as_user(world.ward_admin).get(reverse("admin:login")).status_code == 403
