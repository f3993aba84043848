"""Payment-liability agreements and the yearly amounts per day (the indicators need no tables)."""
