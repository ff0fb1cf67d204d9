/*
 * repl_int.h — what the REPL's files share:
 *
 *   repl.c           the terminal: line editing, history, commands, the loop
 *   repl_compile.c   compiling one input against the session's names
 *   repl_run.c       running an input on the scheduler, the session's state
 *   repl_complete.c  tab completion of names
 *
 * The session: every name defined at the prompt. Variables (`x := 1`) and
 * functions (`func f() {}`) live in boxes, one per name; constants and
 * imported modules are compile-time values. Only the REPL thread reads or
 * changes a Session, and only while no input runs.
 */
#ifndef CSP_REPL_INT_H
#define CSP_REPL_INT_H

#include <signal.h>
#include <stdbool.h>

#include "parser/ast.h"
#include "vm/code.h"
#include "vm/heap.h"

typedef enum { SN_VAR, SN_CONST, SN_MODULE } SessKind;

typedef struct SessName {
    const char *name;            /* never freed: compiled code points to it */
    SessKind kind;
    bool is_func;                /* SN_VAR last set by a `func` declaration */
    int box;                     /* SN_VAR: index of its box */
    Value value;                 /* SN_CONST: the constant; SN_MODULE: the ObjModule */
} SessName;

typedef struct Session {
    SessName *names;
    int nnames, capnames;
    /* The variables' boxes, in a heap of the session's own. Box i is the
     * i-th captured variable of every input function compiled since it
     * was made; boxname[i] is its name, "" once the name was redefined
     * as a constant or module (the box then lingers unnamed). */
    Heap heap;
    ObjBox **boxes;              /* nboxes made so far */
    int nboxes;
    const char **boxname;        /* nboxnames >= nboxes: names compiled, boxes maybe not yet made */
    int nboxnames, capboxnames;
    Proto *last;                 /* the last input compiled (:disasm without a name) */
} Session;

/* --- repl_compile.c --- */

/* Compiles an input (the statements and declarations of ast->root, in
 * order) as a function of no parameters whose captured variables are the
 * session's boxes. Top-level `:=`, `var` and `func` define or redefine
 * session variables; `const` and `import` session constants and modules;
 * each top-level expression statement prints its value. With only_decls
 * (:load), statements are errors. Errors are reported through diag; then
 * NULL and the session is unchanged. On success the session has the new
 * names (s->nboxnames may exceed s->nboxes: repl_run makes the boxes). */
Proto *repl_compile(Session *s, Ast *ast, bool only_decls);
/* The session name, or NULL. */
SessName *session_find(Session *s, const char *name);

/* --- repl_run.c --- */

/* Starts the scheduler for the REPL (its workers, the hooks). */
void repl_run_init(int threads);
/* Runs p (from repl_compile) as the next input and waits until it ends,
 * panics, deadlocks or is interrupted by Ctrl-C (repl_sigint). Goroutines
 * it started run on. The session then holds the variables as the input
 * left them (as they were before it, when it had to be abandoned). */
void repl_run(Session *s, Proto *p);
/* The self-pipe the SIGINT handler and the scheduler hooks write to. */
extern int repl_wake_fd[2];
/* Ctrl-C presses not yet handled. */
extern volatile sig_atomic_t repl_sigint;

/* --- repl.c --- */

/* Puts the terminal back in the mode the REPL found it in (any thread). */
void repl_terminal_restore(void);

/* --- repl_complete.c --- */

/* Candidates for completing the word `word` (len bytes; may hold one
 * `module.` prefix), at the start of a line when at_start. `context` is
 * the rest of the input being typed (earlier `... ` lines included): its
 * identifiers are candidates too, so a function's parameters and locals
 * complete while its body is typed. The names are malloc'd, the array
 * NULL-terminated. */
char **repl_completions(Session *s, const char *word, size_t len, bool at_start,
                        const char *context);
/* Candidates for a file path (the argument of :load): the entries of its
 * directory that start with its last component; directories end in `/`. */
char **repl_complete_path(const char *word, size_t len);

#endif
