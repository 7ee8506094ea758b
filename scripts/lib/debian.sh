# shellcheck shell=bash
# Sourced by scripts that fetch from Debian's backports (check-unit's newer systemd-analyze, the
# notify-reload system test's container):
#
#   debian_backports_source   prints the apt source line of this machine's release's backports,
#                             on the Debian mirror its apt sources already use
#                             ("deb [signed-by=…] MIRROR CODENAME-backports main"); fails with a
#                             reason when there is none

debian_backports_source() {
    local codename mirror
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    mirror=$(apt-get indextargets --no-release-info --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 2>/dev/null \
        | awk -v c="$codename" '$2 == c && $3 == "main" { print $1; exit }')
    if [ -z "$codename" ] || [ -z "$mirror" ]; then
        echo "error: no Debian release (VERSION_CODENAME in /etc/os-release) or mirror (its main component in the apt sources) found, for the backports" >&2
        return 1
    fi
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $codename-backports main"
}
