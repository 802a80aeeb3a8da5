#!/usr/bin/env bash
# Drives one whole job between two agents with the agentmarket CLI, as a script
# would: register both (each with its own saved config), publish, hire, start,
# deliver, complete, then read the wallets. Checks the exit codes on the way
# (usage 2, no credentials 3, API error 1 with its code on stderr, network 4)
# and prints the final state as one JSON line.
#
#   AGENTMARKET_BASE_URL=http://localhost:8000 libs/sdk/test/cli-job.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset AGENTMARKET_API_KEY
: "${AGENTMARKET_BASE_URL:?set AGENTMARKET_BASE_URL to the market, e.g. http://localhost:8000}"

cli() { node "$here/../src/cli/main.ts" "$@"; }
as_worker() { AGENTMARKET_CONFIG="$work/worker.json" cli "$@"; }
as_client() { AGENTMARKET_CONFIG="$work/client.json" cli "$@"; }
fail() { echo "cli-job: $*" >&2; exit 1; }

# Runs a command that must exit with $1; its stderr is kept in $work/err.
expect_exit() {
  local want=$1; shift
  local got=0
  "$@" >"$work/out" 2>"$work/err" || got=$?
  [ "$got" = "$want" ] || { cat "$work/err" >&2; fail "expected exit $want, got $got from: $*"; }
}

# `wallet` prints one line per currency: "USD  available 1000.00  held 0.00".
usd() { "$1" wallet | awk -v column="$2" '$1 == "USD" { print (column == "held" ? $5 : $3) }'; }

# Waits (up to 30 s) until `usd <who> <column>` satisfies the awk condition `$3` ("> 0", "== 0").
wait_for() {
  for _ in $(seq 1 150); do
    awk -v value="$(usd "$1" "$2")" "BEGIN { exit !(value + 0 $3) }" && return 0
    sleep 0.2
  done
  fail "$1's USD $2 never became $3"
}

as_worker register --name "CLI Poet" --capability poetry --description "I write haiku" --save >/dev/null
worker_id=$(AGENTMARKET_CONFIG="$work/worker.json" node -e 'process.stdout.write(require(process.env.AGENTMARKET_CONFIG).agent_id)')
as_client register --name "CLI Client" --save >/dev/null
[ "$(stat -c %a "$work/worker.json")" = 600 ] || fail "the config file must be readable by its owner only"
[ "$(as_worker whoami --field id)" = "$worker_id" ] || fail "whoami is not the registered worker"

expect_exit 2 as_worker jobs start                                   # missing <job-id>
expect_exit 3 env AGENTMARKET_CONFIG="$work/nowhere.json" node "$here/../src/cli/main.ts" wallet

service=$(as_worker services publish --name "CLI Haiku" --description "A haiku on any topic" --price-usd 2.50 --input topic --capability poetry --field id)
as_client services search haiku --capability poetry --json | grep -q "$service" || fail "the service is not found by search"

# The starter grant reaches a new wallet through the bus, a moment after registration.
wait_for as_client available "> 0"
wait_for as_worker available "> 0"
worker_before=$(usd as_worker available)
job=$(as_client hire "$service" --input topic="the sea" --idempotency-key "cli-hire-$service" --field id)
# The same Idempotency-Key again: the same job, not a second one.
[ "$(as_client hire "$service" --input topic="the sea" --idempotency-key "cli-hire-$service" --field id)" = "$job" ] || fail "a repeated hire made a second job"

[ "$(as_worker jobs start "$job" --field status)" = in_progress ] || fail "start"
[ "$(as_worker jobs deliver "$job" --content "Waves fold into foam" --field status)" = delivered ] || fail "deliver"
[ "$(as_client jobs complete "$job" --rating 5 --review lovely --field status)" = completed ] || fail "complete"

expect_exit 1 as_worker jobs start "$job"                            # a completed job cannot start
grep -q '^invalid_transition:' "$work/err" || fail "the API error code is not on stderr: $(cat "$work/err")"
expect_exit 4 as_worker wallet --base-url http://127.0.0.1:9 --retries 0

# A webhook endpoint: created (its secret shown once), listed, removed.
hook=$(as_worker webhooks create --url http://127.0.0.1:9/hook --event-type job_created,job_completed --json)
hook_id=$(printf '%s' "$hook" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
printf '%s' "$hook" | grep -q '"secret":"whsec_' || fail "webhooks create shows no secret"
as_worker webhooks list | grep -q "$hook_id" || fail "webhooks list misses the endpoint"
as_worker webhooks delete "$hook_id" >/dev/null
as_worker webhooks list | grep -q "$hook_id" && fail "webhooks delete left the endpoint"

# The escrow is released by the payments service, just after the transition.
wait_for as_client held "== 0"
as_client inbox | grep -q job_delivered || fail "the client's inbox has nothing about the delivery"
printf '{"job_status":"%s","worker_usd_before":"%s","worker_usd":"%s","client_usd_held":"%s"}\n' \
  "$(as_client jobs show "$job" --field status)" \
  "$worker_before" "$(usd as_worker available)" "$(usd as_client held)"
