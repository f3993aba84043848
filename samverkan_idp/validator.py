"""Adds the SITHS-like claims (employee HSA-id, assignments, acr) to ID token and userinfo."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import Identity


class SithsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "acr": "openid",
        "employeeHsaId": "siths",
        "commissions": "siths",
    }

    def get_additional_claims(self, request):
        identity = Identity.objects.filter(user=request.user).first()
        if identity is None:
            return {}
        claims = {
            "given_name": request.user.first_name,
            "family_name": request.user.last_name,
            "name": request.user.get_full_name(),
            "acr": identity.acr,
            "commissions": identity.commissions,
        }
        if identity.employee_hsa_id:
            claims["employeeHsaId"] = identity.employee_hsa_id
        return claims
