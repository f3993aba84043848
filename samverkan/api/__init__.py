"""JSON API (django-ninja): tokens, idempotency, structured errors, the LOS routers."""
