/*
 * test_parser.c — the parser: the tree built for each construct (as an
 * S-expression, see parser/ast_dump.c), syntax error messages and their
 * positions, error recovery, the REPL's `incomplete` answer, and limits.
 * Output ends with `N passed, N failed`; the exit status is non-zero on a
 * failure.
 *
 *   test_parser                 run the tests
 *   test_parser --parse FILE    parse FILE, errors to stderr; exit 1 on errors
 *   test_parser --repl FILE     the same in REPL mode; prints `incomplete`
 *   test_parser --dump FILE     parse and print the tree
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/ast.h"
#include "parser/diag.h"

static int passed, failed;

static void check(const char *name, const char *got, const char *want) {
    if (strcmp(got, want) == 0) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s\n  want: %s\n  got:  %s\n", name, want, got);
    }
}

static void check_int(const char *name, long got, long want) {
    if (got == want) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s\n  want: %ld\n  got:  %ld\n", name, want, got);
    }
}

typedef struct Result {
    char *tree;       /* the dump, or "" */
    char *errs;       /* everything diag printed */
    int incomplete;
    int nerrors;
} Result;

static Result run(const char *src, size_t len, int repl) {
    Result r;
    size_t n;
    FILE *ef = open_memstream(&r.errs, &n);
    diag_set_sink(ef);
    diag_reset();
    Ast *ast = repl ? ast_parse_prompt("t.csp", src, len, &r.incomplete)
                    : ast_parse("t.csp", src, len, &r.incomplete);
    fclose(ef);
    diag_set_sink(NULL);
    FILE *tf = open_memstream(&r.tree, &n);
    if (ast->root) ast_dump(ast->root, tf);
    fclose(tf);
    r.nerrors = ast->nerrors;
    ast_free(ast);
    return r;
}

static void done(Result *r) {
    free(r->tree);
    free(r->errs);
}

/* A whole file parses to `want`. */
static void file(const char *src, const char *want) {
    Result r = run(src, strlen(src), 0);
    check(src, r.tree, want);
    check(src, r.errs, "");
    done(&r);
}

/* Statements inside `func main() { ... }`: their block is `want`. */
static void body(const char *stmts, const char *want) {
    char src[8192], tree[8192];
    snprintf(src, sizeof src, "func main() {\n%s\n}\n", stmts);
    snprintf(tree, sizeof tree, "(file (funcdecl main () %s))", want);
    Result r = run(src, strlen(src), 0);
    check(stmts, r.tree, tree);
    check(stmts, r.errs, "");
    done(&r);
}

/* One expression: `x := EXPR` gives (:= (x) (want)). */
static void expr(const char *e, const char *want) {
    char src[8192], tree[8192];
    snprintf(src, sizeof src, "x := %s", e);
    snprintf(tree, sizeof tree, "(block (:= (x) (%s)))", want);
    body(src, tree);
}

/* A file gives exactly this report. */
static void errors(const char *src, const char *want) {
    Result r = run(src, strlen(src), 0);
    check(src, r.errs, want);
    check(src, r.tree, "");
    done(&r);
}

/* The first line of the report for statements inside main (as line 2 on). */
static void error1(const char *stmts, const char *want) {
    char src[8192];
    snprintf(src, sizeof src, "func main() {\n%s\n}\n", stmts);
    Result r = run(src, strlen(src), 0);
    char *nl = strchr(r.errs, '\n');
    if (nl) *nl = 0;
    check(stmts, r.errs, want);
    check(stmts, r.tree, "");
    done(&r);
}

static void repl(const char *src, const char *want, int incomplete) {
    Result r = run(src, strlen(src), 1);
    check(src, r.tree, want);
    check_int(src, r.incomplete, incomplete);
    if (!incomplete && !*want) check_int(src, r.errs[0] != 0, 1);   /* the errors were printed */
    if (incomplete) check(src, r.errs, "");                          /* and these were not */
    done(&r);
}

/* Strings built by repeat(), freed at exit so LeakSanitizer stays quiet. */
static char *owned[64];
static int nowned;

static char *repeat(const char *a, int n, const char *mid, const char *b) {
    size_t la = strlen(a), lm = strlen(mid), lb = strlen(b);
    char *s = malloc(la * n + lm + lb * n + 1), *p = s;
    for (int i = 0; i < n; i++) p = memcpy(p, a, la), p += la;
    p = memcpy(p, mid, lm), p += lm;
    for (int i = 0; i < n; i++) p = memcpy(p, b, lb), p += lb;
    *p = 0;
    if (nowned < 64) owned[nowned++] = s;
    return s;
}

/* A statement nested n deep gives an error containing `msg` (or none). */
static void nest(const char *name, const char *a, int n, const char *mid, const char *b, const char *msg) {
    char *inner = repeat(a, n, mid, b);
    size_t len = strlen(inner) + 64;
    char *src = malloc(len);
    snprintf(src, len, "func main() {\n%s\n}\n", inner);
    Result r = run(src, strlen(src), 0);
    if (msg) {
        check_int(name, strstr(r.errs, msg) != NULL, 1);
        check_int(name, r.tree[0] == 0, 1);
    } else {
        check(name, r.errs, "");
    }
    done(&r);
    free(src);
}

static void test_expressions(void) {
    expr("1", "1");
    expr("-9223372036854775808", "-9223372036854775808");
    expr("1.5", "1.5");
    expr("\"a\\tb\"", "\"a\\tb\"");
    expr("true", "true");
    expr("nil", "nil");
    expr("'a'", "97");
    expr("a || b && c == d + e * f", "(|| a (&& b (== c (+ d (* e f)))))");
    expr("a * b + c * d", "(+ (* a b) (* c d))");
    expr("a - b - c", "(- (- a b) c)");
    expr("a == b == c", "(== (== a b) c)");
    expr("x << 2 + 1", "(+ (<< x 2) 1)");
    expr("a | b ^ c & d &^ e % f", "(^ (| a b) (% (&^ (& c d) e) f))");
    expr("a < b || c >= d && e != f", "(|| (< a b) (&& (>= c d) (!= e f)))");
    expr("-x * y", "(* (- x) y)");
    expr("!a && !b", "(&& (! a) (! b))");
    expr("^x + +y", "(+ (^ x) (+ y))");
    expr("- -x", "(- (- x))");
    expr("<-ch + 1", "(+ (<- ch) 1)");
    expr("<-<-ch", "(<- (<- ch))");
    expr("-a.b[1](c)", "(- (call (index (field a b) 1) c))");
    expr("(a + b) * c", "(* (paren (+ a b)) c)");
    expr("f()", "(call f)");
    expr("f(1, 2,)", "(call f 1 2)");
    expr("f(1, xs...)", "(call f 1 xs ...)");
    expr("f(xs...,)", "(call f xs ...)");
    expr("f(\n\t1,\n\t2,\n)", "(call f 1 2)");
    expr("f(g())(h)", "(call (call f (call g)) h)");
    expr("m.f(x).g", "(field (call (field m f) x) g)");
    expr("s[1:2]", "(slice s 1 2)");
    expr("s[1:]", "(slice s 1 _)");
    expr("s[:2]", "(slice s _ 2)");
    expr("s[:]", "(slice s _ _)");
    expr("[]", "(list)");
    expr("[1, \"a\", nil,]", "(list 1 \"a\" nil)");
    expr("[[1], [2, 3]][0]", "(index (list (list 1) (list 2 3)) 0)");
    expr("{}", "(map)");
    expr("{\"a\": 1, 2: [3], x + 1: {}}", "(map (pair \"a\" 1) (pair 2 (list 3)) (pair (+ x 1) (map)))");
    expr("{\n\t\"a\": 1,\n\t\"b\": 2,\n}", "(map (pair \"a\" 1) (pair \"b\" 2))");
    expr("{\"f\": func(a) { return a }}.f(1)",
         "(call (field (map (pair \"f\" (func (a) (block (return a))))) f) 1)");
    expr("func() {}", "(func () (block))");
    expr("func(a, b, rest...) { return }", "(func (a b rest)... (block (return)))");
    expr("func(a,) {}", "(func (a) (block))");
    expr("chan()", "(chan)");
    expr("chan(10)", "(chan 10)");
    expr("chan(n + 1)", "(chan (+ n 1))");
}

static void test_statements(void) {
    body("x := 1", "(block (:= (x) (1)))");
    body("a, b := 1, 2", "(block (:= (a b) (1 2)))");
    body("a, b = b, a", "(block (= (a b) (b a)))");
    body("l[i], m.k = 1, 2", "(block (= ((index l i) (field m k)) (1 2)))");
    body("var x", "(block (var (x)))");
    body("var a, b = 1, 2", "(block (var (a b) (1 2)))");
    body("const N = 1 << 3", "(block (const N (<< 1 3)))");
    body("const (\n\tA = 1\n\tB = A + 1\n)\nx := B", "(block (const A 1) (const B (+ A 1)) (:= (x) (B)))");
    body("const ( A = 1; B = 2 )", "(block (const A 1) (const B 2))");
    body("x += 1\nx -= 1\nx *= 2\nx /= 2\nx %= 2\nx &= 1\nx |= 1\nx ^= 1\nx <<= 1\nx >>= 1\nx &^= 1",
         "(block (+= x 1) (-= x 1) (*= x 2) (/= x 2) (%= x 2) (&= x 1) (|= x 1) (^= x 1) (<<= x 1) "
         "(>>= x 1) (&^= x 1))");
    body("x++\nl[0]--", "(block (++ x) (-- (index l 0)))");
    body("ch <- 1 + 2", "(block (send ch (+ 1 2)))");
    body("ch <- <-other", "(block (send ch (<- other)))");
    body("f(x)\n<-ch", "(block (expr (call f x)) (expr (<- ch)))");
    body("go f(1)\ndefer g()\ngo func() { }()",
         "(block (go (call f 1)) (defer (call g)) (go (call (func () (block)))))");
    body("return", "(block (return))");
    body("return 1, f()", "(block (return 1 (call f)))");
    body("for { break }", "(block (for _ _ _ (block (break))))");
    body("for x < 10 { x++ }", "(block (for _ (< x 10) _ (block (++ x))))");
    body("for i := 0; i < 3; i++ { continue }", "(block (for (:= (i) (0)) (< i 3) (++ i) (block (continue))))");
    body("for ; ; { }", "(block (for _ _ _ (block)))");
    body("for i := 0; i < 3; { }", "(block (for (:= (i) (0)) (< i 3) _ (block)))");
    body("for k, v := range m { }", "(block (range (k v) := m (block)))");
    body("for i := range 10 { }", "(block (range (i) := 10 (block)))");
    body("for k = range m { }", "(block (range (k) = m (block)))");
    body("for range ch { }", "(block (range () = ch (block)))");
    body("for _, x := range [1, 2] { }", "(block (range (_ x) := (list 1 2) (block)))");
    body("if x { }", "(block (if _ x (block) _))");
    body("if x := f(); x > 1 { } else { }", "(block (if (:= (x) ((call f))) (> x 1) (block) (block)))");
    body("if a { } else if b { } else { x++ }",
         "(block (if _ a (block) (if _ b (block) (block (++ x)))))");
    body("if x == ({1: 2}) { }", "(block (if _ (== x (paren (map (pair 1 2)))) (block) _))");
    body("if f(func() { g() }) { }", "(block (if _ (call f (func () (block (expr (call g))))) (block) _))");
    body("if f := func() { return }; f() { }",
         "(block (if (:= (f) ((func () (block (return))))) (call f) (block) _))");
    body("if m := ({1: 2}); m[1] == 2 { }",
         "(block (if (:= (m) ((paren (map (pair 1 2))))) (== (index m 1) 2) (block) _))");
    body("switch x {\ncase 1, 2:\n\tf()\n\tg()\ncase 3:\ndefault:\n\th()\n}",
         "(block (switch _ x (case (1 2) (block (expr (call f)) (expr (call g)))) (case (3) (block)) "
         "(default (block (expr (call h))))))");
    body("switch { case x > 1: }", "(block (switch _ _ (case ((> x 1)) (block))))");
    body("switch x := f(); x { }", "(block (switch (:= (x) ((call f))) x))");
    body("switch x := f(); { }", "(block (switch (:= (x) ((call f))) _))");
    body("switch { case true: { x := 1 } }", "(block (switch _ _ (case (true) (block (block (:= (x) (1)))))))");
    body("select {\ncase v := <-a:\n\tf(v)\ncase v, ok := <-b:\ncase <-c:\ncase x = <-e:\ncase d <- x:\n"
         "default:\n}",
         "(block (select (case (:= (v) ((<- a))) (block (expr (call f v)))) "
         "(case (:= (v ok) ((<- b))) (block)) (case (expr (<- c)) (block)) "
         "(case (= (x) ((<- e))) (block)) (case (send d x) (block)) (default (block))))");
    body("select {}", "(block (select))");
    body("{ x := 1 }\n{\n}", "(block (block (:= (x) (1))) (block))");
    body("outer:\n\tfor {\n\t\tbreak outer\n\t\tcontinue outer\n\t}",
         "(block (label outer (for _ _ _ (block (break outer) (continue outer)))))");
    body("L:", "(block (label L (empty)))");
    body("L: x++", "(block (label L (++ x)))");
    body(";;x := 1;;", "(block (:= (x) (1)))");
    body("x := 1; y := 2", "(block (:= (x) (1)) (:= (y) (2)))");
    body("// comment\n/* block\n comment */ x := 1 // end", "(block (:= (x) (1)))");
    body("s := `raw\nstring`", "(block (:= (s) (\"raw\\nstring\")))");
}

static void test_files(void) {
    file("", "(file)");
    file("\n\n// only a comment\n", "(file)");
    file("func main() {}", "(file (funcdecl main () (block)))");
    file("import \"time\"\nimport (\n\t\"a.csp\"\n\t\"b/c.csp\"\n)\nimport ()\n",
         "(file (import \"time\") (import \"a.csp\") (import \"b/c.csp\"))");
    file("const N = 10\nconst (\n\tA = 1\n\tB = \"b\"\n)\n",
         "(file (const N 10) (const A 1) (const B \"b\"))");
    file("func f(a, b, rest...) {\n\treturn a\n}\nfunc g(x,) {}\n",
         "(file (funcdecl f (a b rest)... (block (return a))) (funcdecl g (x) (block)))");
    file("func main() {\n\tif x {\n\t}\n}\n", "(file (funcdecl main () (block (if _ x (block) _))))");
    file("func main() {}\r\n", "(file (funcdecl main () (block)))");
}

static void test_repl(void) {
    repl("1 + 2", "(file (expr (+ 1 2)))", 0);
    repl("x := 1\nx", "(file (:= (x) (1)) (expr x))", 0);
    repl("func f(a) { return a }\nf(1)", "(file (funcdecl f (a) (block (return a))) (expr (call f 1)))", 0);
    repl("const N = 1\nimport \"time\"\nfor { break }",
         "(file (const N 1) (import \"time\") (for _ _ _ (block (break))))", 0);
    repl("const ( A = 1; B = 2 )", "(file (const A 1) (const B 2))", 0);
    repl("{ x := 1 }", "(file (block (:= (x) (1))))", 0);
    repl("go func() { }()", "(file (go (call (func () (block)))))", 0);
    repl("", "(file)", 0);
    /* incomplete input: the REPL asks for more */
    repl("if x {", "", 1);
    repl("if x {\n\tprintln(1)\n", "", 1);
    repl("func f() {", "", 1);
    repl("f(1,", "", 1);
    repl("f(1", "", 1);
    repl("x := [1, 2,\n", "", 1);
    repl("m := {\n", "", 1);
    repl("x :=", "", 1);
    repl("x := 1 +\n", "", 1);
    repl("s := \"abc", "", 1);
    repl("s := `abc\n", "", 1);
    repl("/* comment\n", "", 1);
    repl("for i := 0; i < 3; i++ {\n\tif i > 1 {\n", "", 1);
    /* real errors: no point in asking for more */
    repl("}", "", 0);
    repl("x := 1 2", "", 0);
    repl("s := \"abc\n", "", 0);
    repl("if x {\n} else\n", "", 1);   /* Go allows `else` newline `{` */
    repl("x := @ + (", "", 0);
    repl("x := 1 2\nif x {", "", 0);
    /* ast_parse_repl (for `csp -e`) reports incomplete input like any error */
    {
        char *errs = NULL;
        size_t n;
        FILE *ef = open_memstream(&errs, &n);
        diag_set_sink(ef);
        int inc = 0;
        Ast *ast = ast_parse_repl("-e", "f(1,", 4, &inc);
        fclose(ef);
        diag_set_sink(NULL);
        check("-e incomplete", errs, "-e:1:5: syntax error: unexpected end of file, expected expression\nf(1,\n    ^\n");
        check_int("-e incomplete flag", inc, 1);
        ast_free(ast);
        free(errs);
    }
}

static void test_errors(void) {
    errors("func main() {\n\tx := \n}\n",
           "t.csp:2:7: syntax error: unexpected newline, expected expression\n\tx := \n\t     ^\n");
    errors("func main() {\n\tif x { }\n\telse { }\n}\n",
           "t.csp:3:2: syntax error: else must be on the same line as the closing '}'\n\telse { }\n\t^\n");
    errors("x := 1\n",
           "t.csp:1:1: syntax error: non-declaration statement outside function body\nx := 1\n^\n");
    errors("func main() {\n\tif x\n\t{\n\t}\n}\n",
           "t.csp:2:6: syntax error: unexpected newline, expected '{'\n\tif x\n\t    ^\n");
    errors("func main() {", "t.csp:1:14: syntax error: unexpected end of file, expected '}'\n"
                            "func main() {\n             ^\n");
    errors("func main() {\n\tx := 1 2\n\ty := f(1 2)\n\tz := [1 2]\n}\n",
           "t.csp:2:9: syntax error: unexpected literal 2 at end of statement\n\tx := 1 2\n\t       ^\n"
           "t.csp:3:11: syntax error: unexpected literal 2, expected ',' or ')'\n\ty := f(1 2)\n\t         ^\n"
           "t.csp:4:10: syntax error: unexpected literal 2, expected ',' or ']'\n\tz := [1 2]\n\t        ^\n");
    /* one mistake, one message: recovery resumes at the next statement */
    errors("func main() {\n\tx := (1 +\n\ty := 2\n\tz := 3 3\n}\n",
           "t.csp:3:4: syntax error: unexpected ':=', expected ')'\n\ty := 2\n\t  ^\n"
           "t.csp:4:9: syntax error: unexpected literal 3 at end of statement\n\tz := 3 3\n\t       ^\n");
    errors("func f() {\n\tq q\n}\nfunc g() {\n\tr r\n}\n",
           "t.csp:2:4: syntax error: unexpected identifier 'q' at end of statement\n\tq q\n\t  ^\n"
           "t.csp:5:4: syntax error: unexpected identifier 'r' at end of statement\n\tr r\n\t  ^\n");

    /* an unclosed '(' is closed by the block's '}': the next function is fine */
    errors("func f() {\n\tg(a\n}\nfunc h() {\n\t{\n\t}\n\tq q\n}\n",
           "t.csp:2:5: syntax error: unexpected newline, expected ',' or ')'\n\tg(a\n\t   ^\n"
           "t.csp:7:4: syntax error: unexpected identifier 'q' at end of statement\n\tq q\n\t  ^\n");
    errors("func main() {}}\n",
           "t.csp:1:15: syntax error: unexpected '}' after top level declaration\nfunc main() {}}\n              ^\n");
    error1("x := [1, 2]]", "t.csp:2:12: syntax error: unexpected ']' at end of statement");
    error1("f(a]", "t.csp:2:4: syntax error: unexpected ']', expected ',' or ')'");
    error1("f(1, 2\n", "t.csp:2:7: syntax error: unexpected newline, expected ',' or ')'");
    error1(")", "t.csp:2:1: syntax error: unexpected ')', expected statement");
    error1("m := {1: 2 3}", "t.csp:2:12: syntax error: unexpected literal 3, expected ',' or '}'");
    error1("switch x { case 1 2: }", "t.csp:2:19: syntax error: unexpected literal 2, expected ',' or ':'");
    error1("if x { } else y", "t.csp:2:15: syntax error: else must be followed by if or statement block");
    error1("if x y { }", "t.csp:2:6: syntax error: unexpected identifier 'y', expected '{'");
    error1("for i := 0; i < 3; i++\n{ }", "t.csp:2:23: syntax error: unexpected newline, expected '{'");
    error1("x = = 1", "t.csp:2:5: syntax error: unexpected '=', expected expression");
    error1("var 1", "t.csp:2:5: syntax error: unexpected literal 1, expected name");
    error1("x.y := 1", "t.csp:2:1: syntax error: non-name on left side of :=");
    error1("for a.b := range x { }", "t.csp:2:5: syntax error: non-name on left side of :=");
    error1("for a, b, c := range x { }", "t.csp:2:11: range clause permits at most two iteration variables");
    error1("for i := 0; i < 3; j := 1 { }", "t.csp:2:20: syntax error: cannot declare in post statement of for loop");
    error1("go x", "t.csp:2:4: expression in go must be function call");
    error1("defer (f())", "t.csp:2:7: expression in defer must be function call");
    error1("select { case x > 1: }", "t.csp:2:15: syntax error: select case must be receive, send or assign recv");
    error1("case 1:", "t.csp:2:1: syntax error: unexpected keyword 'case', expected statement");
    error1("if m := {1: 2}; m[1] == 2 { }",
           "t.csp:2:9: syntax error: unexpected '{', expected expression (a map literal in a statement header "
           "must be parenthesised)");
    error1("if { }", "t.csp:2:4: syntax error: missing condition in if statement");
    error1("if x := 1; { }", "t.csp:2:12: syntax error: missing condition in if statement");
    error1("x := if", "t.csp:2:6: syntax error: unexpected keyword 'if', expected expression");
    error1("x := 9223372036854775808", "t.csp:2:6: integer literal overflows int");
    error1("x := -(9223372036854775808)", "t.csp:2:8: integer literal overflows int");
    error1("x := \"abc", "t.csp:2:6: unterminated string literal");
    error1("x := 1 @ 2", "t.csp:2:8: invalid character U+0040 '@'");
    error1("x[1:2:3]", "t.csp:2:6: syntax error: unexpected ':', expected ']'");
    error1("x := [1, 2", "t.csp:2:11: syntax error: unexpected newline, expected ',' or ']'");
    error1("func f() {}", "t.csp:2:6: syntax error: unexpected identifier 'f', expected '('");
    error1("L: const ( A = 1 )", "t.csp:2:4: syntax error: a declaration group cannot be labeled");
    errors("func main() {}\n}\n",
           "t.csp:2:1: syntax error: unexpected '}', expected 'func', 'const' or 'import'\n}\n^\n");
    errors("func main() {} }\n",
           "t.csp:1:16: syntax error: unexpected '}' after top level declaration\nfunc main() {} }\n               ^\n");
    errors("func f(a, 1) {}\n",
           "t.csp:1:11: syntax error: unexpected literal 1, expected ')' or name\nfunc f(a, 1) {}\n          ^\n");
    file("import ( \"a\" \"b\" )\nimport (\"c\"; \"d\")", "(file (import \"a\") (import \"b\") (import \"c\") (import \"d\"))");
    errors("import \"a\" \"b\"\n",
           "t.csp:1:12: syntax error: unexpected literal \"b\" after top level declaration\n"
           "import \"a\" \"b\"\n           ^\n");
    errors("return\n", "t.csp:1:1: syntax error: non-declaration statement outside function body\nreturn\n^\n");
    errors("func main() {\n\ts := \"\\q\" + `\n",
           "t.csp:2:8: unknown escape sequence '\\q'\n\ts := \"\\q\" + `\n\t      ^\n"
           "t.csp:2:14: unterminated raw string literal\n\ts := \"\\q\" + `\n\t            ^\n");
    /* UTF-8 before the column: the caret counts characters */
    errors("func main() {\n\ts := \"世界\" @\n}\n",
           "t.csp:2:16: invalid character U+0040 '@'\n\ts := \"世界\" @\n\t          ^\n");

    /* at most 10 errors, then `too many errors` */
    {
        char src[4096] = "func main() {\n";
        for (int i = 0; i < 15; i++) strcat(src, "\tx := 1 2\n");
        strcat(src, "}\n");
        Result r = run(src, strlen(src), 0);
        int lines = 0;
        for (char *p = r.errs; *p; p++) lines += *p == '\n';
        check_int("10 errors", lines, 10 * 3 + 1);
        const char *tail = r.errs + strlen(r.errs) - strlen("too many errors\n");
        check("too many errors", tail, "too many errors\n");
        done(&r);
    }
}

static void test_limits(void) {
    nest("500 parens", "(", 500, "1", ")", NULL);
    nest("100000 parens", "(", 100000, "1", ")", "expression nesting too deep");
    nest("100000 brackets", "[", 100000, "1", "]", "expression nesting too deep");
    nest("100000 map literals", "x := {1: ", 1, repeat("{1: ", 100000, "1", "}"), "}", "expression nesting too deep");
    nest("100000 blocks", "{", 100000, "", "}", "block nesting too deep");
    nest("100000 calls", "f(", 100000, "", ")", "expression nesting too deep");
    nest("100000 unary minus", "x := ", 1, repeat("- ", 100000, "x", ""), "", "expression nesting too deep");
    nest("100000 receives", "x := ", 1, repeat("<-", 100000, "x", ""), "", "expression nesting too deep");
    nest("2000 unary", "x := ", 1, repeat("!", 2000, "x", ""), "", "expression nesting too deep");
    nest("500 unary", "x := ", 1, repeat("!", 500, "x", ""), "", NULL);
    nest("2000 terms", "x := 1", 1, repeat(" + 1", 2000, "", ""), "", "expression nesting too deep");
    nest("500 terms", "x := 1", 1, repeat(" + 1", 500, "", ""), "", NULL);
    nest("2000 fields", "x := a", 1, repeat(".b", 2000, "", ""), "", "expression nesting too deep");
    nest("2000 ifs", "if x { ", 2000, "", "}", "block nesting too deep");
    nest("2000 else ifs", "if x { } else ", 2000, "{ }", "", "block nesting too deep");
    nest("300 else ifs", "if x { } else ", 300, "{ }", "", NULL);
    nest("2000 func literals", "f(func() { ", 2000, "", "})", "nesting too deep");
}

static int parse_file(const char *path, int mode) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    size_t cap = 1 << 16, len = 0, n;
    char *buf = malloc(cap);
    while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    int incomplete = 0;
    Ast *ast = mode == 'r' ? ast_parse_repl(path, buf, len, &incomplete) : ast_parse(path, buf, len, &incomplete);
    if (mode == 'd' && ast->root) {
        ast_dump(ast->root, stdout);
        putchar('\n');
    }
    if (mode == 'r' && incomplete) puts("incomplete");
    int status = ast->root ? 0 : 1;
    ast_free(ast);
    free(buf);
    return status;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--parse") == 0) return parse_file(argv[2], 'p');
    if (argc == 3 && strcmp(argv[1], "--repl") == 0) return parse_file(argv[2], 'r');
    if (argc == 3 && strcmp(argv[1], "--dump") == 0) return parse_file(argv[2], 'd');
    test_expressions();
    test_statements();
    test_files();
    test_repl();
    test_errors();
    test_limits();
    for (int i = 0; i < nowned; i++) free(owned[i]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
