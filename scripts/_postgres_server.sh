# Sourced by scripts/test_postgres.sh: a throwaway PostgreSQL cluster on a free local port.
#   start_postgres   installs the server package if it is missing (apt-get), then initdb +
#                    pg_ctl start as the postgres user (the server refuses to run as root),
#                    listening on 127.0.0.1 only, password authentication, and a linguistic
#                    collation (ICU en-US, as production databases usually have: text does
#                    not sort by bytes, so a collation-dependent tie-break would show in the
#                    cross-engine comparison); creates the build role and database, the BI
#                    role, and exports PG* for dbt and the tests.
#   stop_postgres    stops the server and deletes the cluster (the caller traps it on EXIT).

postgres_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"; return 0
    fi
    return 1
}

install_postgres_if_missing() {
    if postgres_bindir >/dev/null; then return 0; fi
    echo "PostgreSQL server not found: installing the Debian package (apt-get) ..." >&2
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        postgresql >/dev/null
    # The Debian package starts its own cluster on 5432; this suite never uses it.
    postgres_bindir >/dev/null || { echo "PostgreSQL install failed." >&2; return 1; }
}

# Run a command as the cluster's owner: the postgres user when we are root.
_as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_postgres() {
    install_postgres_if_missing
    local bindir
    bindir="$(postgres_bindir)"
    PG_SCRATCH="$(mktemp -d /tmp/journey_kpis_pg.XXXXXX)"
    chmod 755 "$PG_SCRATCH"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_SCRATCH"; fi
    PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    local superuser_password
    superuser_password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
    _as_pg_owner bash -c "umask 077; echo '$superuser_password' > '$PG_SCRATCH/pwfile'"
    _as_pg_owner "$bindir/initdb" --pgdata "$PG_SCRATCH/data" --username postgres \
        --pwfile "$PG_SCRATCH/pwfile" --auth scram-sha-256 --encoding UTF8 --locale C.UTF-8 \
        --locale-provider icu --icu-locale en-US >/dev/null
    _as_pg_owner "$bindir/pg_ctl" --pgdata "$PG_SCRATCH/data" --log "$PG_SCRATCH/server.log" \
        --wait --silent \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SCRATCH -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
        start
    echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (cluster $PG_SCRATCH)" >&2

    # dbt builds as a plain role that owns its database (not a superuser); the BI role only
    # logs in. Both get throwaway passwords.
    PGPASSWORD_BUILD="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
    JOURNEY_KPIS_BI_PASSWORD="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
    export JOURNEY_KPIS_BI_ROLE="${JOURNEY_KPIS_BI_ROLE:-bi_reader}"
    PGPASSWORD="$superuser_password" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres <<SQL
create role journey_kpis login createdb password '$PGPASSWORD_BUILD';
create database journey_kpis owner journey_kpis;
create role $JOURNEY_KPIS_BI_ROLE login password '$JOURNEY_KPIS_BI_PASSWORD';
SQL
    export PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=journey_kpis PGDATABASE=journey_kpis
    export PGPASSWORD="$PGPASSWORD_BUILD" JOURNEY_KPIS_BI_PASSWORD
    export PATH="$bindir:$PATH"
}

stop_postgres() {
    if [ -n "${PG_SCRATCH:-}" ] && [ -d "$PG_SCRATCH/data" ]; then
        _as_pg_owner "$(postgres_bindir)/pg_ctl" --pgdata "$PG_SCRATCH/data" --mode immediate \
            --wait --silent stop || true
    fi
    if [ -n "${PG_SCRATCH:-}" ]; then rm -rf "$PG_SCRATCH"; fi
}
