"""Samverkan: safe admission and discharge between a region and its municipalities."""
