"""Shared pieces for views and services: errors, form helpers."""
