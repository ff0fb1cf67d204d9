/*
 * repl.c — the REPL: `csp` with a terminal on standard input
 * (LANGUAGE.md section 9).
 *
 * The loop reads a line with libedit (prompt `> `), adds it to the
 * input, and parses the input with ast_parse_prompt: while the parser
 * says it is merely incomplete (an open bracket, block or raw string) it
 * asks for another line with the prompt `... `; otherwise it compiles the
 * input against the session (repl_compile.c) and runs it (repl_run.c),
 * and the prompt comes back when the input has ended.
 *
 * In short: the session's variables are boxes in a heap of the session's
 * own; an input is compiled as a closure over those boxes and runs in a
 * goroutine of its own on the ordinary scheduler, which receives a deep
 * copy of the boxes and hands its copy back when it ends (share-nothing,
 * as between any goroutines). The scheduler runs without a main goroutine
 * (sched_set_hooks): its workers go on running the goroutines started at
 * the prompt while this thread waits in libedit for the next line.
 *
 * What the user sees (decisions where LANGUAGE.md is silent):
 *   - statements, `func`, `const` and `import` at the prompt; `x := 1`
 *     defines x for the rest of the session, and `x := 2` later simply
 *     assigns (redefinition is allowed at the prompt); a second `func f`
 *     replaces f for every caller;
 *   - an expression statement prints its value, strings quoted (`"hi"`),
 *     several results separated by spaces (`3 nil`); a call whose only
 *     result is nil prints nothing (`println("x")` does not echo nil),
 *     while a bare `nil` or a nil variable prints `nil`;
 *   - errors are reported as for files, against the file name `<stdin>`
 *     and the lines of the current input; a panic prints its report and the
 *     prompt comes back with the session as the input left it; a deadlock
 *     (the input waits and no goroutine, timer or I/O can wake anything)
 *     prints `all goroutines are asleep - deadlock!` and the goroutine
 *     dump, likewise;
 *   - goroutines started at the prompt run on in the background; their
 *     output appears as it comes, and a panic in one of them is reported
 *     without ending the REPL. os.exit(code) ends it;
 *   - Ctrl-C while an input runs interrupts it (it panics `interrupted`
 *     at its next time slice; an input blocked for more than half a second
 *     more is abandoned, and the session keeps the values from before it);
 *     Ctrl-C at the prompt discards the line and any pending `... ` input;
 *     Ctrl-D on an empty line leaves with status 0 (within a `... `
 *     input, it discards that input);
 *   - Tab completes keywords, builtins, module names, `module.` members,
 *     the session's names, the names of the input being typed and, at the
 *     start of a line, commands (file paths after `:load `); a second Tab
 *     lists the candidates;
 *   - history: each line entered, kept in ~/.csp_history (1000 lines; no
 *     file when HOME is unset) and recalled with Up/Down;
 *   - commands: :help, :quit, :load FILE (runs FILE's func, const and
 *     import declarations into the session; main is not called),
 *     :disasm [NAME] (the bytecode of a function, default the last input).
 */
#include <ctype.h>
#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "parser/ast.h"
#include "parser/diag.h"
#include "runtime/sched.h"
#include "stdlib/stdlib.h"
#include "vm/repl.h"
#include "vm/repl_int.h"
#include "vm/strbuf.h"

#define HISTORY_SIZE 1000
#define INPUT_NAME "<stdin>"

static Session session;
static EditLine *el;
static History *hist;
static char hist_path[PATH_MAX];   /* "" when there is no history file */
static const char *prompt = "> ";
static StrBuf input;               /* the lines of an input still incomplete */
static struct termios tty_saved;   /* the terminal's mode at start */
static bool tty_known;

void repl_terminal_restore(void) {
    if (tty_known) tcsetattr(STDIN_FILENO, TCSANOW, &tty_saved);
}

static const char help_text[] =
    "Type statements, expressions and func, const or import declarations.\n"
    "An expression's value is printed (strings quoted); names persist between\n"
    "inputs (x := 1 at the prompt defines or redefines x); goroutines started\n"
    "here keep running in the background.\n"
    "\n"
    "  :help            this text\n"
    "  :quit            leave (also Ctrl-D on an empty line)\n"
    "  :load FILE       run FILE's declarations (func, const, import) here\n"
    "  :disasm [NAME]   the bytecode of function NAME (default: the last input)\n"
    "\n"
    "Tab completes names, Up and Down recall lines (kept in ~/.csp_history),\n"
    "Ctrl-C interrupts the running input or discards the line.\n";

/* --- libedit callbacks --- */

static char *prompt_fn(EditLine *e) {
    (void)e;
    return (char *)prompt;
}

static int term_width(void) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

/* Prints the candidates in columns, below the line being edited. */
static void list_candidates(char **c, int n) {
    size_t w = 0;
    for (int i = 0; i < n; i++)
        if (strlen(c[i]) > w) w = strlen(c[i]);
    w += 2;
    int cols = (int)((size_t)term_width() / w);
    if (cols < 1) cols = 1;
    int rows = (n + cols - 1) / cols;
    fputc('\n', stdout);
    for (int r = 0; r < rows; r++) {
        for (int col = 0; col < cols; col++) {
            int i = col * rows + r;
            if (i >= n) break;
            bool last = col == cols - 1 || (col + 1) * rows + r >= n;
            if (last) fputs(c[i], stdout);
            else fprintf(stdout, "%-*s", (int)w, c[i]);
        }
        fputc('\n', stdout);
    }
    fflush(stdout);
}

static bool word_char(char c) {
    return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* Tab: completes the word before the cursor to the candidates' longest
 * common prefix; when that adds nothing, lists the candidates. */
static unsigned char complete_fn(EditLine *e, int ch) {
    (void)ch;
    const LineInfo *li = el_line(e);
    const char *start = li->cursor;
    const char *arg = li->buffer;
    while (arg < li->cursor && isspace((unsigned char)*arg)) arg++;
    bool load = input.len == 0 && li->cursor - arg >= 6 && strncmp(arg, ":load ", 6) == 0;
    if (load) {
        /* A file name: everything since the last space. */
        while (start > li->buffer && !isspace((unsigned char)start[-1])) start--;
    }
    while (!load && start > li->buffer && word_char(start[-1])) start--;
    if (start == li->buffer + 1 && start[-1] == ':') start--;
    bool at_start = true;
    for (const char *p = li->buffer; p < start; p++)
        if (!isspace((unsigned char)*p)) at_start = false;
    size_t len = (size_t)(li->cursor - start);
    /* The input typed so far, without the word being completed. */
    StrBuf ctx;
    strbuf_init(&ctx);
    if (input.len) strbuf_append(&ctx, input.data, input.len);
    strbuf_append(&ctx, li->buffer, (size_t)(start - li->buffer));
    strbuf_appendc(&ctx, ' ');
    strbuf_append(&ctx, li->cursor, (size_t)(li->lastchar - li->cursor));
    char **c = load ? repl_complete_path(start, len)
                    : repl_completions(&session, start, len, at_start, strbuf_cstr(&ctx));
    strbuf_free(&ctx);
    int n = 0;
    while (c[n]) n++;
    unsigned char ret = CC_ERROR;
    if (n > 0) {
        size_t common = strlen(c[0]);
        for (int i = 1; i < n; i++) {
            size_t k = 0;
            while (k < common && c[i][k] == c[0][k]) k++;
            common = k;
        }
        if (common > len) {
            char *add = strndup(c[0] + len, common - len);
            el_insertstr(e, add);
            free(add);
            ret = CC_REFRESH;
        } else if (n > 1) {
            list_candidates(c, n);
            ret = CC_REDISPLAY;
        } else {
            ret = CC_REFRESH;
        }
    }
    for (int i = 0; i < n; i++) free(c[i]);
    free(c);
    return ret;
}

static void on_sigint(int sig) {
    (void)sig;
    repl_sigint++;
    char c = 'i';
    ssize_t n = write(repl_wake_fd[1], &c, 1);
    (void)n;
}

/* --- history --- */

static void history_setup(void) {
    HistEvent ev;
    hist = history_init();
    history(hist, &ev, H_SETSIZE, HISTORY_SIZE);
    history(hist, &ev, H_SETUNIQUE, 1);
    const char *home = getenv("HOME");
    if (home && *home) {
        snprintf(hist_path, sizeof hist_path, "%s/.csp_history", home);
        history(hist, &ev, H_LOAD, hist_path);
    }
}

static void history_add(const char *line) {
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    bool blank = true;
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)line[i])) blank = false;
    if (blank) return;
    char *s = strndup(line, n);
    HistEvent ev;
    history(hist, &ev, H_ENTER, s);
    if (hist_path[0]) history(hist, &ev, H_SAVE, hist_path);
    free(s);
}

/* --- running --- */

static _Noreturn void leave(int code) {
    el_end(el);
    history_end(hist);
    rt_exit(code);
}

/* Compiles and runs a parsed input; the Ast stays alive with its code. */
static void run_ast(Ast *ast, bool only_decls) {
    if (ast->root->list.len == 0) {
        ast_free(ast);
        return;
    }
    Proto *p = repl_compile(&session, ast, only_decls);
    if (!p) {
        ast_free(ast);
        return;
    }
    repl_run(&session, p);
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    StrBuf b;
    strbuf_init(&b);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) strbuf_append(&b, chunk, got);
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        strbuf_free(&b);
        errno = err;
        return NULL;
    }
    *len = b.len;
    return strbuf_cstr(&b);
}

static void cmd_load(const char *path) {
    if (!*path) {
        fputs("usage: :load FILE\n", stderr);
        return;
    }
    size_t len;
    char *src = read_file(path, &len);
    if (!src) {
        fprintf(stderr, "csp: cannot read %s: %s\n", path, strerror(errno));
        return;
    }
    diag_reset();
    int incomplete = 0;
    Ast *ast = ast_parse(path, src, len, &incomplete);
    free(src);
    if (!ast) return;
    if (!ast->root) {
        ast_free(ast);
        return;
    }
    run_ast(ast, true);
}

static void disasm_all(const Proto *p) {
    disasm_proto(p, stdout);
    for (int i = 0; i < p->nprotos; i++) disasm_all(p->protos[i]);
}

static void cmd_disasm(const char *name) {
    if (!*name) {
        if (session.last) disasm_all(session.last);
        else fputs("nothing compiled yet\n", stderr);
        fflush(stdout);
        return;
    }
    Value v = NIL_VAL;
    bool found = false;
    const char *dot = strchr(name, '.');
    char head[256];
    snprintf(head, sizeof head, "%.*s", dot ? (int)(dot - name) : (int)strlen(name), name);
    SessName *n = session_find(&session, head);
    if (n && n->kind == SN_VAR && n->box < session.nboxes) {
        v = session.boxes[n->box]->value;
        found = true;
    } else if (n) {
        v = n->value;
        found = true;
    } else if (stdlib_builtin(head, &v)) {
        found = true;
    } else if (stdlib_module(head)) {
        v = OBJ_VAL(VAL_MODULE, stdlib_module(head));
        found = true;
    }
    if (found && dot) {
        if (v.type == VAL_MODULE) found = module_get(AS_MODULE(v), dot + 1, &v);
        else found = false;
    }
    if (!found) fprintf(stderr, "undefined: %s\n", name);
    else if (v.type == VAL_FUNC) disasm_all(AS_FUNC(v)->proto);
    else if (v.type == VAL_NATIVE) fprintf(stderr, "%s is a built-in function\n", name);
    else fprintf(stderr, "%s is not a function\n", name);
    fflush(stdout);
}

/* A line starting with `:`. */
static void command(const char *line) {
    while (isspace((unsigned char)*line)) line++;
    line++;
    char name[32];
    size_t n = 0;
    while (line[n] && !isspace((unsigned char)line[n]) && n < sizeof name - 1) {
        name[n] = line[n];
        n++;
    }
    name[n] = '\0';
    const char *arg = line + n;
    while (isspace((unsigned char)*arg)) arg++;
    char argbuf[PATH_MAX];
    snprintf(argbuf, sizeof argbuf, "%s", arg);
    size_t alen = strlen(argbuf);
    while (alen > 0 && isspace((unsigned char)argbuf[alen - 1])) argbuf[--alen] = '\0';

    if (strcmp(name, "help") == 0 || strcmp(name, "h") == 0 || strcmp(name, "?") == 0) {
        fputs(help_text, stdout);
        fflush(stdout);
    } else if (strcmp(name, "quit") == 0 || strcmp(name, "q") == 0 || strcmp(name, "exit") == 0) {
        leave(0);
    } else if (strcmp(name, "load") == 0) {
        cmd_load(argbuf);
    } else if (strcmp(name, "disasm") == 0) {
        cmd_disasm(argbuf);
    } else {
        fprintf(stderr, "unknown command :%s (try :help)\n", name);
    }
}

/* --- the loop --- */

static void editor_setup(void) {
    el = el_init("csp", stdin, stdout, stderr);
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_SIGNAL, 1);
    el_set(el, EL_PROMPT, prompt_fn);
    el_set(el, EL_HIST, history, hist);
    el_set(el, EL_ADDFN, "csp-complete", "complete a name", complete_fn);
    el_set(el, EL_BIND, "^I", "csp-complete", NULL);
    el_source(el, NULL);
}

int repl_main(int threads) {
    setlocale(LC_CTYPE, "");
    tty_known = tcgetattr(STDIN_FILENO, &tty_saved) == 0;
    rt_exit_hook = repl_terminal_restore;
    heap_init_globals();
    stdlib_set_args(0, NULL);
    repl_run_init(threads);
    heap_init(&session.heap);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);

    history_setup();
    editor_setup();
    fputs("csp: :help for help, Ctrl-D to leave\n", stdout);
    fflush(stdout);

    strbuf_init(&input);
    for (;;) {
        prompt = input.len ? "... " : "> ";
        repl_sigint = 0;
        int count = 0;
        const char *line = el_gets(el, &count);
        if (repl_sigint > 0) {
            /* Ctrl-C: forget the line and the pending input. */
            repl_sigint = 0;
            input.len = 0;
            fputc('\n', stdout);
            fflush(stdout);
            continue;
        }
        if (!line && count < 0 && errno == EINTR) continue;   /* another signal */
        if (!line || count <= 0) {
            fputc('\n', stdout);
            fflush(stdout);
            if (input.len == 0) leave(0);
            input.len = 0;           /* Ctrl-D within a `... ` input drops it */
            continue;
        }
        history_add(line);
        if (input.len == 0) {
            const char *p = line;
            while (*p == ' ' || *p == '\t') p++;
            if (*p == ':') {
                command(p);
                continue;
            }
        }
        strbuf_append(&input, line, strlen(line));
        diag_reset();
        int incomplete = 0;
        Ast *ast = ast_parse_prompt(INPUT_NAME, input.data, input.len, &incomplete);
        if (!ast || !ast->root) {
            if (ast) ast_free(ast);
            if (!incomplete) input.len = 0;
            continue;
        }
        input.len = 0;
        run_ast(ast, false);
    }
}
