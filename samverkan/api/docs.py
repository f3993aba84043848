"""The API docs page: Swagger UI from static/vendor (no CDN: many hospital networks are offline)."""

from django.shortcuts import render
from ninja.openapi.docs import Swagger


class LocalSwagger(Swagger):
    """ninja's Swagger page rendered from our template with the vendored files; no inline script
    (the settings travel by json_script), no validator badge loaded from another host."""

    template = "api/docs.html"
    default_settings = {**Swagger.default_settings, "validatorUrl": None}

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": settings, "api": api}
        return render(request, self.template, context)
