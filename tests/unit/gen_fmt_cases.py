# Regenerates test_fmt_cases.inc: printf cases with the output Go's
# fmt.Sprintf gives, translated to csp names. Needs Go. Usage:
#   python3 tests/unit/gen_fmt_cases.py tests/unit/test_fmt_cases.inc
import json, math, subprocess, sys, os

class IF(int):     # an int in csp, a float64 for Go (csp formats ints with float verbs)
    pass

inf, nan = float('inf'), float('nan')
cases = []
def c(fmt, *args): cases.append((fmt, list(args)))

# ints
for f in ["%d","%5d","%-5d|","%05d","%+d","% d","%x","%X","%#x","%#X","%o","%#o","%O","%b","%#b",
          "%08x","%#08x","%-#8x|","%.3d","%8.3d","%-8.3d|","%08.3d","%+.3d","%.0d","%5.0d|","%v","%+v","%#v",
          "%c","%q","%+q","%#q","%U","%#U","%.6U","%#8U|","%3c|","%-4q|","% x","%+05d","% 05d","%x"]:
    for v in [0, 1, -1, 42, -42, 255, 0x4e16, 9223372036854775807, -9223372036854775808]:
        if f in ("%c","%q","%+q","%#q","%U","%#U","%.6U","%#8U|","%3c|","%-4q|") and (v < 0 and v != -1): continue
        c(f, v)
c("%c", 0x110000); c("%c", 0xd800); c("%q", 0x7f); c("%q", ord('\n')); c("%q", ord("'")); c("%q", ord('"')); c("%+q", 0x4e16)
c("%q", 0x1F600); c("%+q", 0x1F600); c("%U", 0x1F600); c("%#U", 0xa0); c("%q", 0xa0)

# floats
fv = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2+0.1, 3.14159, 100.0, 1e6, 123456.0, 1234567.0, 1e20, 1e21, 1e-4, 1e-5,
      1.5e-7, 5e-324, 1.7976931348623157e308, 2.0**53, 2.0**-1022, 2.0**100, 2.5, 3.5, 0.5, 1/3.0, 2/3.0,
      123.456, -987654.321, 1e100, 6.02214076e23, inf, -inf, nan, 0.000123, 99999.95, 9.5, 0.05]
for f in ["%v","%g","%e","%f","%E","%G","%.2f","%.0f","%.3e","%.3g","%.10g","%10.3f|","%-10.3f|","%010.3f",
          "%+.2f","% .2f","%+010.2f","%#g","%#.3g","%#.0f","%#.0e","%#v","%8v|","%-8v|","%08v","%x","%X",
          "%.3x","%b","%.1g","%.0g","%#x","%5.1f","%F", "%.20f", "%.17g", "%+v", "% v", "%.0e", "%-08v|"]:
    for v in fv:
        c(f, v)
for v in [2.0**-1074*3, 2.0**-1023, 2.0**60, 2.0**-30, 1e23, 8.41e21, 5e-310, 1e15, 1e16, 123456789.0, 0.1**10, 2.0**1023]:
    c("%v", v); c("%v", -v); c("%e", v); c("%.4g", v)

# strings
sv = ["", "a", "hello", "héllo", "日本語", "a\nb\tc", "\x00\x01\x7f", "\xff\xfe", "quote\"back\\", "`tick`", "\u00a0\u00ad\u2028", "\ufeff", "\U0001F600", "a'b"]
for f in ["%s","%v","%q","%+q","%#q","%x","%X","% x","%#x","% #x","%10s|","%-10s|","%.2s","%5.1s|","%.0s|","%010s",
          "%10q|","%.3q","%-8q|","%#v","%.2x","%8x|","%-8x|","%T","%d","%5t","%c"]:
    for v in sv:
        c(f, v)
c("%q", "\xe2\x82"); c("%q", "\xed\xa0\x80"); c("%s", "\xf4\x90\x80\x80")

# bool, nil, misc
for f in ["%t","%v","%5t|","%-6v|","%d","%s","%T","%q"]:
    c(f, True); c(f, False)
    if "6" not in f: c(f, None)
c("%v", None); c("%T", None)

# lists and maps
lists = [[], [1, 2, 3], [1, "a", None, 2.5, True], [[1, 2], [3, [4]]], ["x y", "z"], [None], [-1, 255]]
for f in ["%v","%d","%s","%q","%x","%5v","%-4d|","%T","%+v","%t","%05d","%v"]:
    for v in lists:
        c(f, v)
maps = [{}, {"a": 1, "b": 2}, {1: "x", 2: [1, 2]}, {"k": {"n": None}}]
for f in ["%v","%d","%s","%q","%T","%5v","%x"]:
    for v in maps:
        c(f, v)

# printf structure
c("%"); c("%!"); c("%z", 1); c("%d %d", 1); c("%d", 1, 2); c("%d", 1, "a", None, 2.5); c("%%"); c("%5%"); c("100%%")
c("%[2]d %[1]d", 1, 2); c("%[3]d", 1, 2); c("%[0]d", 1); c("%[x]d", 1); c("%[1]d %d", 1, 2); c("%[2]*[1]d", 12, 5)
c("%*d", 5, 42); c("%-*d|", 5, 42); c("%*d|", -5, 42); c("%.*f", 2, 3.14159); c("%*d", "x", 1); c("%.*f", "x", 1.5)
c("%*d", 10000000, 1); c("%.*d", -1, 5); c("%*d"); c("%.d", 0); c("%.f", 2.5); c("%5.d|", 0)
c("no verbs", 1); c("%v%v", "a", "b"); c("%s", "%d"); c("%!d", 1); c("%é", 1); c("%-+ #0v", 1)
c("%v", 0.1, 0.2); c("%5.2%"); c("%[1]d %[1]x %[1]o", 64); c("%d%%", 50); c("%.3[1]f", 1.0); c("%[1]5d", 1)
c("%w", 1); c("%p", 1); c("%3.1q|", "abc"); c("%-5c|", 65); c("%05c", 65); c("%05q", "a"); c("%+s", "a"); c("% d", -5)
c("%e", IF(3)); c("%.2f", IF(7)); c("%g", IF(100000000)); c("%5.1f|", IF(-2))

def gofmt(v):
    if isinstance(v, IF): return "float64(%d)" % int(v)
    if v is None: return "nil"
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, int):
        if v == -9223372036854775808: return "math.MinInt64"
        return "%d" % v
    if isinstance(v, float):
        if math.isnan(v): return "math.NaN()"
        if math.isinf(v): return "math.Inf(%d)" % (1 if v > 0 else -1)
        if v == 0 and math.copysign(1, v) < 0: return "math.Copysign(0, -1)"
        return "float64(%s)" % repr(v)
    if isinstance(v, str): return '"' + "".join("\\x%02x" % b for b in v.encode('utf-8', 'surrogateescape')) + '"'
    if isinstance(v, list): return "[]any{" + ", ".join(gofmt(x) for x in v) + "}"
    if isinstance(v, dict): return "map[any]any{" + ", ".join(gofmt(k) + ": " + gofmt(x) for k, x in v.items()) + "}"
    raise Exception(v)

def cenc(v):
    if v is None: return "n"
    if isinstance(v, bool): return "T" if v else "F"
    if isinstance(v, int): return "i%d;" % int(v)
    if isinstance(v, float):
        if math.isnan(v): return "dnan;"
        if math.isinf(v): return "dinf;" if v > 0 else "d-inf;"
        return "d%s;" % v.hex()
    if isinstance(v, str):
        b = v.encode('utf-8', 'surrogateescape'); return "s%d:" % len(b) + b.decode('latin-1')
    if isinstance(v, list): return "[" + "".join(cenc(x) for x in v) + "]"
    if isinstance(v, dict): return "{" + "".join(cenc(k) + cenc(x) for k, x in v.items()) + "}"

def cstr(s):  # bytes (latin-1 str) -> C literal
    out = '"'
    for ch in s:
        o = ord(ch)
        if ch == '"' or ch == '\\': out += '\\' + ch
        elif 32 <= o < 127 and ch != '?': out += ch
        else: out += '\\%03o' % o
    return out + '"'

# Some strings have invalid utf-8: surrogateescape only covers str from bytes; write with latin-1 mapping.
def tobytes(s): return s.encode('utf-8', 'surrogateescape')

# Python str "\xff" means U+00FF; we want the raw byte 0xff for invalid-utf8 cases.
RAW = {"\xff\xfe": b"\xff\xfe", "\xe2\x82": b"\xe2\x82", "\xed\xa0\x80": b"\xed\xa0\x80", "\xf4\x90\x80\x80": b"\xf4\x90\x80\x80"}
def sbytes(v): return RAW.get(v, None) or v.encode('utf-8')
def gofmt2(v):
    if isinstance(v, str): return '"' + "".join("\\x%02x" % b for b in sbytes(v)) + '"'
    if isinstance(v, list) and not isinstance(v, IF): return "[]any{" + ", ".join(gofmt2(x) for x in v) + "}"
    if isinstance(v, dict): return "map[any]any{" + ", ".join(gofmt2(k) + ": " + gofmt2(x) for k, x in v.items()) + "}"
    return gofmt(v)
def cenc2(v):
    if isinstance(v, str): b = sbytes(v); return "s%d:" % len(b) + b.decode('latin-1')
    if isinstance(v, list): return "[" + "".join(cenc2(x) for x in v) + "]"
    if isinstance(v, dict): return "{" + "".join(cenc2(k) + cenc2(x) for k, x in v.items()) + "}"
    return cenc(v)

go = ['package main', 'import ("fmt"; "math"; "os"; "strings")', 'var _ = math.Pi',
      'func tr(s string) string { s = strings.ReplaceAll(s, "<nil>", "nil"); s = strings.ReplaceAll(s, "map[interface {}]interface {}", "map"); s = strings.ReplaceAll(s, "[]interface {}", "list"); s = strings.ReplaceAll(s, "float64", "float"); return s }',
      'func main() {']
for fmt, args in cases:
    go.append('os.Stdout.WriteString(fmt.Sprintf("%%q\\n", tr(fmt.Sprintf(%s%s))))' % (gofmt2(fmt), "".join(", " + gofmt2(a) for a in args)))
go.append('}')
open('/tmp/csp_fmt_cases.go', 'w').write("\n".join(go))
out = subprocess.run(['go', 'run', '/tmp/csp_fmt_cases.go'], capture_output=True, text=True)
if out.returncode: print(out.stderr); sys.exit(1)
lines = out.stdout.split('\n')[:-1]
assert len(lines) == len(cases), (len(lines), len(cases))

def unq(gq):  # Go %q output of a string -> bytes
    import ast
    # Go's quoting is close to Python's bytes literal with \u escapes; decode manually
    s = gq[1:-1]; outb = bytearray(); i = 0
    while i < len(s):
        ch = s[i]
        if ch != '\\': outb += ch.encode('utf-8'); i += 1; continue
        n = s[i+1]
        simple = {'a':7,'b':8,'f':12,'n':10,'r':13,'t':9,'v':11,'\\':92,'"':34,"'":39}
        if n in simple: outb.append(simple[n]); i += 2
        elif n == 'x': outb.append(int(s[i+2:i+4], 16)); i += 4
        elif n == 'u': outb += chr(int(s[i+2:i+6], 16)).encode('utf-8', 'surrogatepass'); i += 6
        elif n == 'U': outb += chr(int(s[i+2:i+10], 16)).encode('utf-8'); i += 10
        else: raise Exception(gq)
    return bytes(outb)

with open(sys.argv[1], 'w') as f:
    f.write("/* Generated from Go 1.19's fmt.Sprintf by a script; csp names substituted\n * (nil, list, map, float). Format, arguments (see parse_args), expected. */\n")
    for (fmt, args), gl in zip(cases, lines):
        exp = unq(gl)
        f.write("{ %s, %s, %s, %d },\n" % (cstr(sbytes(fmt).decode('latin-1')), cstr("".join(cenc2(a) for a in args)), cstr(exp.decode('latin-1')), len(exp)))
print(len(cases), "cases")
