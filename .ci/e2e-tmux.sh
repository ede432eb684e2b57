#!/usr/bin/env bash
# End-to-end check of the browser as a person sees it: the built binary runs
# in a real terminal (tmux, 120x40) against the demo organisation; the first
# rows must appear, "/login" must narrow the list, enter must show the
# detail, q must close it and q again must exit with status 0. Any failure
# prints the screen.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
sock="auditui-e2e-$$"
export TERM="${TERM:-xterm-256color}"
[ "$TERM" = dumb ] && export TERM=xterm-256color

cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "e2e-tmux: FAIL: $*" >&2
	if [ -f "$work/screen" ]; then
		echo "---- last screen ----" >&2
		cat "$work/screen" >&2
		echo "---------------------" >&2
	fi
	exit 1
}

if ! command -v tmux >/dev/null 2>&1; then
	echo "e2e-tmux: installing tmux"
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null) ||
		fail "tmux is missing and could not be installed with apt-get"
fi

echo "e2e-tmux: building auditui"
(cd "$root" && go build -o "$work/auditui" ./cmd/auditui) || fail "go build ./cmd/auditui failed"

screen() { tmux -L "$sock" capture-pane -p -t e2e >"$work/screen" 2>/dev/null || true; }

# wait_for PATTERN SECONDS: poll the screen until an extended regex matches.
wait_for() {
	local pattern="$1" deadline=$((SECONDS + $2))
	while [ $SECONDS -lt "$deadline" ]; do
		screen
		if grep -Eq -- "$pattern" "$work/screen"; then
			return 0
		fi
		sleep 0.2
	done
	return 1
}

# count LABEL: the number after "LABEL " on the status line (commas removed).
count() {
	grep -Eo -- "$1 [0-9,]+" "$work/screen" | tail -1 | awk '{gsub(",", "", $2); print $2}'
}

tmux -L "$sock" new-session -d -s e2e -x 120 -y 40 \
	"'$work/auditui' --demo; echo \$? >'$work/exit'; sleep 60"

# A row starts with its time: 2026-01-02 15:04:05, or 01-02 15:04 on narrow lists.
row='^([0-9]{4}-)?[0-9]{2}-[0-9]{2} [0-9:]{5,8}Z? +'
wait_for "${row}[a-z_]+\.[a-z_.]+" 30 || fail "no event rows appeared within 30 s"
wait_for 'all loaded' 60 || fail "the demo organisation did not finish loading within 60 s"
loaded="$(count loaded)"
[ -n "$loaded" ] && [ "$loaded" -gt 0 ] || fail "the status bar shows no loaded events"
echo "e2e-tmux: first rows shown, $loaded events loaded"

tmux -L "$sock" send-keys -t e2e '/' 'l' 'o' 'g' 'i' 'n'
wait_for 'matching [0-9,]+' 10 || fail "typing /login did not show a matching count"
wait_for '^/ login' 5 || fail "the filter box does not show what was typed"
matching="$(count matching)"
[ -n "$matching" ] && [ "$matching" -gt 0 ] && [ "$matching" -lt "$loaded" ] ||
	fail "/login should narrow $loaded events to fewer, but matching is '${matching}'"
grep -Eq "${row}login\." "$work/screen" || fail "after /login no login event is listed"
echo "e2e-tmux: /login narrowed $loaded events to $matching"

tmux -L "$sock" send-keys -t e2e Enter
wait_for 'filter login' 5 || fail "enter did not keep the filter"
tmux -L "$sock" send-keys -t e2e Enter
wait_for '^Actor' 5 || fail "enter on an event did not open its detail"
wait_for '^When' 1 || fail "the detail has no When section"
head -3 "$work/screen" | grep -q 'log' || fail "the detail is not of a login event"
echo "e2e-tmux: enter showed the detail"

# q closes the open event (an overlay never quits the app); q in the list exits.
tmux -L "$sock" send-keys -t e2e 'q'
wait_for 'matching [0-9,]+ · all loaded' 5 || fail "q in the event did not go back to the list"
[ ! -s "$work/exit" ] || fail "q in the event quit the app"
echo "e2e-tmux: q closed the event"
tmux -L "$sock" send-keys -t e2e 'q'
deadline=$((SECONDS + 10))
while [ ! -s "$work/exit" ] && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
[ -s "$work/exit" ] || { screen; fail "q did not exit within 10 s"; }
status="$(cat "$work/exit")"
[ "$status" = 0 ] || { screen; fail "auditui exited with status $status after q"; }
echo "e2e-tmux: q exited 0"
echo "e2e-tmux: passed"
