/*
 * ast.h — the syntax tree the parser builds and the compiler walks.
 *
 * One node type with a kind and a few generic child slots; the table below
 * says what each slot means for each kind. Nodes are allocated from an
 * arena owned by the Ast and freed all at once, so no error path can leak.
 * Names and string literal bytes are copied into the arena.
 */
#ifndef CSP_AST_H
#define CSP_AST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* X-macro: kind, and the meaning of its slots.
 *   name/str: Node.name (identifier) or Node.str/len (bytes)
 *   a b c d : child nodes;  list/list2: NodeList */
#define AST_KINDS(X)                                                        \
    /* expressions */                                                       \
    X(NIL,      "")                                                         \
    X(TRUE,     "")                                                         \
    X(FALSE,    "")                                                         \
    X(INT,      "ival")                                                     \
    X(FLOAT,    "fval")                                                     \
    X(STRING,   "str/len (escapes decoded)")                                \
    X(IDENT,    "name")                                                     \
    X(BINARY,   "op a b (op: a Tok, not && ||)")                            \
    X(AND,      "a && b")                                                   \
    X(OR,       "a || b")                                                   \
    X(UNARY,    "op a (op: TK_MINUS TK_PLUS TK_NOT TK_CARET)")             \
    X(RECV,     "<-a")                                                      \
    X(CALL,     "a(list...); flags AST_SPREAD if the last arg has ...")     \
    X(INDEX,    "a[b]")                                                     \
    X(SLICE,    "a[b:c], b and c may be NULL")                              \
    X(FIELD,    "a.name")                                                   \
    X(LISTLIT,  "[list]")                                                   \
    X(MAPLIT,   "{list of PAIR}")                                           \
    X(PAIR,     "a: b (inside MAPLIT)")                                     \
    X(FUNCLIT,  "func(list of IDENT params) a=BLOCK; flags AST_VARIADIC")   \
    X(CHANMAKE, "chan(a), a may be NULL")                                   \
    X(PAREN,    "(a): kept so `(f())` yields one value as in Go")           \
    /* statements */                                                        \
    X(BLOCK,    "{ list }")                                                 \
    X(EXPR,     "a as a statement")                                         \
    X(DEFINE,   "list(IDENTs) := list2")                                    \
    X(VAR,      "var list(IDENTs) [= list2]")                               \
    X(CONST,    "const name = a")                                           \
    X(ASSIGN,   "list = list2")                                             \
    X(OPASSIGN, "a op= b (op: the binary operator's Tok)")                  \
    X(INCDEC,   "a++ / a-- (op: TK_INC or TK_DEC)")                         \
    X(SEND,     "a <- b")                                                   \
    X(IF,       "if a(init, may be NULL); b { c } else d (BLOCK, IF or NULL)") \
    X(FOR,      "for a(init); b(cond); c(post) { d }, each may be NULL")    \
    X(RANGE,    "for list(0-2 exprs) :=/= range a { d }; flags AST_RANGE_DEFINE for :=") \
    X(SWITCH,   "switch a(init); b(tag, may be NULL) { list of CASE }")     \
    X(SELECT,   "select { list of CASE }")                                  \
    X(CASE,     "switch: case list: a=BLOCK; select: case b(comm stmt): a=BLOCK; default: flags AST_DEFAULT") \
    X(BREAK,    "break [name]")                                             \
    X(CONTINUE, "continue [name]")                                          \
    X(LABELED,  "name: a")                                                  \
    X(RETURN,   "return list")                                              \
    X(GO,       "go a (a is a CALL)")                                       \
    X(DEFER,    "defer a (a is a CALL)")                                    \
    X(EMPTY,    "an empty statement")                                       \
    /* top level */                                                         \
    X(FUNCDECL, "func name(list of IDENT params) a=BLOCK; flags AST_VARIADIC") \
    X(IMPORT,   "import str")                                               \
    X(FILE,     "list of FUNCDECL, CONST, IMPORT")

typedef enum {
#define X(kind, doc) AST_##kind,
    AST_KINDS(X)
#undef X
    AST__COUNT
} AstKind;

enum {
    AST_SPREAD   = 1 << 0,
    AST_VARIADIC = 1 << 1,
    AST_RANGE_DEFINE = 1 << 2,   /* RANGE with := (the flag cannot be AST_DEFINE: that is a kind) */
    AST_DEFAULT  = 1 << 3,
};

typedef struct Node Node;

typedef struct NodeList {
    Node **items;
    int len, cap;
} NodeList;

struct Node {
    AstKind kind;
    int line, col;               /* 1-based position of the node's first token */
    int op;                      /* operator token (TK_* from the generated grammar.h) */
    int flags;                   /* AST_* */
    Node *a, *b, *c, *d;
    NodeList list, list2;
    const char *name;            /* NUL-terminated, in the arena */
    const char *str;             /* string literal bytes (may contain NUL) */
    size_t len;
    int64_t ival;
    double fval;
    int depth;                   /* height of the subtree (a leaf is 1); bounded by AST_MAX_DEPTH */
};

/* No tree is deeper than this (the parser reports `expression nesting too
 * deep` / `block nesting too deep`), so a consumer may recurse on the tree
 * with a C stack of a few MB. */
#define AST_MAX_DEPTH 1000

/* A parsed file. `path` and `source` are copies owned by the Ast (source is
 * NUL-terminated at source_len), kept for caret diagnostics. */
typedef struct Ast {
    const char *path;            /* as given: used in messages */
    const char *source;
    size_t source_len;
    Node *root;                  /* AST_FILE, or NULL when errors were found */
    int nerrors;
    struct AstArena *arena;
} Ast;

/* Parses source into an Ast. Reports syntax errors (at most 10) through
 * diag_error(); root is NULL when any error was found. `incomplete` is
 * set when the only error is that the input ended too early (the REPL
 * then asks for more). */
Ast *ast_parse(const char *path, const char *source, size_t len, int *incomplete);
/* REPL mode: the input is a sequence of top-level declarations (func,
 * const, import) and statements; root->list holds FUNCDECL, CONST, IMPORT
 * and statement nodes in source order (expression statements as EXPR). */
Ast *ast_parse_repl(const char *path, const char *source, size_t len, int *incomplete);
/* ast_parse_repl for the interactive prompt: when the input is only
 * incomplete, nothing is printed (the error still counts in diag_count(),
 * so reset it before the next attempt); otherwise the same. */
Ast *ast_parse_prompt(const char *path, const char *source, size_t len, int *incomplete);
void ast_free(Ast *ast);

/* Prints n as an S-expression, e.g. (binary + (ident x) (int 1)). */
void ast_dump(const Node *n, FILE *out);

/* Node construction (parser/ast.c). */
Node *ast_node(Ast *ast, AstKind kind, int line, int col);
void ast_list_push(Ast *ast, NodeList *l, Node *n);
char *ast_strdup(Ast *ast, const char *s, size_t len);
const char *ast_kind_name(AstKind kind);

#endif
