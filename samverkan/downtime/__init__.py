"""Declared downtime (driftstopp): when emergency accounts may log in. Extended by the backup
routine later."""
