"""Follow-up calls after discharge and the surveys for the effect goals (issue 19)."""
