/*
 * code.h — compiled code: instructions, functions (Proto) and programs,
 * and the compiler's entry points.
 *
 * Everything here is built once by the compiler and is immutable
 * afterwards, so every goroutine on every thread reads it without locks.
 * A Proto's constants are static objects (str_static, static ObjFunc,
 * modules) that no collector ever touches.
 */
#ifndef CSP_CODE_H
#define CSP_CODE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vm/object.h"
#include "vm/opcodes.h"

typedef uint64_t Instr;

/* Field access; see the format drawing in opcodes.h. */
#define INS_OP(i)   ((unsigned)((i) & 0xff))
#define INS_A(i)    ((unsigned)(((i) >> 8) & 0xffff))
#define INS_B(i)    ((unsigned)(((i) >> 24) & 0xffff))
#define INS_C(i)    ((unsigned)(((i) >> 40) & 0xffff))
#define INS_K(i)    ((unsigned)((i) >> 56))
#define INS_BX(i)   ((uint32_t)((i) >> 24))
#define INS_SBX(i)  ((int32_t)INS_BX(i))
#define INS_SB(i)   ((int16_t)INS_B(i))
#define INS_SC(i)   ((int16_t)INS_C(i))
#define INS_SJ(i)   ((int32_t)((int64_t)(i) >> 40))

#define MK_ABC(op, a, b, c, k) \
    ((Instr)(op) | (Instr)(uint16_t)(a) << 8 | (Instr)(uint16_t)(b) << 24 | \
     (Instr)(uint16_t)(c) << 40 | (Instr)(uint8_t)(k) << 56)
#define MK_ABX(op, a, bx) \
    ((Instr)(op) | (Instr)(uint16_t)(a) << 8 | (Instr)(uint32_t)(bx) << 24)
#define MK_ABJ(op, a, b, sj) \
    ((Instr)(op) | (Instr)(uint16_t)(a) << 8 | (Instr)(uint16_t)(b) << 24 | \
     (Instr)((uint32_t)(sj) & 0xffffff) << 40)

#define MAX_REG      0xfff0        /* registers per function */
#define MAX_CONST    0xffff        /* constants addressable by a C operand */
#define MAX_SJ       ((1 << 23) - 1)

/* How CLOSURE fills box i of a new closure: from the creating frame's
 * register `index` (which holds a box) or from its own box `index`. */
typedef struct Capture {
    bool from_reg;
    uint16_t index;
    const char *name;            /* for the disassembler */
} Capture;

/* A name for the runtime error raised by the instruction at `pc`:
 * `call of nil (variable 'handler')`, `cannot index int (field 'f')`. */
typedef struct Hint {
    int pc;
    bool is_field;
    const char *name;
} Hint;

/* A local variable's register and lifetime, for the disassembler. */
typedef struct LocalInfo {
    const char *name;
    int reg;
    int start_pc, end_pc;
} LocalInfo;

typedef struct Proto {
    const char *name;            /* "main", "worker", "main.func1", "main.func1.1" */
    const char *file;            /* path as given (messages, tracebacks) */
    int line;                    /* line of the `func` keyword */
    int nparams;                 /* including the variadic list */
    bool variadic;               /* the last parameter collects the rest in a list */
    bool hidden;                 /* prelude code: not shown in tracebacks */
    int fixed_nargs;             /* nparams, or -1 when variadic (one compare per call) */
    int maxstack;                /* registers used */
    int framesize;               /* stack slots a frame needs: maxstack plus room for native results */
    Instr *code;
    int ncode;
    int *lines;                  /* source line of each instruction */
    Value *consts;
    int nconsts;
    struct Proto **protos;       /* functions created by CLOSURE */
    int nprotos;
    Capture *caps;               /* what the closure captures: one box each */
    int ncaps;
    Hint *hints;                 /* sorted by pc */
    int nhints;
    LocalInfo *locals;
    int nlocals;
} Proto;

/* A compiled source file: its top-level functions and constants as a
 * module (what `import` binds), and main when it has one. */
typedef struct CompiledFile {
    const char *path;
    struct Ast *ast;             /* kept: names in the code point into it */
    ObjModule *module;           /* static */
    ObjFunc *main;               /* static, NULL when the file has no main */
    Proto **protos;              /* every function of the file, for --disasm */
    int nprotos;
} CompiledFile;

/* Compiles the program in `path` (read from disk) and every file it
 * imports. Errors are reported through diag_error (parser/diag.h);
 * returns NULL when there were any. A file that cannot be read is
 * reported as `csp: cannot read FILE: REASON`. */
CompiledFile *compile_path(const char *path);
/* Same, for source text already in memory (csp -e, standard input). */
CompiledFile *compile_source(const char *path, const char *source, size_t len);

/* The string constant with these bytes: one static string per distinct
 * content, shared by all compiled code (compile time only: not
 * thread-safe). */
ObjStr *comp_intern(const char *s, size_t len);

/* The prelude: csp functions the builtins are partly written in (sort
 * with a comparator). Compiled on first use. */
bool prelude_lookup(const char *name, Value *out);

/* The line of the instruction at pc in p. */
static inline int proto_line(const Proto *p, int pc) {
    if (pc < 0) pc = 0;
    if (pc >= p->ncode) pc = p->ncode - 1;
    return p->ncode > 0 ? p->lines[pc] : p->line;
}
/* The name hint of the instruction at pc, or NULL. */
const Hint *proto_hint(const Proto *p, int pc);

/* --disasm: prints every function of the file. */
void disasm_file(const CompiledFile *cf, FILE *out);
void disasm_proto(const Proto *p, FILE *out);

#endif
