# shellcheck shell=bash
# Sourced by scripts/install and scripts/package (from the package's root folder): where the
# files of deploy/systemd go, in one place, for both.
#
#   layout_install DESTDIR PREFIX UNITDIR   installs under DESTDIR the units (into UNITDIR: /etc/systemd/system
#                                           for scripts/install, /usr/lib/systemd/system for the package),
#                                           the alert script, the example hooks, the message catalog, the
#                                           sysusers.d file of the admin group, and
#                                           the README, the network drop-in and the Prometheus alert rules
#                                           and Grafana dashboard as documentation, with the /usr/local paths in
#                                           the units and the catalog changed to PREFIX's
#   layout_put MODE SOURCE TARGET           one file (TARGET under DESTDIR), with PREFIX applied
#   layout_admin_group FILE                 creates the admin group (the unit's Group=) from the
#                                           sysusers.d FILE, on this machine, if it does not exist
#   systemd_major                           this machine's systemd version number, e.g. 252 (0 if none)
#   LAYOUT_DOC                              PREFIX/share/doc/cognito-sync-watcher, the catalog's Support: folder
#
# Each file installed is named on stderr as "LABEL: TARGET" (LAYOUT_LABEL, default "install").

layout_localize() {
    sed -e "s|/usr/local/bin/cognito-sync-watcher|$LAYOUT_PREFIX/bin/cognito-sync-watcher|g" \
        -e "s|/usr/local/share/doc/cognito-sync-watcher|$LAYOUT_PREFIX/share/doc/cognito-sync-watcher|g" \
        -e "s|/usr/local/lib/cognito-sync-watcher|$LAYOUT_PREFIX/lib/cognito-sync-watcher|g" "$1"
}

layout_put() {
    local mode=$1 source=$2 target=$LAYOUT_DESTDIR$3
    install -d -m 0755 "$(dirname "$target")"
    layout_localize "$source" >"$target.tmp"
    chmod "$mode" "$target.tmp"
    mv -f "$target.tmp" "$target"
    echo "${LAYOUT_LABEL:-install}: $3" >&2
}

layout_install() {
    LAYOUT_DESTDIR=$1
    LAYOUT_PREFIX=$2
    LAYOUT_DOC=$LAYOUT_PREFIX/share/doc/cognito-sync-watcher
    local unitdir=$3
    layout_put 0644 deploy/systemd/cognito-sync-watcher.service "$unitdir/cognito-sync-watcher.service"
    layout_put 0644 deploy/systemd/cognito-sync-watcher-alert.service "$unitdir/cognito-sync-watcher-alert.service"
    layout_put 0755 deploy/systemd/alert-on-failed "$LAYOUT_PREFIX/lib/cognito-sync-watcher/alert-on-failed"
    # The example hooks are programs that a configuration names by path, so they go under lib/
    # beside the alert script, not under share/doc/…/examples: documentation may be left out
    # (dpkg's path-exclude in minimal images), and a hook gone with it would fail every event.
    layout_put 0755 deploy/hooks/post-webhook "$LAYOUT_PREFIX/lib/cognito-sync-watcher/hooks/post-webhook"
    layout_put 0755 deploy/hooks/send-mail "$LAYOUT_PREFIX/lib/cognito-sync-watcher/hooks/send-mail"
    layout_put 0644 deploy/systemd/cognito-sync-watcher.catalog "$LAYOUT_PREFIX/lib/systemd/catalog/cognito-sync-watcher.catalog"
    layout_put 0644 deploy/systemd/cognito-sync-watcher.sysusers "$LAYOUT_PREFIX/lib/sysusers.d/cognito-sync-watcher.conf"
    layout_put 0644 README.md "$LAYOUT_DOC/README.md"
    layout_put 0644 deploy/systemd/network.conf "$LAYOUT_DOC/network.conf"
    layout_put 0644 deploy/prometheus/alerts.yml "$LAYOUT_DOC/examples/prometheus/alerts.yml"
    layout_put 0644 deploy/prometheus/alerts.test.yml "$LAYOUT_DOC/examples/prometheus/alerts.test.yml"
    layout_put 0644 deploy/grafana/cognito-sync-watcher.json "$LAYOUT_DOC/examples/grafana/cognito-sync-watcher.json"
}

layout_admin_group() {
    if command -v systemd-sysusers >/dev/null; then
        systemd-sysusers "$1"
    elif ! getent group cognito-sync-watcher-admin >/dev/null; then
        groupadd --system cognito-sync-watcher-admin
    fi
}

systemd_major() {
    systemctl --version 2>/dev/null | sed -n '1s/^systemd \([0-9]*\).*/\1/p' | grep . || echo 0
}
