"""URLs of the payment-liability pages (included under /uppfoljning/betalningsansvar/)."""

from django.urls import path

from .payment import views

urlpatterns = [
    path("", views.statement_page, name="payment_statement"),
    path("underlag.pdf", views.statement_pdf, name="payment_statement_pdf"),
    path("underlag.xlsx", views.statement_xlsx, name="payment_statement_xlsx"),
    path("genomsnitt/", views.average_page, name="payment_average"),
    path("genomsnitt.pdf", views.average_pdf, name="payment_average_pdf"),
    path("genomsnitt.xlsx", views.average_xlsx, name="payment_average_xlsx"),
    path("arende/<uuid:public_id>/", views.stay_detail, name="payment_stay"),
]
