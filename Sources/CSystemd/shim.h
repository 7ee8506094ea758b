#ifndef COGNITO_SYNC_WATCHER_CSYSTEMD_SHIM_H
#define COGNITO_SYNC_WATCHER_CSYSTEMD_SHIM_H

// libsystemd's notification and journal APIs. The variadic forms (sd_notifyf,
// sd_journal_send) cannot be called from Swift; the Systemd target uses sd_notify and
// sd_journal_sendv instead.
#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#endif
