/*
 * repl.h — the interactive read-eval-print loop (`csp` on a terminal).
 */
#ifndef CSP_REPL_H
#define CSP_REPL_H

/* Runs the REPL on the terminal with `threads` workers (0: CSP_THREADS or
 * the number of CPUs); returns the process exit status. */
int repl_main(int threads);

#endif
