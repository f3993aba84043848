"""Principals, units, users, memberships and roles; routing of notices."""
