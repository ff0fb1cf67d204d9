/*
 * grammar.y — csp's syntax, as a Lemon LALR(1) grammar (LANGUAGE.md §1-5).
 *
 * Go's syntax without types. The token driver in parse.c feeds one token
 * at a time; it has already:
 *   - inserted semicolons at newlines (the lexer, as in Go);
 *   - turned every '{' that opens a block (a function body, the body of
 *     if/for/switch/select/else, or a block statement) into LBODY, leaving
 *     LBRACE for map literals. This is what lets `if x {` and `for {`
 *     parse without lookahead tricks; see parse.c for the rule;
 *   - started the input with MODE_FILE or MODE_REPL, which selects the
 *     start rule (a file holds declarations; the REPL also statements).
 *
 * Every node is built by the p_* helpers of parse.c, which allocate in the
 * Ast's arena and compute each node's depth: no %destructor is needed, an
 * abandoned parse leaks nothing.
 *
 * Error recovery: `error` stands in for a broken statement, declaration,
 * statement header or case; Lemon reports the first error, then resumes
 * after three tokens were shifted, so one mistake gives one message.
 */

%name csp_parse
%token_prefix TK_
%token_type {Tok}
%default_type {Node *}
%extra_context {ParseCtx *ctx}
%stack_size 20000
%start_symbol program

%include {
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "parser/parse_int.h"
struct yyParser;
static void parse_expected(struct yyParser *p, int found, unsigned char *ok);
}

%syntax_error {
    unsigned char expected[YYNTOKEN];
    parse_expected(yypParser, yymajor, expected);
    p_syntax_error(ctx, yymajor, &TOKEN, expected, YYNTOKEN);
}
%stack_overflow { p_stack_overflow(ctx); }
%parse_failure { ctx->failed = 1; ctx->abort = 1; }

/* Every terminal, in one place (token numbers follow this order). */
%token MODE_FILE MODE_REPL.
%token SEMI COMMA COLON DOT ELLIPSIS LPAREN RPAREN LBRACK RBRACK LBRACE LBODY RBRACE.
%token ASSIGN DEFINE OPASSIGN.
%token OROR ANDAND EQ NE LT LE GT GE PLUS MINUS PIPE CARET STAR SLASH PERCENT
       SHL SHR AMP ANDNOT NOT ARROW INC DEC.
%token IDENT INT FLOAT STRING.
%token BREAK CASE CHAN CONST CONTINUE DEFAULT DEFER ELSE FALSE FOR FUNC GO IF
       IMPORT NIL RANGE RETURN SELECT SWITCH TRUE VAR.

/* Binary operators, lowest precedence first (LANGUAGE.md §2). Unary
 * operators bind tighter than all of them through the `unary` rules. */
%left OROR.
%left ANDAND.
%left EQ NE LT LE GT GE.
%left PLUS MINUS PIPE CARET.
%left STAR SLASH PERCENT SHL SHR AMP ANDNOT.

%type exprlist {NodeList}
%type idlist {NodeList}
%type pairlist {NodeList}
%type stmt_list {NodeList}
%type case_list {NodeList}
%type comm_list {NodeList}
%type const_seq {NodeList}
%type const_group {NodeList}
%type import_group {NodeList}

/* ---- top level ------------------------------------------------------------ */

program ::= MODE_FILE decls.
program ::= MODE_REPL repl_items.

decls ::= .
decls ::= decls SEMI.
decls ::= decls decl SEMI.

decl ::= funcdecl(F).                                    { p_top(ctx, F); }
decl ::= CONST(T) const_spec(S).                         { (void)T; p_top(ctx, S); }
decl ::= CONST(T) LPAREN const_group(L) RPAREN.          { p_top(ctx, p_group(ctx, &T, L)); }
decl ::= IMPORT STRING(S).                               { p_top(ctx, p_leaf(ctx, AST_IMPORT, &S)); }
decl ::= IMPORT(T) LPAREN import_group(L) RPAREN.        { p_top(ctx, p_group(ctx, &T, L)); }
decl ::= error.

repl_items ::= .
repl_items ::= repl_items SEMI.
repl_items ::= repl_items repl_item SEMI.

repl_item ::= funcdecl(F).                               { p_top(ctx, F); }
repl_item ::= IMPORT STRING(S).                          { p_top(ctx, p_leaf(ctx, AST_IMPORT, &S)); }
repl_item ::= IMPORT(T) LPAREN import_group(L) RPAREN.   { p_top(ctx, p_group(ctx, &T, L)); }
repl_item ::= stmt(S).                                   { p_top(ctx, S); }

funcdecl(A) ::= FUNC(T) IDENT(N) LPAREN params(P) RPAREN block(B). {
    A = P;
    A->kind = AST_FUNCDECL;
    A->line = T.line; A->col = T.col;
    A->name = N.str;
    A->a = B;
    A = p_fin(ctx, A);
}
funcdecl(A) ::= FUNC(T) IDENT(N) error block(B). {
    A = p_new(ctx, AST_FUNCDECL, &T);
    A->name = N.str;
    A->a = B;
    A = p_fin(ctx, A);
}

/* params: a FUNCLIT node carrying the parameter list and AST_VARIADIC */
params(A) ::= .                               { A = p_new(ctx, AST_FUNCLIT, &ctx->cur); }
params(A) ::= idlist(L) optcomma.             { A = p_new_at(ctx, AST_FUNCLIT, L.items[0]); A->list = L; }
params(A) ::= idlist(L) ELLIPSIS optcomma.    { A = p_new_at(ctx, AST_FUNCLIT, L.items[0]); A->list = L; A->flags |= AST_VARIADIC; }

optcomma ::= .
optcomma ::= COMMA.

idlist(A) ::= IDENT(N).                       { A = p_list1(ctx, p_leaf(ctx, AST_IDENT, &N)); }
idlist(A) ::= idlist(L) COMMA IDENT(N).       { A = L; ast_list_push(ctx->ast, &A, p_leaf(ctx, AST_IDENT, &N)); }

const_spec(A) ::= IDENT(N) ASSIGN expr(E).    { A = p_new(ctx, AST_CONST, &N); A->name = N.str; A->a = E; A = p_fin(ctx, A); }

const_group(A) ::= const_seq(A).
const_group(A) ::= const_seq(L) const_spec(S). { A = L; ast_list_push(ctx->ast, &A, S); }
const_seq(A) ::= .                            { memset(&A, 0, sizeof A); }
const_seq(A) ::= const_seq(A) SEMI.
const_seq(A) ::= const_seq(L) const_spec(S) SEMI. { A = L; ast_list_push(ctx->ast, &A, S); }

/* import ( "a" "b" ): the paths may share a line */
import_group(A) ::= .                         { memset(&A, 0, sizeof A); }
import_group(A) ::= import_group(A) SEMI.
import_group(A) ::= import_group(L) STRING(S). { A = L; ast_list_push(ctx->ast, &A, p_leaf(ctx, AST_IMPORT, &S)); }

/* ---- blocks and statements ------------------------------------------------- */

block(A) ::= LBODY(T) stmt_list(L) RBRACE.    { A = p_new(ctx, AST_BLOCK, &T); A->list = L; A = p_fin(ctx, A); }

/* Statements are separated by semicolons; the last one before '}' (or
 * before the next case) needs none, and empty statements are allowed.
 * A statement list can always absorb `error` at its start or after a
 * semicolon, so a broken statement costs only itself. */
stmt_list(A) ::= stmt_opt(S).                 { memset(&A, 0, sizeof A); if (S) p_stmt_push(ctx, &A, S); }
stmt_list(A) ::= stmt_list(L) SEMI stmt_opt(S). { A = L; if (S) p_stmt_push(ctx, &A, S); }
stmt_opt(A) ::= .                             { A = NULL; }
stmt_opt(A) ::= stmt(A).

stmt(A) ::= simple_stmt(A).
stmt(A) ::= VAR(T) idlist(L).                 { A = p_new(ctx, AST_VAR, &T); A->list = L; A = p_fin(ctx, A); }
stmt(A) ::= VAR(T) idlist(L) ASSIGN exprlist(R). { A = p_new(ctx, AST_VAR, &T); A->list = L; A->list2 = R; A = p_fin(ctx, A); }
stmt(A) ::= CONST const_spec(S).             { A = S; }
stmt(A) ::= CONST(T) LPAREN const_group(L) RPAREN. { A = p_group(ctx, &T, L); }
stmt(A) ::= block(A).
stmt(A) ::= if_stmt(A).
stmt(A) ::= for_stmt(A).
stmt(A) ::= switch_stmt(A).
stmt(A) ::= select_stmt(A).
stmt(A) ::= RETURN(T).                        { A = p_new(ctx, AST_RETURN, &T); }
stmt(A) ::= RETURN(T) exprlist(L).            { A = p_new(ctx, AST_RETURN, &T); A->list = L; A = p_fin(ctx, A); }
stmt(A) ::= BREAK(T).                         { A = p_new(ctx, AST_BREAK, &T); }
stmt(A) ::= BREAK(T) IDENT(N).                { A = p_new(ctx, AST_BREAK, &T); A->name = N.str; }
stmt(A) ::= CONTINUE(T).                      { A = p_new(ctx, AST_CONTINUE, &T); }
stmt(A) ::= CONTINUE(T) IDENT(N).             { A = p_new(ctx, AST_CONTINUE, &T); A->name = N.str; }
stmt(A) ::= GO(T) expr(E).                    { A = p_go(ctx, AST_GO, &T, E); }
stmt(A) ::= DEFER(T) expr(E).                 { A = p_go(ctx, AST_DEFER, &T, E); }
stmt(A) ::= IDENT(N) COLON stmt(S).           { A = p_labeled(ctx, &N, S); }
stmt(A) ::= IDENT(N) COLON.                   { A = p_labeled(ctx, &N, NULL); }
stmt(A) ::= error.                            { A = p_new(ctx, AST_EMPTY, &ctx->cur); }
stmt(A) ::= ELSE(T) block(B).                 { p_stray_else(ctx, &T); A = B; }
stmt(A) ::= ELSE(T) if_stmt(B).               { p_stray_else(ctx, &T); A = B; }

simple_stmt(A) ::= expr(E).                   { A = p_kid(ctx, AST_EXPR, E, E, NULL); }
simple_stmt(A) ::= expr(L) ARROW expr(R).     { A = p_kid(ctx, AST_SEND, L, L, R); }
simple_stmt(A) ::= expr(E) INC.               { A = p_kid(ctx, AST_INCDEC, E, E, NULL); A->op = TK_INC; }
simple_stmt(A) ::= expr(E) DEC.               { A = p_kid(ctx, AST_INCDEC, E, E, NULL); A->op = TK_DEC; }
simple_stmt(A) ::= expr(L) OPASSIGN(T) expr(R). { A = p_kid(ctx, AST_OPASSIGN, L, L, R); A->op = T.op; }
simple_stmt(A) ::= exprlist(L) ASSIGN exprlist(R). {
    A = p_new_at(ctx, AST_ASSIGN, L.items[0]);
    A->list = L; A->list2 = R;
    A = p_fin(ctx, A);
}
simple_stmt(A) ::= exprlist(L) DEFINE exprlist(R). { A = p_define(ctx, L, R); }

/* if [init;] cond { } [else ...]: the header is an IF node with a and b set */
if_stmt(A) ::= IF(T) if_header(H) block(B) else_part(E). {
    A = H; A->line = T.line; A->col = T.col;
    A->c = B; A->d = E;
    A = p_fin(ctx, A);
}
if_stmt(A) ::= IF(T) error block(B) else_part(E). {
    A = p_new(ctx, AST_IF, &T); A->c = B; A->d = E; A = p_fin(ctx, A);
}
if_header(A) ::= expr(C).                     { A = p_new_at(ctx, AST_IF, C); A->b = C; }
if_header(A) ::= simple_stmt(I) SEMI expr(C). { A = p_new_at(ctx, AST_IF, I); A->a = I; A->b = C; }
if_header(A) ::= SEMI(T) expr(C).             { A = p_new(ctx, AST_IF, &T); A->b = C; }

else_part(A) ::= .                            { A = NULL; }
else_part(A) ::= ELSE if_stmt(S).            { A = S; }
else_part(A) ::= ELSE block(B).              { A = B; }

for_stmt(A) ::= FOR(T) block(B).              { A = p_new(ctx, AST_FOR, &T); A->d = B; A = p_fin(ctx, A); }
for_stmt(A) ::= FOR(T) expr(C) block(B).      { A = p_new(ctx, AST_FOR, &T); A->b = C; A->d = B; A = p_fin(ctx, A); }
for_stmt(A) ::= FOR(T) for_init(I) SEMI for_cond(C) SEMI for_post(P) block(B). {
    A = p_new(ctx, AST_FOR, &T);
    A->a = I; A->b = C; A->c = P; A->d = B;
    if (P && P->kind == AST_DEFINE)
        p_error(ctx, P->line, P->col, "syntax error: cannot declare in post statement of for loop");
    A = p_fin(ctx, A);
}
for_stmt(A) ::= FOR(T) RANGE expr(X) block(B). {
    A = p_new(ctx, AST_RANGE, &T); A->a = X; A->d = B; A = p_fin(ctx, A);
}
for_stmt(A) ::= FOR(T) exprlist(L) DEFINE RANGE expr(X) block(B). {
    A = p_new(ctx, AST_RANGE, &T); A->list = L; A->a = X; A->d = B; A->flags |= AST_RANGE_DEFINE;
    for (int i = 0; i < L.len; i++)
        if (L.items[i]->kind != AST_IDENT) {
            p_error(ctx, L.items[i]->line, L.items[i]->col, "syntax error: non-name on left side of :=");
            break;
        }
    if (L.len > 2)
        p_error(ctx, L.items[2]->line, L.items[2]->col, "range clause permits at most two iteration variables");
    A = p_fin(ctx, A);
}
for_stmt(A) ::= FOR(T) exprlist(L) ASSIGN RANGE expr(X) block(B). {
    A = p_new(ctx, AST_RANGE, &T); A->list = L; A->a = X; A->d = B;
    if (L.len > 2)
        p_error(ctx, L.items[2]->line, L.items[2]->col, "range clause permits at most two iteration variables");
    A = p_fin(ctx, A);
}
for_stmt(A) ::= FOR(T) error block(B).        { A = p_new(ctx, AST_FOR, &T); A->d = B; A = p_fin(ctx, A); }

for_init(A) ::= .                             { A = NULL; }
for_init(A) ::= simple_stmt(A).
for_cond(A) ::= .                             { A = NULL; }
for_cond(A) ::= expr(A).
for_post(A) ::= .                             { A = NULL; }
for_post(A) ::= simple_stmt(A).

/* switch [init;] [tag] { case ...: ... default: ... } */
switch_stmt(A) ::= SWITCH(T) switch_header(H) LBODY case_list(L) RBRACE. {
    A = H; A->line = T.line; A->col = T.col; A->list = L; A = p_fin(ctx, A);
}
switch_stmt(A) ::= SWITCH(T) error LBODY case_list(L) RBRACE. {
    A = p_new(ctx, AST_SWITCH, &T); A->list = L; A = p_fin(ctx, A);
}
switch_header(A) ::= .                        { A = p_new(ctx, AST_SWITCH, &ctx->cur); }
switch_header(A) ::= expr(X).                 { A = p_new_at(ctx, AST_SWITCH, X); A->b = X; }
switch_header(A) ::= simple_stmt(I) SEMI.     { A = p_new_at(ctx, AST_SWITCH, I); A->a = I; }
switch_header(A) ::= simple_stmt(I) SEMI expr(X). { A = p_new_at(ctx, AST_SWITCH, I); A->a = I; A->b = X; }
switch_header(A) ::= SEMI(T).                 { A = p_new(ctx, AST_SWITCH, &T); }
switch_header(A) ::= SEMI(T) expr(X).         { A = p_new(ctx, AST_SWITCH, &T); A->b = X; }

case_list(A) ::= .                            { memset(&A, 0, sizeof A); }
case_list(A) ::= case_list(L) case_clause(C). { A = L; ast_list_push(ctx->ast, &A, C); }
case_clause(A) ::= CASE(T) exprlist(L) COLON(K) stmt_list(S). {
    A = p_new(ctx, AST_CASE, &T); A->list = L;
    A->a = p_new(ctx, AST_BLOCK, &K); A->a->list = S; A->a = p_fin(ctx, A->a);
    A = p_fin(ctx, A);
}
case_clause(A) ::= DEFAULT(T) COLON(K) stmt_list(S). {
    A = p_new(ctx, AST_CASE, &T); A->flags |= AST_DEFAULT;
    A->a = p_new(ctx, AST_BLOCK, &K); A->a->list = S; A->a = p_fin(ctx, A->a);
    A = p_fin(ctx, A);
}
case_clause(A) ::= CASE(T) error COLON(K) stmt_list(S). {
    A = p_new(ctx, AST_CASE, &T);
    A->a = p_new(ctx, AST_BLOCK, &K); A->a->list = S; A->a = p_fin(ctx, A->a);
    A = p_fin(ctx, A);
}

select_stmt(A) ::= SELECT(T) LBODY comm_list(L) RBRACE. {
    A = p_new(ctx, AST_SELECT, &T); A->list = L; A = p_fin(ctx, A);
}
comm_list(A) ::= .                            { memset(&A, 0, sizeof A); }
comm_list(A) ::= comm_list(L) comm_clause(C). { A = L; ast_list_push(ctx->ast, &A, C); }
comm_clause(A) ::= CASE(T) simple_stmt(X) COLON(K) stmt_list(S). {
    A = p_new(ctx, AST_CASE, &T); A->b = p_comm(ctx, X);
    A->a = p_new(ctx, AST_BLOCK, &K); A->a->list = S; A->a = p_fin(ctx, A->a);
    A = p_fin(ctx, A);
}
comm_clause(A) ::= DEFAULT(T) COLON(K) stmt_list(S). {
    A = p_new(ctx, AST_CASE, &T); A->flags |= AST_DEFAULT;
    A->a = p_new(ctx, AST_BLOCK, &K); A->a->list = S; A->a = p_fin(ctx, A->a);
    A = p_fin(ctx, A);
}
comm_clause(A) ::= CASE(T) error COLON(K) stmt_list(S). {
    A = p_new(ctx, AST_CASE, &T);
    A->a = p_new(ctx, AST_BLOCK, &K); A->a->list = S; A->a = p_fin(ctx, A->a);
    A = p_fin(ctx, A);
}

/* ---- expressions ------------------------------------------------------------ */

exprlist(A) ::= expr(E).                      { A = p_list1(ctx, E); }
exprlist(A) ::= exprlist(L) COMMA expr(E).    { A = L; ast_list_push(ctx->ast, &A, E); }

expr(A) ::= unary(A).
expr(A) ::= expr(L) OROR expr(R).             { A = p_logic(ctx, AST_OR, L, R); }
expr(A) ::= expr(L) ANDAND expr(R).           { A = p_logic(ctx, AST_AND, L, R); }
expr(A) ::= expr(L) EQ expr(R).               { A = p_binary(ctx, TK_EQ, L, R); }
expr(A) ::= expr(L) NE expr(R).               { A = p_binary(ctx, TK_NE, L, R); }
expr(A) ::= expr(L) LT expr(R).               { A = p_binary(ctx, TK_LT, L, R); }
expr(A) ::= expr(L) LE expr(R).               { A = p_binary(ctx, TK_LE, L, R); }
expr(A) ::= expr(L) GT expr(R).               { A = p_binary(ctx, TK_GT, L, R); }
expr(A) ::= expr(L) GE expr(R).               { A = p_binary(ctx, TK_GE, L, R); }
expr(A) ::= expr(L) PLUS expr(R).             { A = p_binary(ctx, TK_PLUS, L, R); }
expr(A) ::= expr(L) MINUS expr(R).            { A = p_binary(ctx, TK_MINUS, L, R); }
expr(A) ::= expr(L) PIPE expr(R).             { A = p_binary(ctx, TK_PIPE, L, R); }
expr(A) ::= expr(L) CARET expr(R).            { A = p_binary(ctx, TK_CARET, L, R); }
expr(A) ::= expr(L) STAR expr(R).             { A = p_binary(ctx, TK_STAR, L, R); }
expr(A) ::= expr(L) SLASH expr(R).            { A = p_binary(ctx, TK_SLASH, L, R); }
expr(A) ::= expr(L) PERCENT expr(R).          { A = p_binary(ctx, TK_PERCENT, L, R); }
expr(A) ::= expr(L) SHL expr(R).              { A = p_binary(ctx, TK_SHL, L, R); }
expr(A) ::= expr(L) SHR expr(R).              { A = p_binary(ctx, TK_SHR, L, R); }
expr(A) ::= expr(L) AMP expr(R).              { A = p_binary(ctx, TK_AMP, L, R); }
expr(A) ::= expr(L) ANDNOT expr(R).           { A = p_binary(ctx, TK_ANDNOT, L, R); }

unary(A) ::= primary(A).
unary(A) ::= MINUS(T) unary(X).               { A = p_unary(ctx, &T, TK_MINUS, X); }
unary(A) ::= PLUS(T) unary(X).                { A = p_unary(ctx, &T, TK_PLUS, X); }
unary(A) ::= NOT(T) unary(X).                 { A = p_unary(ctx, &T, TK_NOT, X); }
unary(A) ::= CARET(T) unary(X).               { A = p_unary(ctx, &T, TK_CARET, X); }
unary(A) ::= ARROW(T) unary(X).               { A = p_recv(ctx, &T, X); }

primary(A) ::= operand(A).
primary(A) ::= primary(X) DOT IDENT(N).       { A = p_kid(ctx, AST_FIELD, X, X, NULL); A->name = N.str; }
primary(A) ::= primary(X) LPAREN RPAREN.      { A = p_kid(ctx, AST_CALL, X, X, NULL); }
primary(A) ::= primary(X) LPAREN exprlist(L) optcomma RPAREN. {
    A = p_new_at(ctx, AST_CALL, X); A->a = X; A->list = L; A = p_fin(ctx, A);
}
primary(A) ::= primary(X) LPAREN exprlist(L) ELLIPSIS optcomma RPAREN. {
    A = p_new_at(ctx, AST_CALL, X); A->a = X; A->list = L; A->flags |= AST_SPREAD; A = p_fin(ctx, A);
}
primary(A) ::= primary(X) LBRACK expr(I) RBRACK. { A = p_kid(ctx, AST_INDEX, X, X, I); }
primary(A) ::= primary(X) LBRACK expr(L) COLON expr(H) RBRACK. {
    A = p_new_at(ctx, AST_SLICE, X); A->a = X; A->b = L; A->c = H; A = p_fin(ctx, A);
}
primary(A) ::= primary(X) LBRACK expr(L) COLON RBRACK. {
    A = p_new_at(ctx, AST_SLICE, X); A->a = X; A->b = L; A = p_fin(ctx, A);
}
primary(A) ::= primary(X) LBRACK COLON expr(H) RBRACK. {
    A = p_new_at(ctx, AST_SLICE, X); A->a = X; A->c = H; A = p_fin(ctx, A);
}
primary(A) ::= primary(X) LBRACK COLON RBRACK. {
    A = p_new_at(ctx, AST_SLICE, X); A->a = X; A = p_fin(ctx, A);
}

operand(A) ::= INT(T).                        { A = p_leaf(ctx, AST_INT, &T); }
operand(A) ::= FLOAT(T).                      { A = p_leaf(ctx, AST_FLOAT, &T); }
operand(A) ::= STRING(T).                     { A = p_leaf(ctx, AST_STRING, &T); }
operand(A) ::= IDENT(T).                      { A = p_leaf(ctx, AST_IDENT, &T); }
operand(A) ::= TRUE(T).                       { A = p_leaf(ctx, AST_TRUE, &T); }
operand(A) ::= FALSE(T).                      { A = p_leaf(ctx, AST_FALSE, &T); }
operand(A) ::= NIL(T).                        { A = p_leaf(ctx, AST_NIL, &T); }
operand(A) ::= LPAREN(T) expr(X) RPAREN.      { A = p_new(ctx, AST_PAREN, &T); A->a = X; A = p_fin(ctx, A); }
operand(A) ::= LBRACK(T) RBRACK.              { A = p_new(ctx, AST_LISTLIT, &T); }
operand(A) ::= LBRACK(T) exprlist(L) optcomma RBRACK. {
    A = p_new(ctx, AST_LISTLIT, &T); A->list = L; A = p_fin(ctx, A);
}
operand(A) ::= LBRACE(T) RBRACE.              { A = p_new(ctx, AST_MAPLIT, &T); }
operand(A) ::= LBRACE(T) pairlist(L) optcomma RBRACE. {
    A = p_new(ctx, AST_MAPLIT, &T); A->list = L; A = p_fin(ctx, A);
}
operand(A) ::= FUNC(T) LPAREN params(P) RPAREN block(B). {
    A = P; A->line = T.line; A->col = T.col; A->a = B; A = p_fin(ctx, A);
}
operand(A) ::= CHAN(T) LPAREN RPAREN.         { A = p_new(ctx, AST_CHANMAKE, &T); }
operand(A) ::= CHAN(T) LPAREN expr(X) optcomma RPAREN. {
    A = p_new(ctx, AST_CHANMAKE, &T); A->a = X; A = p_fin(ctx, A);
}

pairlist(A) ::= pair(P).                      { A = p_list1(ctx, P); }
pairlist(A) ::= pairlist(L) COMMA pair(P).    { A = L; ast_list_push(ctx->ast, &A, P); }
pair(A) ::= expr(K) COLON expr(V).            { A = p_kid(ctx, AST_PAIR, K, K, V); }

%code {
/* Which tokens could the parser have accepted instead of the one that
 * caused the error? Each candidate is run through the reductions it would
 * cause, starting from the stack as it was before the bad token arrived
 * (ctx->snap holds its top; Lemon's default reductions may have changed
 * the real stack since). Entries below the lowest point the bad token's
 * own reductions reached are still intact in the real stack. A candidate
 * whose run needs an entry that is neither is counted as not acceptable.
 * This is what lets a message say "expected ',' or ')'". */
typedef struct SimView {
    yyParser *p;
    ParseCtx *c;
    int intact;            /* real stack entries [0, intact) are as before the token */
    int lowest;            /* the lowest stack size the run reached */
} SimView;

static int sim_state(SimView *v, int i, int *known) {
    int n = v->c->snap_depth, k = v->c->snap_k;
    if (i >= n - k && i < n) return (int)v->c->snap[i - (n - k)];
    if (i >= 0 && i < v->intact) return v->p->yystack[i].stateno;
    *known = 0;
    return 0;
}

static int sim_can_shift(SimView *v, int tok) {
    enum { OVER = 256 };
    YYACTIONTYPE over[OVER];   /* states pushed above the kept part of the stack */
    int base = v->c->snap_depth, nover = 0, known = 1;
    v->lowest = base;
    YYACTIONTYPE act = (YYACTIONTYPE)sim_state(v, base - 1, &known);
    if (!known) return 0;
    for (int guard = 0; guard < 100000; guard++) {
        act = yy_find_shift_action((YYCODETYPE)tok, act);
        if (act >= YY_MIN_REDUCE) {
            unsigned rule = act - YY_MIN_REDUCE;
            int pop = -yyRuleInfoNRhs[rule];
            if (pop <= nover) {
                nover -= pop;
            } else {
                base -= pop - nover;
                nover = 0;
                if (base < v->lowest) v->lowest = base;
            }
            if (base <= 0) return 0;
            YYACTIONTYPE below = nover ? over[nover - 1] : (YYACTIONTYPE)sim_state(v, base - 1, &known);
            if (!known || nover == OVER) return 0;
            act = yy_find_reduce_action(below, yyRuleInfoLhs[rule]);
            over[nover++] = act;
        } else if (act <= YY_MAX_SHIFTREDUCE || act == YY_ACCEPT_ACTION) {
            return 1;
        } else {
            return 0;
        }
    }
    return 0;
}

static void parse_expected(yyParser *p, int found, unsigned char *ok) {
    SimView v = {p, p->ctx, 0, 0};
    /* replay the bad token: the real stack is intact below where it got to */
    int n = v.c->snap_depth, k = v.c->snap_k;
    v.intact = n - k;                      /* below the snapshot: the real stack, if untouched */
    sim_can_shift(&v, found);
    if (v.lowest < v.intact) v.intact = v.lowest;
    for (int t = 0; t < YYNTOKEN; t++) ok[t] = (unsigned char)sim_can_shift(&v, t);
}

void p_feed(void *parser, ParseCtx *c, int tk, Tok t) {
    yyParser *p = parser;
    int n = (int)(p->yytos - p->yystack) + 1;
    int k = n < (int)(sizeof c->snap / sizeof c->snap[0]) ? n : (int)(sizeof c->snap / sizeof c->snap[0]);
    c->snap_depth = n;
    c->snap_k = k;
    for (int i = 0; i < k; i++) c->snap[i] = p->yystack[n - k + i].stateno;
    csp_parse(parser, tk, t);
}
}
