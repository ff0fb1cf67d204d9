/*
 * stdlib.c — the registry of builtins and standard modules, and the
 * argument checks natives share.
 *
 * Modules are built once, on the first lookup (the compiler's, before any
 * goroutine runs), under pthread_once; afterwards they are immutable
 * static objects read by every thread.
 */
#include "stdlib/stdlib.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Constructors of the modules written with the runtime: stdlib.h. */

typedef struct ModuleEntry {
    const char *name;
    ObjModule *(*make)(void);
    ObjModule *module;
} ModuleEntry;

static ModuleEntry modules[] = {
    { "time", stdlib_time_module, NULL },
    { "strings", stdlib_strings_module, NULL },
    { "math", stdlib_math_module, NULL },
    { "rand", stdlib_rand_module, NULL },
    { "os", stdlib_os_module, NULL },
    { "io", stdlib_io_module, NULL },
    { "runtime", stdlib_runtime_module, NULL },
    { "net", stdlib_net_module, NULL },
};
enum { NMODULES = sizeof modules / sizeof modules[0] };

static const char *module_names[NMODULES + 1];
static const char **builtin_names;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void registry_init(void)
{
    size_t n = 0;
    for (size_t i = 0; i < NMODULES; i++) {
        if (modules[i].make)
            modules[i].module = modules[i].make();
        if (modules[i].module)
            module_names[n++] = modules[i].name;
    }
    module_names[n] = NULL;
    ObjModule *b = stdlib_builtins_module();
    static const char *names[64];
    size_t k = 0;
    for (size_t i = 0; i < b->nmembers && k + 1 < sizeof names / sizeof names[0]; i++)
        names[k++] = b->members[i].name;
    names[k] = NULL;
    builtin_names = names;
}

bool module_get(const ObjModule *m, const char *name, Value *out)
{
    for (size_t i = 0; i < m->nmembers; i++) {
        if (strcmp(m->members[i].name, name) == 0) {
            *out = m->members[i].value;
            return true;
        }
    }
    return false;
}

bool stdlib_builtin(const char *name, Value *out)
{
    pthread_once(&init_once, registry_init);
    return module_get(stdlib_builtins_module(), name, out);
}

ObjModule *stdlib_module(const char *name)
{
    pthread_once(&init_once, registry_init);
    for (size_t i = 0; i < NMODULES; i++)
        if (strcmp(modules[i].name, name) == 0)
            return modules[i].module;
    return NULL;
}

const char *const *stdlib_builtin_names(void)
{
    pthread_once(&init_once, registry_init);
    return builtin_names;
}

const char *const *stdlib_module_names(void)
{
    pthread_once(&init_once, registry_init);
    return module_names;
}

/* --- argument checks --------------------------------------------------------- */

bool stdlib_check_nargs(Gor *g, const char *name, int nargs, int min, int max)
{
    if (nargs >= min && (max < 0 || nargs <= max))
        return true;
    if (max < 0)
        vm_panic(g, "wrong number of arguments in call to %s: have %d, want at least %d", name, nargs, min);
    else if (min == max)
        vm_panic(g, "wrong number of arguments in call to %s: have %d, want %d", name, nargs, min);
    else if (max == min + 1)
        vm_panic(g, "wrong number of arguments in call to %s: have %d, want %d or %d", name, nargs, min, max);
    else
        vm_panic(g, "wrong number of arguments in call to %s: have %d, want %d to %d", name, nargs, min, max);
    return false;
}

int stdlib_bad_arg(Gor *g, const char *name, int i, const char *want, Value have)
{
    vm_panic(g, "bad argument %d to %s (want %s, have %s)", i + 1, name, want, value_type_name(have));
    return NATIVE_PANIC;
}

bool stdlib_check_type(Gor *g, const char *name, Value *args, int i, ValueType want, const char *want_name)
{
    if (args[i].type == want)
        return true;
    stdlib_bad_arg(g, name, i, want_name, args[i]);
    return false;
}

/* --- errors ------------------------------------------------------------------- */

const char *stdlib_strerror(int err, char *buf, size_t size)
{
    /* glibc's messages are Go's with a capital first letter. */
    const char *s = strerror_r(err, buf, size);
    if (s != buf) {
        snprintf(buf, size, "%s", s);
    }
    if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
        buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}

Value stdlib_path_error(Gor *g, const char *op, const char *path, int err)
{
    char ebuf[128], msg[4096 + 256];
    stdlib_strerror(err, ebuf, sizeof ebuf);
    int n = snprintf(msg, sizeof msg, "%s %s: %s", op, path, ebuf);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof msg)
        n = sizeof msg - 1;
    return STR_VAL(str_new(&g->heap, msg, (size_t)n));
}
