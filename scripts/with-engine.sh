#!/usr/bin/env bash
# scripts/with-engine.sh COMMAND...: provisions what is missing through scripts/engine.sh (the one chain; from its
# cache in well under a second once it has run), exports its settings, then runs COMMAND. `npm test` and
# `npm run bench` use it so that the README's commands are the whole set-up.
# When provisioning is impossible (no Go, no provider) COMMAND still runs: the end-to-end tests then skip with a loud
# banner, or fail under CI=true; the reason is printed right above.
set -uo pipefail
if exports=$(bash "$(dirname "${BASH_SOURCE[0]}")/engine.sh"); then
  eval "$exports"
else
  printf '%s\n' "with-engine: no engine (the reason is above); the end-to-end tests will skip, or fail under CI=true" >&2
fi
exec "$@"
