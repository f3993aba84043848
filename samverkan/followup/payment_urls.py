"""URLs of the payment-liability pages (included under /uppfoljning/betalningsansvar/)."""

urlpatterns: list = []
