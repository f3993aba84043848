"""URLs of the local identity provider: OIDC under /o/, the login page."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.index),
    path("logga-in/", views.LoginView.as_view(), name="idp_login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
