/*
 * stdlib.h — how the builtins (LANGUAGE.md section 7) and the standard
 * modules (section 8) are found and declared.
 *
 * Builtins and module members are static objects, shared by every
 * goroutine. The compiler resolves a builtin name or `module.member` at
 * compile time when the name is not shadowed, so calling `println` or
 * `time.sleep` costs no lookup at run time.
 */
#ifndef CSP_STDLIB_H
#define CSP_STDLIB_H

#include "vm/gor.h"

/* Declares a static native object `obj_NAME` for C function `fn_NAME`. */
#define STDLIB_NATIVE(cname, shown_name) \
    static int fn_##cname(Gor *g, int nargs, Value *args, Value *out); \
    static ObjNative obj_##cname = { { NULL, VAL_NATIVE, OBJ_STATIC }, shown_name, fn_##cname }

#define NATIVE_MEMBER(name, cname)  { name, { .type = VAL_NATIVE, .as.o = (Obj *)&obj_##cname } }
#define INT_MEMBER(name, ival)      { name, { .type = VAL_INT, .as.i = (ival) } }
#define FLOAT_MEMBER(name, x)       { name, { .type = VAL_FLOAT, .as.f = (x) } }

/* The builtin named `name` (print, len, ...); false if there is none. */
bool stdlib_builtin(const char *name, Value *out);
/* The standard module named `name` (time, strings, ...), or NULL. */
ObjModule *stdlib_module(const char *name);
/* A member of a module; false if absent. */
bool module_get(const ObjModule *m, const char *name, Value *out);
/* Names, for the REPL's completion: NULL-terminated arrays. */
const char *const *stdlib_builtin_names(void);
const char *const *stdlib_module_names(void);

/* Each module's file defines its constructor (called once, at start-up,
 * before any goroutine runs). */
ObjModule *stdlib_time_module(void);      /* stdlib/time.c    (runtime helper) */
ObjModule *stdlib_io_module(void);        /* stdlib/io.c      */
ObjModule *stdlib_net_module(void);       /* stdlib/net.c     */
ObjModule *stdlib_runtime_module(void);   /* stdlib/runtime.c */
ObjModule *stdlib_strings_module(void);   /* stdlib/strings.c */
ObjModule *stdlib_math_module(void);      /* stdlib/math.c    */
ObjModule *stdlib_rand_module(void);      /* stdlib/rand.c    */
ObjModule *stdlib_os_module(void);        /* stdlib/os.c      */

/* os.args, set by main before the program starts. */
void stdlib_set_args(int argc, char **argv);

/* Checks of native arguments that panic with the spec's messages:
 * `wrong number of arguments in call to NAME: have N, want M` and
 * `bad argument I to NAME (want WHAT, have TYPE)`. Return false after
 * vm_panic, so a native writes `if (!stdlib_check_nargs(...)) return NATIVE_PANIC;`. */
bool stdlib_check_nargs(Gor *g, const char *name, int nargs, int min, int max);
bool stdlib_check_type(Gor *g, const char *name, Value *args, int i, ValueType want, const char *want_name);
/* In both, max < 0 means no upper limit (`want at least MIN`), and i is the
 * index into args (the message counts from 1). stdlib_bad_arg panics with
 * `bad argument I to NAME (want WANT, have TYPE)` and returns NATIVE_PANIC. */
int stdlib_bad_arg(Gor *g, const char *name, int i, const char *want, Value have);

/* The builtins as a module-like table (stdlib/builtins.c). */
ObjModule *stdlib_builtins_module(void);

/* An errno as Go's syscall package spells it: "no such file or directory". */
const char *stdlib_strerror(int err, char *buf, size_t size);
/* Go's *PathError text: "open /x: no such file or directory", as a string
 * in g's heap. */
Value stdlib_path_error(Gor *g, const char *op, const char *path, int err);

#endif
