# shellcheck shell=bash
# Sourced by the scripts that build (from the package's root folder):
#
#   quiet_build NAME COMMAND [ARG]...   runs a build with its output in .build/logs/NAME.log and,
#                                       instead of the compiler's ~1,800 lines, one line of
#                                       progress: redrawn in place on a terminal, a line every
#                                       tenth of the way otherwise (CI); when the build fails, the
#                                       log's last lines. Returns the command's status.
#                                       QUIET_BUILD=0 shows the compiler's output as it comes.
#   release_build                       the release build that is installed and packaged: the
#                                       Swift runtime linked in (--static-swift-stdlib), so the
#                                       binary needs only libc6 and libsystemd0; prints its path

quiet_build() {
    local name=$1
    shift
    local log=.build/logs/$name.log
    mkdir -p .build/logs
    if [ "${QUIET_BUILD:-1}" = 0 ]; then
        "$@" 2>&1 | tee "$log"
        return "${PIPESTATUS[0]}"
    fi
    local tty=0 started=$SECONDS status
    [ -t 2 ] && tty=1
    echo "$name: $* (log: $log)" >&2
    # swift build numbers its steps [N/TOTAL]; TOTAL grows while it plans, so the tenths are of
    # the total known at the time.
    "$@" 2>&1 | tee "$log" | awk -v tty="$tty" -v name="$name" '
        match($0, /^\[[0-9]+\/[0-9]+\]/) {
            split(substr($0, 2, RLENGTH - 2), step, "/")
            if (tty) {
                printf "\r%s: step %d of %d", name, step[1], step[2] > "/dev/stderr"
                shown = 1
            } else if (step[2] >= 100) {
                tenth = int(10 * step[1] / step[2])
                if (tenth > last) { printf "%s: %d%% (step %d of %d)\n", name, 10 * tenth, step[1], step[2] > "/dev/stderr"; last = tenth }
            }
        }
        END { if (shown) printf "\n" > "/dev/stderr" }'
    status=${PIPESTATUS[0]}
    if [ "$status" -ne 0 ]; then
        echo "$name: FAILED (exit status $status) after $((SECONDS - started)) s; the log's last 40 lines ($log has all):" >&2
        tail -n 40 "$log" >&2
        return "$status"
    fi
    echo "$name: done in $((SECONDS - started)) s" >&2
}

# --disable-local-rpath: no RUNPATH $ORIGIN (nothing is loaded from beside the binary; Debian forbids it).
# -z now: every symbol bound at start-up, so the GOT can be read-only (full RELRO).
RELEASE_BUILD_FLAGS=(-c release --static-swift-stdlib --disable-local-rpath -Xlinker -z -Xlinker now)

release_build() {
    quiet_build build-release swift build "${RELEASE_BUILD_FLAGS[@]}" --product cognito-sync-watcher >&2 || return
    echo "$(swift build "${RELEASE_BUILD_FLAGS[@]}" --show-bin-path)/cognito-sync-watcher"
}
