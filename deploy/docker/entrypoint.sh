#!/bin/sh
# Container entrypoint of the Pilot-in-a-Box image.
#   serve    (default) run `setup` unless PIB_SETUP_ON_START=false, then the HTTP server on PORT
#   worker   the background loops (recommendation worker, verification pass, audit sealer) in a
#            container of their own; the `serve` containers then need WORKER_MODE=process
#   setup    apply migrations, create the first admin, load the demo year when DEMO_DATA=true
#   migrate  apply migrations only
# Migrations run as DATABASE_MIGRATION_URL (the tables' owner) when set, which then grants
# DATABASE_URL's role its runtime privileges (docs/OPERATIONS.md "Database roles").
#   <other>  run that command (e.g. `node --version`)
# The Helm chart runs `setup` once per install/upgrade as a hook Job and starts its pods with
# PIB_SETUP_ON_START=false; Docker Compose lets its single `app` service do it before serving.
set -eu
cd /app

# An empty variable means "not set" here: `REDIS_URL=` in an .env file must not reach the app as
# an empty (and so invalid) URL.
for name in $(env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=$/\1/p'); do
  unset "$name"
done

setup() {
  node --conditions=react-server --import tsx scripts/container-setup.ts
}

command="${1:-serve}"
case "$command" in
  serve)
    if [ "${PIB_SETUP_ON_START:-true}" != "false" ]; then setup; fi
    # The table owner's URL was for the setup only: the server runs with the runtime role's.
    unset DATABASE_MIGRATION_URL
    # exec: the server is PID 1's replacement and gets SIGTERM directly (it drains, then exits).
    exec node --import tsx scripts/serve.ts
    ;;
  worker)
    unset DATABASE_MIGRATION_URL
    # Without BIOCORE_URL it serves the reference engine itself, on a loopback port of its own
    # (lib/biocore/reference-server.ts): it needs nothing from the web service.
    export WORKER_MODE=process
    exec node --conditions=react-server --import tsx scripts/worker.ts
    ;;
  setup)
    setup
    ;;
  migrate)
    exec node --import tsx scripts/migrate.ts deploy
    ;;
  *)
    exec "$@"
    ;;
esac
