#!/usr/bin/env bash
# Sourced by setup.sh: `run_step <name> <label> <command>...` prints one line for the step (what,
# how long it is taking on a terminal, its result and time) and sends the command's own output
# (npm's engine warnings, node-gyp, apt) to .tmp/logs/<name>.log, named with its last lines only
# when the step fails. KIRIN_VERBOSE=1 shows the output instead. scripts/lib/steps.js is the same
# for `npm run dev`.
STEPS_LOG_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.tmp/logs"

# 12.3 s → "12 s", 307 → "5 min 07 s"
steps_duration() {
	local seconds="$1"
	if ((seconds < 60)); then printf '%d s' "$seconds"; else printf '%d min %02d s' $((seconds / 60)) $((seconds % 60)); fi
}

run_step() {
	local name="$1" label="$2"
	shift 2
	local started=$SECONDS
	if [[ "${KIRIN_VERBOSE:-}" == 1 ]]; then
		echo "▸ $label"
		"$@"
		echo "  done ($(steps_duration $((SECONDS - started))))"
		return
	fi
	mkdir -p "$STEPS_LOG_DIR"
	local log="$STEPS_LOG_DIR/$name.log" status=0
	# Steps that run at once (STEPS_PARALLEL) each print one whole line when they end.
	[[ -n "${STEPS_PARALLEL:-}" ]] || printf '▸ %s … ' "$label"
	if [[ -t 1 && -z "${STEPS_PARALLEL:-}" ]]; then
		"$@" >"$log" 2>&1 &
		local pid=$!
		while kill -0 "$pid" 2>/dev/null; do
			printf '\r▸ %s … %s' "$label" "$(steps_duration $((SECONDS - started)))"
			sleep 1
		done
		wait "$pid" || status=$?
		printf '\r\033[2K▸ %s … ' "$label"
	else
		"$@" >"$log" 2>&1 || status=$?
	fi
	local took
	took="$(steps_duration $((SECONDS - started)))"
	local prefix=""
	[[ -z "${STEPS_PARALLEL:-}" ]] || prefix="▸ $label … "
	if ((status == 0)); then
		# The install scripts end with one line saying what they did ("… already installed").
		printf '%s%s (%s)\n' "$prefix" "$(tail -n 1 "$log")" "$took"
		return
	fi
	printf '%sfailed after %s\n' "$prefix" "$took"
	echo "  Its last lines:" >&2
	tail -n 30 "$log" | sed 's/^/  | /' >&2
	echo "  Its whole output: ${log#"$PWD"/}" >&2
	return "$status"
}
