/*
 * repl.h — the interactive read-eval-print loop (`csp` on a terminal).
 */
#ifndef CSP_REPL_H
#define CSP_REPL_H

/* Runs the REPL on the terminal; returns the process exit status. */
int repl_main(void);

#endif
