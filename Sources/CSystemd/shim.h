#ifndef COGNITO_SYNC_WATCHER_CSYSTEMD_SHIM_H
#define COGNITO_SYNC_WATCHER_CSYSTEMD_SHIM_H

// libsystemd's notification and journal APIs. The variadic forms (sd_notifyf,
// sd_journal_send) cannot be called from Swift; the Systemd target uses sd_notify and
// sd_journal_sendv instead.
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

// The device and inode numbers of what a file descriptor refers to, as fstat(2) reports them;
// 0 on success, -1 (errno set) on failure. In C because Swift code that reads `struct stat`'s
// members must import the module that first included <sys/stat.h>, which varies by build.
static inline int csw_file_identity(int descriptor, uint64_t *device, uint64_t *inode) {
    struct stat info;
    if (fstat(descriptor, &info) != 0) {
        return -1;
    }
    *device = (uint64_t)info.st_dev;
    *inode = (uint64_t)info.st_ino;
    return 0;
}

#endif
