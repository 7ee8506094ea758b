/*
 * A stand-in for cognito-sync-watcher in system tests of the unit file: started the way the
 * unit starts the real binary, it speaks the same sd_notify protocol (READY, STATUS, WATCHDOG,
 * RELOADING with MONOTONIC_USEC, STOPPING, ERRNO), so the unit's settings can be checked under a
 * real systemd before (and independently of) the real binary.
 *
 *   - exits 2 with STATUS= and ERRNO= when --config names no readable file;
 *   - says in STATUS= whether $CREDENTIALS_DIRECTORY/aws-credentials was loaded or is the
 *     unit's fallback, and writes $STATE_DIRECTORY/started;
 *   - pings the watchdog every second, unless $CONFIGURATION_DIRECTORY/hang exists (a hung loop);
 *   - reloads on SIGHUP, stops on SIGTERM.
 *
 * No libsystemd: the notification protocol is one datagram, and a static binary runs in any
 * container whatever its C library.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t reload_requested = 0;
static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int signal_number) {
    if (signal_number == SIGHUP) reload_requested = 1; else stop_requested = 1;
}

static void notify(const char *format, ...) {
    const char *path = getenv("NOTIFY_SOCKET");
    if (!path || !*path) return;
    char message[1024];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    size_t length = strlen(path);
    if (length >= sizeof address.sun_path) return;
    memcpy(address.sun_path, path, length);
    if (address.sun_path[0] == '@') address.sun_path[0] = 0;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    if (sendto(fd, message, strlen(message), 0, (struct sockaddr *)&address,
               (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length)) < 0) {
        fprintf(stderr, "stand-in: sd_notify failed: %s\n", strerror(errno));
    }
    close(fd);
}

static int exists(const char *directory, const char *name) {
    char path[4096];
    if (!directory) return 0;
    snprintf(path, sizeof path, "%s/%s", directory, name);
    return access(path, F_OK) == 0;
}

int main(int argc, char **argv) {
    const char *config = NULL;
    fprintf(stderr, "stand-in: started as");
    for (int i = 0; i < argc; i++) {
        fprintf(stderr, " %s", argv[i]);
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) config = argv[i + 1];
    }
    fprintf(stderr, "\n");

    if (!config || access(config, R_OK) != 0) {
        int error = config ? errno : EINVAL;
        notify("STATUS=cannot start: cannot read %s\nERRNO=%d", config ? config : "(no --config)", error);
        fprintf(stderr, "stand-in: cannot read the configuration %s\n", config ? config : "(no --config)");
        return 2;
    }

    const char *credentials = "none";
    char path[4096];
    const char *credentials_directory = getenv("CREDENTIALS_DIRECTORY");
    if (credentials_directory) {
        snprintf(path, sizeof path, "%s/aws-credentials", credentials_directory);
        FILE *file = fopen(path, "r");
        if (file) {
            int first = fgetc(file);
            credentials = first == '#' ? "fallback" : first == EOF ? "empty" : "loaded";
            fclose(file);
        } else {
            credentials = "unreadable";
        }
    }

    const char *state = getenv("STATE_DIRECTORY");
    if (state) {
        snprintf(path, sizeof path, "%s/started", state);
        FILE *file = fopen(path, "w");
        if (!file) {
            notify("STATUS=cannot start: cannot write %s\nERRNO=%d", path, errno);
            return 2;
        }
        fprintf(file, "%ld\n", (long)time(NULL));
        fclose(file);
    }

    struct sigaction action = { .sa_handler = on_signal };
    sigemptyset(&action.sa_mask);
    sigaction(SIGHUP, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);

    notify("READY=1\nSTATUS=stand-in: config %s, aws-credentials %s", config, credentials);
    unsigned reloads = 0;
    while (!stop_requested) {
        if (reload_requested) {
            reload_requested = 0;
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            notify("RELOADING=1\nMONOTONIC_USEC=%llu",
                   (unsigned long long)now.tv_sec * 1000000ULL + (unsigned long long)now.tv_nsec / 1000ULL);
            reloads++;
            notify("READY=1\nSTATUS=stand-in: reloaded %u time(s)", reloads);
        }
        if (!exists(getenv("CONFIGURATION_DIRECTORY"), "hang")) notify("WATCHDOG=1");
        sleep(1);
    }
    notify("STOPPING=1");
    fprintf(stderr, "stand-in: stopped\n");
    return 0;
}
