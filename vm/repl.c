/*
 * repl.c — the REPL. Not written yet: `csp` on a terminal says so.
 */
#include <stdio.h>

#include "vm/repl.h"

int repl_main(int threads) {
    (void)threads;
    fprintf(stderr, "REPL not available yet\n");
    return 1;
}
