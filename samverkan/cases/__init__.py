"""The LOS coordination case: one per hospital stay, from care request to closing."""
