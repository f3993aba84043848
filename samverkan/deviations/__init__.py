"""Deviations between the principals (avvikelser i samverkan) and their feedback."""
