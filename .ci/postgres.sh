# Sourced by .ci/run: sets PG_URL to the server at 127.0.0.1:5432 when it answers,
# otherwise starts a throwaway cluster on port 55432 and stops it when CI exits.
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  PG_URL="postgres://postgres@127.0.0.1:5432/samverkan"
else
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  PGDATA="$(mktemp -d)"
  chown postgres "$PGDATA"
  su postgres -c "$PGBIN/initdb -A trust -U postgres -D $PGDATA" >/dev/null
  su postgres -c "$PGBIN/pg_ctl -D $PGDATA -o '-p 55432 -k /tmp' -l $PGDATA/log -w start" >/dev/null
  trap 'su postgres -c "$PGBIN/pg_ctl -D $PGDATA -m fast stop" >/dev/null' EXIT
  PG_URL="postgres://postgres@127.0.0.1:55432/samverkan"
fi
export PG_URL
