"""Adds the SITHS-like claims (employee HSA-id, assignments, acr) to ID token and userinfo, and
for a citizen the personnummer claim of the Swedish OIDC profile for e-ID (id.oidc.se)."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import Identity

PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
PNR_SCOPE = "https://id.oidc.se/scope/naturalPersonNumber"


class SithsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "acr": "openid",
        "employeeHsaId": "siths",
        "commissions": "siths",
        PNR_CLAIM: PNR_SCOPE,
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
        if identity.personal_identity_number:
            claims[PNR_CLAIM] = identity.personal_identity_number
        return claims
