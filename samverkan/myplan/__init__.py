"""Min plan: the person's own read-only view of their SIP and LOS stay (issue 19)."""
