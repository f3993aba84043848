"""Notifications: the outbox, in-app notifications, e-mail digests, the page."""
