/* measure: runs one command and records its wall time and peak RSS.
 *
 *     measure RESULT-FILE COMMAND [ARG...]
 *
 * writes "WALL_NS MAXRSS_KB WAIT_STATUS\n" to RESULT-FILE and exits with the
 * command's status (128 + signal when a signal ended it).
 *
 * bench/run starts every benchmark through this small program rather than
 * forking itself: on Linux a child's ru_maxrss never drops below the RSS of
 * the process it was forked from, which for the Python harness is ~17 MB and
 * would hide the start-up memory of every runtime measured. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: measure RESULT-FILE COMMAND [ARG...]\n");
        return 125;
    }
    long long start = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("measure: fork");
        return 125;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "measure: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("measure: wait4");
            return 125;
        }
    }
    long long wall = now_ns() - start;

    FILE *f = fopen(argv[1], "w");
    if (!f || fprintf(f, "%lld %ld %d\n", wall, ru.ru_maxrss, status) < 0 || fclose(f) != 0) {
        perror("measure: result file");
        return 125;
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
