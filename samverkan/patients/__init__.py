"""Patients app."""
