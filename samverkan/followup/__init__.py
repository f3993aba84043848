"""Follow-up: payment liability per agreement and the collaboration's indicators."""
