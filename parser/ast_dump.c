/*
 * ast_dump.c — prints a syntax tree as one S-expression line, for tests
 * and debugging: `x := -1 + f(y...)` prints
 *     (:= (x) ((+ (- 1) (call f y ...))))
 * A missing optional child prints as `_`. Recursion depth is bounded by
 * AST_MAX_DEPTH.
 */
#include <stdio.h>

#include "grammar.h"
#include "parser/ast.h"

static const char *op_name(int op) {
    switch (op) {
    case TK_PLUS: return "+";      case TK_MINUS: return "-";
    case TK_STAR: return "*";      case TK_SLASH: return "/";
    case TK_PERCENT: return "%";   case TK_AMP: return "&";
    case TK_PIPE: return "|";      case TK_CARET: return "^";
    case TK_SHL: return "<<";      case TK_SHR: return ">>";
    case TK_ANDNOT: return "&^";   case TK_EQ: return "==";
    case TK_NE: return "!=";       case TK_LT: return "<";
    case TK_LE: return "<=";       case TK_GT: return ">";
    case TK_GE: return ">=";       case TK_NOT: return "!";
    case TK_INC: return "++";      case TK_DEC: return "--";
    default: return "?op";
    }
}

static void dump_string(const char *s, size_t n, FILE *out) {
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
        else if (c == '\n') fputs("\\n", out);
        else if (c == '\t') fputs("\\t", out);
        else if (c < 0x20 || c == 0x7f) fprintf(out, "\\x%02x", c);
        else fputc(c, out);
    }
    fputc('"', out);
}

static void dump(const Node *n, FILE *out);

static void dump_opt(const Node *n, FILE *out) {
    if (n) dump(n, out);
    else fputc('_', out);
}

static void dump_items(const NodeList *l, FILE *out) {
    for (int i = 0; i < l->len; i++) {
        fputc(' ', out);
        dump(l->items[i], out);
    }
}

static void dump_paren_list(const NodeList *l, FILE *out) {
    fputc('(', out);
    for (int i = 0; i < l->len; i++) {
        if (i) fputc(' ', out);
        dump(l->items[i], out);
    }
    fputc(')', out);
}

static void dump_params(const Node *n, FILE *out) {
    dump_paren_list(&n->list, out);
    if (n->flags & AST_VARIADIC) fputs("...", out);
}

static void dump(const Node *n, FILE *out) {
    switch (n->kind) {
    case AST_NIL: fputs("nil", out); return;
    case AST_TRUE: fputs("true", out); return;
    case AST_FALSE: fputs("false", out); return;
    case AST_INT: fprintf(out, "%lld", (long long)n->ival); return;
    case AST_FLOAT: fprintf(out, "%.17g", n->fval); return;
    case AST_STRING: dump_string(n->str, n->len, out); return;
    case AST_IDENT: fputs(n->name, out); return;
    case AST_BINARY:
        fprintf(out, "(%s ", op_name(n->op)); dump(n->a, out); fputc(' ', out); dump(n->b, out);
        break;
    case AST_AND: fputs("(&& ", out); dump(n->a, out); fputc(' ', out); dump(n->b, out); break;
    case AST_OR: fputs("(|| ", out); dump(n->a, out); fputc(' ', out); dump(n->b, out); break;
    case AST_UNARY: fprintf(out, "(%s ", op_name(n->op)); dump(n->a, out); break;
    case AST_RECV: fputs("(<- ", out); dump(n->a, out); break;
    case AST_CALL:
        fputs("(call ", out); dump(n->a, out); dump_items(&n->list, out);
        if (n->flags & AST_SPREAD) fputs(" ...", out);
        break;
    case AST_INDEX: fputs("(index ", out); dump(n->a, out); fputc(' ', out); dump(n->b, out); break;
    case AST_SLICE:
        fputs("(slice ", out); dump(n->a, out); fputc(' ', out); dump_opt(n->b, out);
        fputc(' ', out); dump_opt(n->c, out);
        break;
    case AST_FIELD: fputs("(field ", out); dump(n->a, out); fprintf(out, " %s", n->name); break;
    case AST_LISTLIT: fputs("(list", out); dump_items(&n->list, out); break;
    case AST_MAPLIT: fputs("(map", out); dump_items(&n->list, out); break;
    case AST_PAIR: fputs("(pair ", out); dump(n->a, out); fputc(' ', out); dump(n->b, out); break;
    case AST_FUNCLIT: fputs("(func ", out); dump_params(n, out); fputc(' ', out); dump_opt(n->a, out); break;
    case AST_CHANMAKE: fputs("(chan", out); if (n->a) { fputc(' ', out); dump(n->a, out); } break;
    case AST_PAREN: fputs("(paren ", out); dump(n->a, out); break;
    case AST_BLOCK: fputs("(block", out); dump_items(&n->list, out); break;
    case AST_EXPR: fputs("(expr ", out); dump(n->a, out); break;
    case AST_DEFINE:
        fputs("(:= ", out); dump_paren_list(&n->list, out); fputc(' ', out); dump_paren_list(&n->list2, out);
        break;
    case AST_ASSIGN:
        fputs("(= ", out); dump_paren_list(&n->list, out); fputc(' ', out); dump_paren_list(&n->list2, out);
        break;
    case AST_VAR:
        fputs("(var ", out); dump_paren_list(&n->list, out);
        if (n->list2.len) { fputc(' ', out); dump_paren_list(&n->list2, out); }
        break;
    case AST_CONST: fprintf(out, "(const %s ", n->name); dump(n->a, out); break;
    case AST_OPASSIGN:
        fprintf(out, "(%s= ", op_name(n->op)); dump(n->a, out); fputc(' ', out); dump(n->b, out);
        break;
    case AST_INCDEC: fprintf(out, "(%s ", op_name(n->op)); dump(n->a, out); break;
    case AST_SEND: fputs("(send ", out); dump(n->a, out); fputc(' ', out); dump(n->b, out); break;
    case AST_IF:
        fputs("(if ", out); dump_opt(n->a, out); fputc(' ', out); dump_opt(n->b, out);
        fputc(' ', out); dump_opt(n->c, out); fputc(' ', out); dump_opt(n->d, out);
        break;
    case AST_FOR:
        fputs("(for ", out); dump_opt(n->a, out); fputc(' ', out); dump_opt(n->b, out);
        fputc(' ', out); dump_opt(n->c, out); fputc(' ', out); dump_opt(n->d, out);
        break;
    case AST_RANGE:
        fputs("(range ", out); dump_paren_list(&n->list, out);
        fputs(n->flags & AST_RANGE_DEFINE ? " := " : " = ", out);
        dump(n->a, out); fputc(' ', out); dump_opt(n->d, out);
        break;
    case AST_SWITCH:
        fputs("(switch ", out); dump_opt(n->a, out); fputc(' ', out); dump_opt(n->b, out);
        dump_items(&n->list, out);
        break;
    case AST_SELECT: fputs("(select", out); dump_items(&n->list, out); break;
    case AST_CASE:
        if (n->flags & AST_DEFAULT) fputs("(default ", out);
        else if (n->b) { fputs("(case ", out); dump(n->b, out); fputc(' ', out); }
        else { fputs("(case ", out); dump_paren_list(&n->list, out); fputc(' ', out); }
        dump_opt(n->a, out);
        break;
    case AST_BREAK: fputs("(break", out); if (n->name) fprintf(out, " %s", n->name); break;
    case AST_CONTINUE: fputs("(continue", out); if (n->name) fprintf(out, " %s", n->name); break;
    case AST_LABELED: fprintf(out, "(label %s ", n->name); dump_opt(n->a, out); break;
    case AST_RETURN: fputs("(return", out); dump_items(&n->list, out); break;
    case AST_GO: fputs("(go ", out); dump(n->a, out); break;
    case AST_DEFER: fputs("(defer ", out); dump(n->a, out); break;
    case AST_EMPTY: fputs("(empty", out); break;
    case AST_FUNCDECL:
        fprintf(out, "(funcdecl %s ", n->name ? n->name : "?"); dump_params(n, out);
        fputc(' ', out); dump_opt(n->a, out);
        break;
    case AST_IMPORT: fputs("(import ", out); dump_string(n->str, n->len, out); break;
    case AST_FILE: fputs("(file", out); dump_items(&n->list, out); break;
    default: fprintf(out, "(?%d", (int)n->kind); break;
    }
    fputc(')', out);
}

void ast_dump(const Node *n, FILE *out) {
    if (n) dump(n, out);
    else fputs("_", out);
}
