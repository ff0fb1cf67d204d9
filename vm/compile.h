/*
 * compile.h — the bytecode compiler's internal state, shared by its files:
 *
 *   compile.c        files: top-level declarations, the two passes, output
 *   compile_func.c   function state: emission, registers, constants, jumps
 *   compile_scope.c  scopes, name resolution, captured variables
 *   compile_const.c  constant expressions (const, folding)
 *   compile_expr.c   expressions and conditions
 *   compile_stmt.c   statements
 *   import.c         import paths, the module cache, cycles
 *
 * Each file is compiled in two passes over its tree. The first pass runs
 * the whole code generation with errors muted and throws its code away: it
 * is there to learn which local variables some closure captures, since
 * those must live in boxes from their declaration on, which a single pass
 * cannot know when it reaches the declaration. Reusing the generator keeps
 * one copy of the scope rules. The second pass emits the code and reports
 * the errors.
 */
#ifndef CSP_COMPILE_H
#define CSP_COMPILE_H

#include "parser/ast.h"
#include "vm/code.h"

typedef struct FuncState FuncState;

/* A top-level name of a file. */
typedef enum { TOP_FUNC, TOP_CONST, TOP_MODULE } TopKind;
typedef struct TopName {
    const char *name;
    TopKind kind;
    Node *node;                  /* FUNCDECL, CONST or IMPORT */
    Value value;                 /* TOP_FUNC: the static ObjFunc; TOP_CONST: once evaluated; TOP_MODULE */
    int state;                   /* TOP_CONST: 0 not evaluated, 1 evaluating, 2 done, 3 failed */
} TopName;

/* A set of declaring identifier nodes: the captured variables. */
typedef struct NodeSet {
    const Node **slots;
    size_t cap, count;
} NodeSet;

typedef struct CompError {
    int line, col, seq;
    char msg[240];
} CompError;

typedef struct Compiler {
    const char *path;
    Ast *ast;
    int pass;                    /* 1: resolve only, 2: emit and report */
    int nerrors;
    bool is_prelude;             /* the prelude may name __native_* builtins */
    bool import_failed;          /* stop after the top level: the import's errors say it all */
    TopName *tops;
    int ntops, captops;
    NodeSet captured;
    CompError *errs;             /* reported in source order when the file is done */
    int nerrs, caperrs;
    Proto **protos;              /* every function compiled in pass 2 */
    int nprotos, capprotos;
    ObjFunc **owned;             /* static closures made for func literals */
    int nowned, capowned;
} Compiler;

/* A local variable in scope. */
typedef enum { VAR_REG, VAR_BOX, VAR_CONST } VarKind;
typedef struct VarDesc {
    const char *name;
    VarKind kind;
    int reg;                     /* VAR_REG: the value; VAR_BOX: its box */
    Value cval;                  /* VAR_CONST */
    const Node *decl;            /* the declaring identifier */
    int info;                    /* index in the Proto's LocalInfo, or -1 */
} VarDesc;

/* A break/continue target: a loop, switch or select. */
typedef struct Breakable {
    struct Breakable *prev;
    const char *label;           /* NULL when unlabeled */
    bool is_loop;
    int break_list;              /* jumps to the end of the statement */
    int continue_list;           /* loops: jumps to the continue target */
} Breakable;

/* A label being defined (for `label L defined and not used`). */
typedef struct LabelUse {
    struct LabelUse *prev;
    const char *name;
    bool used;
} LabelUse;

struct FuncState {
    Compiler *c;
    FuncState *parent;
    Proto *p;
    const char *name;
    int nclosures;               /* closures named so far: name.func1, ... */
    /* code being built */
    Instr *code;
    int *lines;
    int ncode, capcode;
    Value *consts;               /* low table: any operand can name these */
    int nconsts, capconsts;
    Value *kbig;                 /* high table: LOADK only (huge literals) */
    int nkbig, capkbig;
    int64_t *cindex;             /* hash index of both tables */
    int capcindex;
    Proto **protos;
    int nprotos, capprotos;
    Capture *caps;
    int ncaps, capcaps;
    Hint *hints;
    int nhints, caphints;
    LocalInfo *locals;
    int nlocals, caplocals;
    int line;                    /* source line of what is being emitted */
    /* registers and scopes */
    int freereg;                 /* first free register */
    int maxstack;
    VarDesc *vars;               /* variables in scope, innermost last */
    int nvars, capvars;
    int block_start;             /* vars[block_start..] are in the innermost block */
    Breakable *breakables;
    const char *pending_label;   /* a label to attach to the next loop/switch/select */
    LabelUse *labels;
    int last_target;             /* pc of the last jump target (no peephole across it) */
};

/* --- compile.c --- */
void comp_error(Compiler *c, const Node *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void comp_error_at(Compiler *c, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The column of the first `tok` at or after (line, col), for errors that
 * point inside a node (the `:=` of a declaration); col when not found. */
int comp_find_token(Compiler *c, int line, int col, const char *tok);
TopName *comp_top(Compiler *c, const char *name);
/* A new top-level name, zeroed but for name, kind and node. */
TopName *comp_add_top(Compiler *c, const char *name, TopKind kind, Node *node);
/* Frees a Proto that no function object refers to. */
void comp_proto_free(Proto *p);
/* "path/to/file.csp" -> "file" (what `import` binds), malloc'd. */
char *comp_module_name(const char *path);
/* The path of import declaration n, into path[size]: true for a file
 * (ending in ".csp"), false for a standard-library module (reported
 * when there is no such module). */
bool comp_import_path(Compiler *c, const Node *n, char *path, size_t size);
/* The column of a FIELD node's name (after the dot). */
int comp_field_col(Compiler *c, const Node *field);
/* Enough errors: stop compiling. */
bool comp_too_many(Compiler *c);
/* Reports the errors kept so far, in source order (the REPL's compiles). */
void comp_flush_errors(Compiler *c);
/* A short rendering of e for messages: `x`, `f()`, `m.k`. */
void comp_expr_text(const Node *e, char *buf, size_t n);
/* A static function object for p, freed with the file if it fails. */
ObjFunc *comp_static_func(Compiler *c, Proto *p);
/* Compiles a function body into a new Proto. parent is NULL at top level. */
Proto *comp_function(Compiler *c, FuncState *parent, const char *name, Node *fn);

/* --- compile_func.c --- */
void fs_init(FuncState *fs, Compiler *c, FuncState *parent, const char *name);
Proto *fs_finish(FuncState *fs, const Node *fn, int nparams, bool variadic);
void fs_free(FuncState *fs);
int emit(FuncState *fs, Instr i);
int emit_abc(FuncState *fs, OpCode op, int a, int b, int c);
int emit_abck(FuncState *fs, OpCode op, int a, int b, int c, int k);
int emit_abx(FuncState *fs, OpCode op, int a, uint32_t bx);
int emit_jump(FuncState *fs, OpCode op, int a, int b);     /* returns a one-jump list */
void emit_loadk(FuncState *fs, int reg, Value v);
void emit_move(FuncState *fs, int dst, int src);
void emit_hint(FuncState *fs, int pc, const Node *from);  /* names from an IDENT or FIELD node */
int const_index(FuncState *fs, Value v);
/* The same, for an instruction's 16-bit constant operand. */
int const_k(FuncState *fs, Value v);
/* Two new adjacent constants (no sharing); returns the first, or -1. */
int const_pair(FuncState *fs, Value a, Value b);
int reg_alloc(FuncState *fs, int n);                        /* returns the first */
void reg_free_to(FuncState *fs, int reg);
int here(FuncState *fs);                                    /* pc of the next instruction; marks a target */
enum { NO_JUMP = -1 };
void jump_concat(FuncState *fs, int *list, int l2);
void jump_patch(FuncState *fs, int list, int target);
void jump_patch_here(FuncState *fs, int list);
void jump_to(FuncState *fs, int target);                    /* JMP to a known pc */

/* --- compile_scope.c --- */
typedef enum { RES_LOCAL, RES_UPVAL, RES_CONST, RES_TOP, RES_GLOBAL, RES_NONE } ResKind;
typedef struct Resolved {
    ResKind kind;
    VarDesc *var;                /* RES_LOCAL */
    int index;                   /* RES_UPVAL: box index */
    Value value;                 /* RES_CONST, RES_TOP (func/module/const), RES_GLOBAL (builtin/module) */
    bool is_module;              /* value is an ObjModule */
} Resolved;
typedef struct BlockSave { int nvars, block_start, freereg; } BlockSave;
BlockSave block_enter(FuncState *fs);
void block_leave(FuncState *fs, BlockSave saved);
VarDesc *var_lookup_block(FuncState *fs, const char *name);
/* Declares a local at register reg (already holding its value): boxed when
 * a closure captures it (then emits the NEWBOX). */
VarDesc *var_declare(FuncState *fs, const Node *ident, int reg);
VarDesc *var_declare_const(FuncState *fs, const Node *ident, Value v);
bool var_captured(FuncState *fs, const Node *ident);
Resolved resolve(FuncState *fs, const Node *ident, bool report);
void nodeset_add(NodeSet *s, const Node *n);
bool nodeset_has(const NodeSet *s, const Node *n);
void nodeset_free(NodeSet *s);

/* --- compile_const.c --- */
/* Evaluates a constant expression. With report, names what is not
 * constant (`const initializer x is not a constant`) and errors such as
 * division by zero; returns false then. */
bool const_eval(FuncState *fs, Node *e, Value *out, bool report);
/* True when e folds to a constant (without reporting anything). */
bool const_try(FuncState *fs, Node *e, Value *out);
bool top_const_value(Compiler *c, TopName *t, Value *out);
/* The opcode of binary operator token tok, OP__COUNT for none
 * (comparisons and && ||). */
OpCode tok_binop(int tok);

/* --- compile_expr.c --- */
void expr_to(FuncState *fs, Node *e, int dst);
int expr_any(FuncState *fs, Node *e);
/* A call (or other multi-value expression) at register base, which must
 * be fs->freereg - 1 or the next free register; want: results wanted, -1 all. */
void expr_call(FuncState *fs, Node *e, int base, int want);
bool expr_is_multi(const Node *e);
/* Emits jumps taken when the truth of e equals jump_if; returns their list. */
int cond_jump(FuncState *fs, Node *e, bool jump_if);
Node *unparen(Node *e);
/* The module a FIELD's object names at compile time (`time.sleep`), or NULL. */
ObjModule *expr_module(FuncState *fs, Node *e);
/* dst = a function value for p (compiled in fs): a static function when
 * it captures nothing, else an OP_CLOSURE. */
void comp_closure_to(FuncState *fs, Proto *p, int dst);

/* --- compile_stmt.c --- */
void stmt(FuncState *fs, Node *s);
void stmt_list(FuncState *fs, NodeList *l);

/* --- import.c --- */
/* Compiles an imported file (path relative to the importer) and returns
 * its module, or NULL after reporting an error at `at`. */
ObjModule *import_file(Compiler *c, Node *at, const char *path);
CompiledFile *compile_file_ast(Ast *ast, bool is_prelude);

#endif
