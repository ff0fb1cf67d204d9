#!/usr/bin/env python3
"""Writes the malformed-input corpus into a directory.

    tests/malformed/gen.py OUTDIR

Every file name says what its run must end with:
    NAME.bad.csp   a compile error: exit status 1
    NAME.any.csp   any defined status (0, 1, 2, an os.exit code), but never
                   a signal, a crash or a timeout

The corpus (deterministic: a fixed random seed):
    trunc-*        a valid program cut at every token boundary
    random-*       random bytes; random token soup; random bytes spliced
                   into a valid program
    nul-*          NUL bytes in code, strings, comments; a file of NULs
    deep-*         100,000-deep nesting of ( [ { blocks, calls, unary
                   operators, else-if chains, function literals; closed and
                   unclosed
    big-*          a 10 MB string literal (valid, unterminated, raw), a 10 MB
                   comment, a 1 MB identifier and number, a 1,000,000-element
                   list, a 1,000,000-term expression
    lines-*        a 1,000,000-line program (valid) and a 1,000,000-line file
                   of errors
    misc-*         encodings: BOM, CRLF, overlong UTF-8, surrogates, lone
                   continuation bytes, a file ending in a backslash escape...
Python 3 standard library only.
"""
import os
import random
import re
import sys

# A valid program touching every construct. It terminates quickly and
# prints a little, so every truncation either fails to compile or runs to
# an end.
SAMPLE = r'''import "time"

const N = 3
const (
	A = 1 << 2
	B = "b\t\x41\u4e16"
)

func fib(n) {
	if n < 2 {
		return n
	} else if n == 2 {
		return 1
	}
	return fib(n-1) + fib(n-2)
}

func sum(first, rest...) {
	total := first
	for _, v := range rest {
		total += v
	}
	return total
}

func main() {
	var a, b = 1, 2
	a, b = b, a
	m := {"k": [1, 2.5, 'c', nil, true], 2: {}, "f": func(x) { return x * 2 }}
	l := [1, 2, 3,]
	s := `raw
string`
	ch := chan(N)
	done := chan()
	go func() {
		for i := 0; i < N; i++ {
			ch <- i
		}
		close(ch)
		done <- true
	}()
	for v := range ch {
		switch {
		case v%2 == 0:
			l = append(l, v)
		default:
			a -= v &^ 1
		}
	}
	<-done
	select {
	case x, ok := <-ch:
		println(x, ok)
	default:
	}
outer:
	for k := range 3 {
		for {
			if k > 1 { break outer }
			break
		}
		continue
	}
	defer println("deferred")
	switch x := fib(6); x {
	case 8, 13:
		println(m.f(x), len(s[1:]), l[:2], -a, !false, ^b)
	}
	println(sum(1, l...), B, A, time.second > 0)
}
'''

TOKEN_RE = re.compile(r'''`[^`]*`|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\w+|\.\.\.|<<=|>>=|&\^=|:=|<-|\+\+|--|&&|\|\||[<>=!+\-*/%&|^]=|<<|>>|&\^|//[^\n]*|/\*.*?\*/|\S''', re.S)

SOUP = ["x", "y", "f", "main", "func", "(", ")", "{", "}", "[", "]", ",", ";", ":", ":=", "=",
        "+", "-", "*", "/", "%", "<-", "<", ">", "==", "&&", "||", "!", "^", ".", "...",
        "if", "else", "for", "range", "switch", "case", "default", "select", "go", "defer",
        "return", "break", "continue", "var", "const", "import", "chan", "nil", "true", "1",
        "0x1f", "1.5", "'a'", "\"s\"", "`r`", "\n", "\n", "\n", " ", "++", "--", "+=", "/*", "*/", "//"]


def write(outdir, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(data)


def gen(outdir):
    rnd = random.Random(20240601)
    os.makedirs(outdir, exist_ok=True)

    # --- truncations at every token boundary --------------------------------
    ends = [m.end() for m in TOKEN_RE.finditer(SAMPLE)]
    for i, end in enumerate(ends):
        write(outdir, "trunc-%04d.any.csp" % i, SAMPLE[:end])
        # the same cut without the rest of its line, then a closing brace
        if i % 7 == 0:
            write(outdir, "trunc-%04d-b.any.csp" % i, SAMPLE[:end] + "\n}\n")
    write(outdir, "trunc-full.any.csp", SAMPLE)

    # --- random input ---------------------------------------------------------
    for i in range(40):
        n = rnd.choice([1, 2, 7, 64, 1000, 20000])
        write(outdir, "random-bytes-%02d.any.csp" % i, bytes(rnd.randrange(256) for _ in range(n)))
    for i in range(60):
        toks = [rnd.choice(SOUP) for _ in range(rnd.choice([5, 50, 400]))]
        write(outdir, "random-soup-%02d.any.csp" % i, " ".join(toks))
    for i in range(30):
        src = bytearray(SAMPLE.encode())
        for _ in range(rnd.choice([1, 3, 10])):
            pos = rnd.randrange(len(src))
            if rnd.random() < 0.5:
                src[pos] = rnd.randrange(256)
            else:
                del src[pos:pos + rnd.randrange(1, 20)]
        write(outdir, "random-splice-%02d.any.csp" % i, bytes(src))

    # --- NUL bytes ------------------------------------------------------------
    write(outdir, "nul-code.bad.csp", "func main() {\n\tx := 1\x00\n}\n")
    write(outdir, "nul-string.bad.csp", "func main() {\n\tprintln(\"a\x00b\")\n}\n")
    write(outdir, "nul-raw.bad.csp", "func main() {\n\tprintln(`a\x00b`)\n}\n")
    write(outdir, "nul-comment.bad.csp", "// a\x00b\nfunc main() {}\n")
    write(outdir, "nul-char.bad.csp", "func main() {\n\tprintln('\x00')\n}\n")
    write(outdir, "nul-only.bad.csp", b"\x00" * 4096)
    write(outdir, "nul-first.bad.csp", b"\x00func main() {}\n")
    write(outdir, "nul-last.bad.csp", b"func main() {}\n\x00")

    # --- deep nesting -----------------------------------------------------------
    D = 100000
    def main(body):
        return "func main() {\n" + body + "\n}\n"
    write(outdir, "deep-parens.bad.csp", main("x := " + "(" * D + "1" + ")" * D))
    write(outdir, "deep-parens-open.bad.csp", main("x := " + "(" * D))
    write(outdir, "deep-brackets.bad.csp", main("x := " + "[" * D + "1" + "]" * D))
    write(outdir, "deep-brackets-open.bad.csp", main("x := " + "[" * D))
    write(outdir, "deep-maps.bad.csp", main("x := " + "{1: " * D + "1" + "}" * D))
    write(outdir, "deep-maps-open.bad.csp", main("x := " + "{1: " * D))
    write(outdir, "deep-blocks.bad.csp", main("{" * D + "}" * D))
    write(outdir, "deep-blocks-open.bad.csp", main("{\n" * D))
    write(outdir, "deep-braces-top.bad.csp", "{" * D + "}" * D)
    write(outdir, "deep-calls.bad.csp", main("f(" * D + ")" * D))
    write(outdir, "deep-index.bad.csp", main("x := a" + "[0]" * D))
    write(outdir, "deep-fields.bad.csp", main("x := a" + ".b" * D))
    write(outdir, "deep-callchain.bad.csp", main("f" + "()" * D))
    write(outdir, "deep-minus.bad.csp", main("x := " + "- " * D + "1"))
    write(outdir, "deep-not.bad.csp", main("x := " + "!" * D + "true"))
    write(outdir, "deep-recv.bad.csp", main("x := " + "<-" * D + "ch"))
    write(outdir, "deep-ifs.bad.csp", main("if x {\n" * D + "}\n" * D))
    write(outdir, "deep-elseif.bad.csp", main("if x {\n}" + " else if x {\n}" * D))
    write(outdir, "deep-for.bad.csp", main("for {\n" * D + "}\n" * D))
    write(outdir, "deep-funclit.bad.csp", main("f := " + "func() {\n" * D + "}\n" * D))
    write(outdir, "deep-funclit-args.bad.csp", main("f(func() {" * D + "})" * D))
    write(outdir, "deep-mixed.bad.csp", main("x := " + "([{1: " * (D // 3)))
    write(outdir, "deep-closers.bad.csp", main(")]}" * D))
    write(outdir, "deep-switch.bad.csp", main("switch {\ncase true:\n" * D + "}\n" * D))

    # --- big literals -------------------------------------------------------------
    MB10 = 10 * 1024 * 1024
    write(outdir, "big-string.any.csp", main("s := \"" + "a" * MB10 + "\"\n\tprintln(len(s))"))
    write(outdir, "big-string-escapes.any.csp",
          main("s := \"" + "\\x41\\n" * (MB10 // 6) + "\"\n\tprintln(len(s))"))
    write(outdir, "big-string-unterminated.bad.csp", main("s := \"" + "a" * MB10))
    write(outdir, "big-raw.any.csp", main("s := `" + ("abc\n" * (MB10 // 4)) + "`\n\tprintln(len(s))"))
    write(outdir, "big-raw-unterminated.bad.csp", main("s := `" + ("abc\n" * (MB10 // 4))))
    write(outdir, "big-comment.any.csp", "/*" + ("x" * 1000 + "\n") * (MB10 // 1001) + "*/\nfunc main() {}\n")
    write(outdir, "big-comment-unterminated.bad.csp", "func main() {}\n/*" + "x" * MB10)
    write(outdir, "big-ident.bad.csp", main("x" * (1 << 20) + " := 1\n\tprintln(undefined_name)"))
    write(outdir, "big-number.bad.csp", main("x := " + "9" * (1 << 20)))
    write(outdir, "big-float.any.csp", main("x := 0." + "1" * (1 << 20) + "\n\tprintln(x > 0)"))
    write(outdir, "big-list.any.csp", main("l := [" + "1, " * 1000000 + "]\n\tprintln(len(l))"))
    write(outdir, "big-expr.bad.csp", main("x := 1" + " + 1" * 1000000))
    write(outdir, "big-args.any.csp", main("println(len([" + ",".join(["x"] * 100000) + "]))").replace(
        "func main() {\n", "func main() {\n\tx := 1\n"))
    write(outdir, "big-line-error.bad.csp", main("s := \"" + "a" * MB10 + "\" @"))

    # --- a million lines ------------------------------------------------------------
    write(outdir, "lines-valid.any.csp", "func main() {\n\tx := 0\n" + "\tx++\n" * 1000000 + "\tprintln(x)\n}\n")
    write(outdir, "lines-errors.bad.csp", "func main() {\n" + "\tx := 1 2\n" * 1000000 + "}\n")
    write(outdir, "lines-empty.any.csp", "\n" * 1000000 + "func main() {}\n")
    write(outdir, "lines-comments.any.csp", "// c\n" * 1000000 + "func main() {}\n")
    write(outdir, "lines-open.bad.csp", "func main() {\n" + "\tf(\n" * 1000000)

    # --- encodings and odd endings ---------------------------------------------------
    write(outdir, "misc-bom.any.csp", b"\xef\xbb\xbffunc main() {}\n")
    write(outdir, "misc-crlf.any.csp", b"func main() {\r\n\tprintln(1)\r\n}\r\n")
    write(outdir, "misc-cr-only.any.csp", b"func main() {\r\tprintln(1)\r}\r")
    write(outdir, "misc-overlong.bad.csp", b"func main() {\n\ts := \"\xc0\xaf\"\n}\n")
    write(outdir, "misc-surrogate.bad.csp", b"func main() {\n\ts := \"\xed\xa0\x80\"\n}\n")
    write(outdir, "misc-continuation.bad.csp", b"func main() {\n\t\x80\x80\x80\n}\n")
    write(outdir, "misc-truncated-utf8.bad.csp", b"func main() {\n\ts := \"\xe4\xb8")
    write(outdir, "misc-backslash-end.bad.csp", b"func main() {\n\ts := \"abc\\")
    write(outdir, "misc-escape-end.bad.csp", b"func main() {\n\ts := \"\\u12")
    write(outdir, "misc-char-end.bad.csp", b"func main() {\n\tc := '")
    write(outdir, "misc-empty.bad.csp", b"")
    write(outdir, "misc-only-newlines.bad.csp", b"\n\n\n")
    write(outdir, "misc-comment-end.bad.csp", b"func main() {}\n/")
    write(outdir, "misc-unicode-ident.bad.csp", "func main() {\n\tπ := 3\n}\n")
    write(outdir, "misc-smart-quotes.bad.csp", "func main() {\n\tprintln(\u201chi\u201d)\n}\n")
    write(outdir, "misc-many-errors.bad.csp", "func main() {\n" + "\t@ # $ ?\n" * 1000 + "}\n")
    write(outdir, "misc-int-min.any.csp", main("println(-9223372036854775808)"))
    write(outdir, "misc-int-overflow.bad.csp", main("println(9223372036854775808)"))
    write(outdir, "misc-stray-else.bad.csp", main("if true {\n\t}\n\telse {\n\t}"))
    write(outdir, "misc-long-line.bad.csp", main("x := " + "1 " * 200000))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: gen.py OUTDIR")
    gen(sys.argv[1])
