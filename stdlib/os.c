/*
 * os.c — the `os` module: args, exit, getenv, read_file, write_file.
 *
 * os.args is a static list of static strings, filled by stdlib_set_args
 * before the program starts. A static object must never be written, so
 * the VM hands a goroutine its own copy: loading a module member that is
 * a list goes through heap_copy_value, which copies static lists (and
 * shares static strings). Errors of file operations are Go's *PathError
 * texts: `open /x: no such file or directory`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stdlib/stdlib.h"
#include "vm/strbuf.h"

static ObjList os_args = { { NULL, VAL_LIST, OBJ_STATIC }, 0, 0, NULL };

void stdlib_set_args(int argc, char **argv)
{
    Value *items = argc > 0 ? malloc((size_t)argc * sizeof(Value)) : NULL;
    if (argc > 0 && !items)
        heap_out_of_memory();
    for (int i = 0; i < argc; i++)
        items[i] = STR_VAL(str_static(argv[i], strlen(argv[i])));
    os_args.items = items;
    os_args.len = os_args.cap = argc > 0 ? (size_t)argc : 0;
}

STDLIB_NATIVE(exit, "os.exit");
static int fn_exit(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "os.exit", nargs, 1, 1) ||
        !stdlib_check_type(g, "os.exit", args, 0, VAL_INT, "int"))
        return NATIVE_PANIC;
    rt_exit((int)args[0].as.i);
}

STDLIB_NATIVE(getenv, "os.getenv");
static int fn_getenv(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "os.getenv", nargs, 1, 1) ||
        !stdlib_check_type(g, "os.getenv", args, 0, VAL_STR, "string"))
        return NATIVE_PANIC;
    const char *v = getenv(AS_STR(args[0])->chars);
    out[0] = v ? STR_VAL(str_new(&g->heap, v, strlen(v))) : NIL_VAL;
    return 1;
}

STDLIB_NATIVE(read_file, "os.read_file");
static int fn_read_file(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "os.read_file", nargs, 1, 1) ||
        !stdlib_check_type(g, "os.read_file", args, 0, VAL_STR, "string"))
        return NATIVE_PANIC;
    const char *path = AS_STR(args[0])->chars;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        Value err = stdlib_path_error(g, "open", path, errno);
        out[0] = NIL_VAL;
        out[1] = err;
        return 2;
    }
    struct stat st;
    size_t hint = (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) ? (size_t)st.st_size : 0;
    StrBuf b;
    strbuf_init(&b);
    for (;;) {
        size_t room = hint > b.len ? hint - b.len + 1 : 65536;
        char *dst = strbuf_reserve(&b, room);
        ssize_t n = read(fd, dst, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            strbuf_free(&b);
            Value err = stdlib_path_error(g, "read", path, e);
            out[0] = NIL_VAL;
            out[1] = err;
            return 2;
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
    }
    close(fd);
    out[0] = STR_VAL(str_new(&g->heap, b.data ? b.data : "", b.len));
    out[1] = NIL_VAL;
    strbuf_free(&b);
    return 2;
}

STDLIB_NATIVE(write_file, "os.write_file");
static int fn_write_file(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "os.write_file", nargs, 2, 2) ||
        !stdlib_check_type(g, "os.write_file", args, 0, VAL_STR, "string") ||
        !stdlib_check_type(g, "os.write_file", args, 1, VAL_STR, "string"))
        return NATIVE_PANIC;
    const char *path = AS_STR(args[0])->chars;
    const ObjStr *data = AS_STR(args[1]);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        out[0] = stdlib_path_error(g, "open", path, errno);
        return 1;
    }
    size_t done = 0;
    while (done < data->len) {
        ssize_t n = write(fd, data->chars + done, data->len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            out[0] = stdlib_path_error(g, "write", path, e);
            return 1;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) {
        out[0] = stdlib_path_error(g, "close", path, errno);
        return 1;
    }
    out[0] = NIL_VAL;
    return 1;
}

static ModuleMember members[] = {
    { "args", { .type = VAL_LIST, .as.o = (Obj *)&os_args } },
    NATIVE_MEMBER("exit", exit),
    NATIVE_MEMBER("getenv", getenv),
    NATIVE_MEMBER("read_file", read_file),
    NATIVE_MEMBER("write_file", write_file),
};

static ObjModule module = {
    { NULL, VAL_MODULE, OBJ_STATIC }, "os", sizeof members / sizeof members[0], members,
};

ObjModule *stdlib_os_module(void)
{
    return &module;
}
