"""The API instance: /api/v1/, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI

from samverkan.downtime.api import router as downtime

from . import errors, idempotency
from .auth import TokenAuth
from .cases import router as cases
from .deviations import router as deviations
from .docs import LocalSwagger
from .experience import router as experience
from .forums import router as forums
from .sip import router as sip


class Api(NinjaAPI):
    """NinjaAPI with the Idempotency-Key header stated on every write in the OpenAPI."""

    def get_openapi_schema(self, **kwargs):
        return idempotency.document(super().get_openapi_schema(**kwargs))


api = Api(
    title="Samverkan API",
    version="1",
    auth=TokenAuth(),
    urls_namespace="api",
    docs=LocalSwagger(),
    description="LOS-samverkan: ärenden, meddelanden, kvittenser. Varje skrivning "
    "kräver Idempotency-Key; ärendeskrivningar kräver ärendets version.",
)
errors.install(api)
api.add_router("/", cases)
api.add_router("/", sip)
api.add_router("/", deviations)
api.add_router("/", downtime)
api.add_router("/", experience)
api.add_router("/", forums)
