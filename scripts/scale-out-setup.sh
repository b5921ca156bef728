#!/usr/bin/env bash
# Sets up, on this machine, what the scale-out test (apps/server/src/scale-out.test.ts) runs
# against: a streaming replica of the Postgres primary on 127.0.0.1:5432, listening on
# 127.0.0.1:5433, and PgBouncer (Debian's package) in transaction mode on 127.0.0.1:6432 in front
# of the primary. Idempotent: what already runs and answers is left alone; a replica that no
# longer streams is made again. Progress goes to stderr; stdout is only the settings to eval:
#   TEST_REPLICA_URL    the replica (the test swaps in its own database's name)
#   TEST_PGBOUNCER_URL  the primary through PgBouncer, transaction mode
# e.g. eval "$(scripts/scale-out-setup.sh)". Exits non-zero with a sentence when it cannot.
# Needs root or the postgres user. SCALE_OUT_DIR (default /var/tmp/candlebase-scale-out) holds
# the replica's data folder and PgBouncer's files.
set -euo pipefail

PRIMARY_PORT="${PRIMARY_PORT:-5432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
PGBOUNCER_PORT="${PGBOUNCER_PORT:-6432}"
STATE="${SCALE_OUT_DIR:-/var/tmp/candlebase-scale-out}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"
PGBOUNCER="${PGBOUNCER:-/usr/sbin/pgbouncer}"
DATA="$STATE/replica"

say() { printf 'scale-out: %s\n' "$*" >&2; }
fail() {
  printf 'scale-out setup FAILED: %s\n' "$*" >&2
  exit 1
}
# Postgres and PgBouncer both refuse to run as root: run their tools as postgres.
as_postgres() {
  if [[ "$(id -un)" == postgres ]]; then "$@"; else runuser -u postgres -- "$@"; fi
}
primary() { psql -X -q -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atc "$1"; }
replica() { psql -X -q -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -Atc "$1" 2>/dev/null; }

[[ -x "$PG_BIN/pg_basebackup" ]] || fail "no PostgreSQL server tools (pg_basebackup) under ${PG_BIN:-/usr/lib/postgresql/*/bin}"
[[ -x "$PGBOUNCER" ]] || fail "PgBouncer is not installed at $PGBOUNCER (Debian: apt-get install pgbouncer)"
[[ "$(id -un)" == postgres || "$(id -u)" == 0 ]] || fail "run this as root or as the postgres user"
primary 'select 1' >/dev/null || fail "the primary on 127.0.0.1:$PRIMARY_PORT does not answer as postgres"
[[ "$(primary 'select pg_is_in_recovery()')" == f ]] || fail "127.0.0.1:$PRIMARY_PORT is itself a standby"
[[ "$(primary 'show wal_level')" != minimal ]] || fail "the primary has wal_level=minimal; a replica needs replica or logical"
[[ "$(primary 'show max_wal_senders')" -gt 0 ]] || fail "the primary has max_wal_senders=0; a replica needs at least 1"
mkdir -p "$STATE"
chown postgres:postgres "$STATE" 2>/dev/null || true

# --- the primary lets replication connections in from loopback (trust, as the test setup is) ---
hba="$(primary 'show hba_file')"
if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32' "$hba"; then
  say "allowing replication connections from 127.0.0.1 in $hba"
  printf '\n# Added by candlebase scripts/scale-out-setup.sh: the local streaming replica.\nhost replication postgres 127.0.0.1/32 trust\n' >>"$hba" ||
    fail "cannot write $hba"
  primary 'select pg_reload_conf()' >/dev/null
fi

# --- the replica: a base backup of the primary, streaming from it ---
streaming() { [[ "$(replica "select status from pg_stat_wal_receiver")" == streaming ]]; }
if replica 'select 1' >/dev/null && ! streaming; then
  say "something on port $REPLICA_PORT answers but does not stream from the primary: stopping it if it is ours"
  [[ -f "$DATA/postmaster.pid" ]] || fail "port $REPLICA_PORT is taken by a server that is not a replica of the primary"
  as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2 || true
fi
# A replica made earlier and stopped since (a reboot): start it again; it catches up by itself.
if ! streaming && [[ -f "$DATA/standby.signal" ]] && ! replica 'select 1' >/dev/null; then
  say "starting the replica made earlier in $DATA"
  rm -f "$DATA/postmaster.pid"
  if as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -l "$STATE/replica.log" -w -t 60 start >&2; then
    for _ in $(seq 1 15); do streaming && break; sleep 1; done
  fi
fi
if ! streaming; then
  [[ -f "$DATA/postmaster.pid" ]] && as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >&2 2>/dev/null || true
  # A standby needs these at least as large as its primary's, or it refuses to start.
  settings=""
  for s in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
    settings+="$s = $(primary "show $s")"$'\n'
  done
  # A fresh copy each time: a standby that stopped streaming may have lost the WAL it needs.
  rm -rf "$DATA"
  say "taking a base backup of 127.0.0.1:$PRIMARY_PORT into $DATA"
  as_postgres "$PG_BIN/pg_basebackup" -D "$DATA" -R -X stream -c fast -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres >&2 ||
    fail "pg_basebackup from 127.0.0.1:$PRIMARY_PORT failed (see above)"
  # Debian keeps the primary's postgresql.conf and pg_hba.conf in /etc: the copy has none of its own.
  as_postgres tee "$DATA/postgresql.conf" >/dev/null <<EOF
# The candlebase scale-out test's streaming replica (scripts/scale-out-setup.sh).
listen_addresses = '127.0.0.1'
port = $REPLICA_PORT
unix_socket_directories = '$STATE'
hot_standby = on
hot_standby_feedback = on
shared_buffers = 32MB
logging_collector = off
$settings
EOF
  as_postgres tee "$DATA/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
  as_postgres rm -f "$DATA/postgresql.auto.conf.tmp"
  say "starting the replica on 127.0.0.1:$REPLICA_PORT"
  as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -l "$STATE/replica.log" -w -t 60 start >&2 ||
    fail "the replica did not start; its log: $(tail -n 20 "$STATE/replica.log" 2>/dev/null)"
  for _ in $(seq 1 30); do streaming && break; sleep 1; done
  streaming || fail "the replica on port $REPLICA_PORT started but does not stream from the primary; its log: $(tail -n 20 "$STATE/replica.log")"
fi
[[ "$(replica 'select pg_is_in_recovery()')" == t ]] || fail "the server on port $REPLICA_PORT is not a standby"
say "replica streaming on 127.0.0.1:$REPLICA_PORT"

# --- PgBouncer, transaction pooling, routing every database to the primary ---
bouncer() { psql -X -q -h 127.0.0.1 -p "$PGBOUNCER_PORT" -U postgres -d "$1" -Atc "$2" 2>/dev/null; }
pool_mode() { bouncer pgbouncer 'show config' | awk -F'|' '$1 == "pool_mode" { print $2 }'; }
if ! bouncer postgres 'select 1' >/dev/null; then
  say "starting PgBouncer on 127.0.0.1:$PGBOUNCER_PORT"
  as_postgres tee "$STATE/pgbouncer.ini" >/dev/null <<EOF
; The candlebase scale-out test's pooler (scripts/scale-out-setup.sh).
[databases]
* = host=127.0.0.1 port=$PRIMARY_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir = $STATE
auth_type = trust
auth_file = $STATE/userlist.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = 10
max_client_conn = 1000
logfile = $STATE/pgbouncer.log
pidfile = $STATE/pgbouncer.pid
EOF
  # trust still wants the user listed.
  printf '"postgres" ""\n' | as_postgres tee "$STATE/userlist.txt" >/dev/null
  as_postgres "$PGBOUNCER" -d "$STATE/pgbouncer.ini" >&2 ||
    fail "PgBouncer did not start; its log: $(tail -n 20 "$STATE/pgbouncer.log" 2>/dev/null)"
  for _ in $(seq 1 20); do bouncer postgres 'select 1' >/dev/null && break; sleep 0.5; done
  bouncer postgres 'select 1' >/dev/null ||
    fail "PgBouncer on port $PGBOUNCER_PORT does not pass queries to the primary; its log: $(tail -n 20 "$STATE/pgbouncer.log" 2>/dev/null)"
fi
[[ "$(pool_mode)" == transaction ]] || fail "the PgBouncer on port $PGBOUNCER_PORT is not in transaction mode (pool_mode=$(pool_mode))"
say "PgBouncer (transaction mode) on 127.0.0.1:$PGBOUNCER_PORT"

echo "export TEST_REPLICA_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres"
echo "export TEST_PGBOUNCER_URL=postgres://postgres@127.0.0.1:$PGBOUNCER_PORT/postgres"
