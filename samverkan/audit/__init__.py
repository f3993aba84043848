"""Audit app."""
