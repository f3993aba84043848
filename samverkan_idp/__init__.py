"""A small OpenID Connect provider for the demo and the tests: SITHS-like claims for demo people.

Not for production: a region points Samverkan at Inera's IdP (see README). Run it with
`python -m samverkan_idp --port 8100`; its database and signing key live in IDP_HOME (var/idp).
"""
