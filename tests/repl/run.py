#!/usr/bin/env python3
"""run.py — tests of the REPL through a pseudo-terminal.

    python3 tests/repl/run.py [--csp PATH] [-j N] [NAME...]

Each test starts `csp` on a fresh pty (pty_driver.Repl) with HOME set to a
fresh temporary directory, types as a user would and checks what the
terminal shows. Prints `ok NAME` or `FAIL NAME` and the reason, then
`N passed, N failed`; the exit status is 1 when a test failed.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import termios
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_driver import Repl  # noqa: E402

UP = '\x1b[A'
CTRL_C = '\x03'
CTRL_D = '\x04'
TAB = '\t'


class Session:
    """A csp REPL on a pty with its own HOME, and helpers that wait for
    the prompt before typing (as a person would)."""

    def __init__(self, csp, home=None, env=None):
        self.own_home = home is None
        self.home = home or tempfile.mkdtemp(prefix='csp-repl-')
        self.r = Repl(csp, self.home, env=env)
        self.prompt()

    def prompt(self, which='> ', timeout=10, since=None):
        """Waits until the screen ends with the prompt and stays quiet;
        with `since` (a mark), for a prompt that came after a new line
        that came after the mark (not the prompt already showing)."""
        end = time.time() + timeout
        while True:
            text = self.r.clean()
            if since is not None and '\n' not in text[since:]:
                pass
            elif text.endswith('\n' + which) or text == which or \
                    (which == '> ' and text.endswith(': :help for help, Ctrl-D to leave\n> ')):
                # quiet for a moment: libedit is now reading the terminal
                if not self._more(0.15):
                    return
                continue
            if time.time() > end:
                raise AssertionError('no prompt %r; screen ends:\n%s' % (which, text[-600:]))
            self._more(0.1)

    def _more(self, t):
        try:
            return self.r._read(t)
        except EOFError:
            return False

    def mark(self):
        return len(self.r.clean())

    def since(self, mark):
        return self.r.clean()[mark:]

    def line(self, text, then='> ', timeout=10):
        """Types text and Enter; waits for the next prompt; returns the
        screen text between (echo included)."""
        m = self.mark()
        self.r.send(text + '\r')
        self.prompt(then, timeout, since=m)
        return self.since(m)

    def out(self, text, timeout=10):
        """Like line, minus the echoed line and the final prompt."""
        s = self.line(text, timeout=timeout)
        first, _, rest = s.partition('\n')
        return rest[:-2] if rest.endswith('> ') else rest

    def close(self):
        self.r.kill()
        if self.own_home:
            shutil.rmtree(self.home, ignore_errors=True)


def check(cond, what, screen=''):
    if not cond:
        raise AssertionError(what + ('\n--- screen:\n' + screen[-1500:] if screen else ''))


def eq(got, want):
    check(got == want, 'want %r, got %r' % (want, got))


def has(text, sub):
    check(sub in text, 'want %r in:\n%s' % (sub, text))


# --- tests ------------------------------------------------------------------

def t_expressions(s):
    eq(s.out('1 + 2'), '3\n')
    eq(s.out('"hi" + "!"'), '"hi!"\n')
    eq(s.out('[1, "a", nil]'), '[1 a nil]\n')
    eq(s.out('nil'), 'nil\n')
    eq(s.out('3.0 / 2'), '1.5\n')
    eq(s.out('println("x")'), 'x\n')          # a call returning nil echoes nothing
    eq(s.out('int("x")'), 'nil "strconv.ParseInt: parsing \\"x\\": invalid syntax"\n')
    eq(s.out('"tab\\there"'), '"tab\\there"\n')


def t_persistence(s):
    eq(s.out('x := 40'), '')
    eq(s.out('x + 2'), '42\n')
    eq(s.out('x++'), '')
    eq(s.out('x'), '41\n')
    eq(s.out('x := "again"'), '')            # redefinition at the prompt
    eq(s.out('x'), '"again"\n')
    eq(s.out('a, b := 1, 2'), '')
    eq(s.out('a + b'), '3\n')
    eq(s.out('var v'), '')
    eq(s.out('v'), 'nil\n')
    eq(s.out('func f(n) { return n * 10 }'), '')
    eq(s.out('func g(n) { return f(n) + 1 }'), '')
    eq(s.out('g(4)'), '41\n')
    eq(s.out('func f(n) { return n * 100 }'), '')   # replaces f for g too
    eq(s.out('g(4)'), '401\n')
    eq(s.out('func fact(n) { if n < 2 { return 1 }; return n * fact(n - 1) }'), '')
    eq(s.out('fact(10)'), '3628800\n')
    eq(s.out('const K = 6 * 7'), '')
    eq(s.out('K'), '42\n')
    eq(s.out('l := [3, 1, 2]; sort(l)'), '')
    eq(s.out('l'), '[1 2 3]\n')
    eq(s.out('counter := 0; inc := func() { counter++ }; inc(); inc()'), '')
    eq(s.out('counter'), '2\n')


def t_errors_keep_session(s):
    eq(s.out('x := 1'), '')
    out = s.out('y := nosuch + 1')
    has(out, '<stdin>:1:6: undefined: nosuch')
    out = s.out('y')
    has(out, 'undefined: y')                  # the failed input defined nothing
    eq(s.out('x'), '1\n')
    out = s.out('1 +* 2')
    has(out, 'syntax error')
    eq(s.out('x'), '1\n')


def t_continuation(s):
    s.line('func add(a, b) {', then='... ')
    s.line('return a + b', then='... ')
    eq(s.out('}'), '')
    eq(s.out('add(2, 3)'), '5\n')
    s.line('l := [1,', then='... ')
    s.line('2,', then='... ')
    s.out(']')
    eq(s.out('len(l)'), '2\n')
    s.line('r := `raw', then='... ')
    s.out('text`')
    eq(s.out('r'), '"raw\\ntext"\n')
    # Ctrl-D within a continuation drops it
    s.line('if true {', then='... ')
    m = s.mark()
    s.r.send(CTRL_D)
    s.prompt(since=m)
    eq(s.out('7'), '7\n')


def t_history_recall(s):
    eq(s.out('6 * 7'), '42\n')
    eq(s.out('1'), '1\n')
    m = s.mark()
    s.r.send(UP + UP + '\r')
    s.prompt(since=m)
    has(s.since(m), '42\n')
    # the history file is written
    path = os.path.join(s.home, '.csp_history')
    check(os.path.exists(path), 'no ' + path)
    data = open(path).read()
    check('6' in data and '7' in data, 'history file lacks the line:\n' + data)


def t_history_across_sessions(csp):
    home = tempfile.mkdtemp(prefix='csp-repl-')
    try:
        s = Session(csp, home)
        eq(s.out('"first session"'), '"first session"\n')
        s.r.send(CTRL_D)
        eq(s.r.wait(), 0)
        s.close()
        s = Session(csp, home)
        m = s.mark()
        s.r.send(UP + '\r')
        s.prompt(since=m)
        has(s.since(m), '"first session"\n')
        s.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


def t_completion(s):
    # a unique completion, a common prefix, then the list on a second Tab
    m = s.mark()
    s.r.send('printl' + TAB)
    s.r.settle(0.3)
    has(s.since(m), 'println')
    s.r.send('("via tab")\r')
    s.prompt(since=m)
    has(s.since(m), 'via tab\n')
    m = s.mark()
    s.r.send('pri' + TAB)
    s.r.settle(0.3)
    s.r.send(TAB)
    s.r.settle(0.3)
    shown = s.since(m)
    has(shown, 'print')
    has(shown, 'printf')
    has(shown, 'println')
    s.r.send('ln("listed")\r')
    s.prompt(since=m)
    has(s.since(m), 'listed\n')
    # session names and module members
    s.out('my_long_name := 5')
    m = s.mark()
    s.r.send('my_lo' + TAB + ' * 2\r')
    s.prompt(since=m)
    has(s.since(m), '10\n')
    m = s.mark()
    s.r.send('strings.to_up' + TAB + '("abc")\r')
    s.prompt(since=m)
    has(s.since(m), '"ABC"\n')
    # names of the input being typed: a function's parameters
    s.line('func area(width, height) {', then='... ')
    m = s.mark()
    s.r.send('return wid' + TAB + ' * hei' + TAB + '\r')
    s.prompt('... ', since=m)
    s.out('}')
    eq(s.out('area(3, 4)'), '12\n')
    m = s.mark()
    s.r.send(':he' + TAB + '\r')
    s.prompt(since=m)
    has(s.since(m), ':load FILE')


def t_ctrl_c_loop(s):
    s.out('n := 1')
    m = s.mark()
    s.r.send('for { n++ }\r')
    time.sleep(0.5)
    s.r.send(CTRL_C)
    s.prompt(timeout=5, since=m)
    has(s.since(m), 'interrupted')
    out = s.out('n > 1')
    eq(out, 'true\n')                         # the loop's work is kept
    eq(s.out('"alive"'), '"alive"\n')


def t_ctrl_c_blocked(s):
    s.out('c := chan()')
    m = s.mark()
    s.r.send('time.sleep(60 * time.second)\r')
    time.sleep(0.4)
    t0 = time.time()
    s.r.send(CTRL_C)
    s.prompt(timeout=5, since=m)
    check(time.time() - t0 < 3, 'Ctrl-C took %.1fs' % (time.time() - t0))
    has(s.since(m), 'interrupted')
    eq(s.out('1 + 1'), '2\n')


def t_ctrl_c_at_prompt(s):
    m = s.mark()
    s.r.send('this is not code')
    s.r.settle(0.2)
    s.r.send(CTRL_C)
    s.prompt(since=m)
    eq(s.out('2 + 2'), '4\n')
    check('syntax error' not in s.since(m), 'the discarded line ran:\n' + s.since(m))
    # also within a continuation
    s.line('func broken() {', then='... ')
    m = s.mark()
    s.r.send(CTRL_C)
    s.prompt(since=m)
    eq(s.out('"back"'), '"back"\n')


def t_panic(s):
    s.out('x := 5')
    out = s.out('[1, 2][5]')
    has(out, 'panic: index out of range [5] with length 2')
    has(out, 'goroutine ')
    eq(s.out('x'), '5\n')
    out = s.out('x = 6; panic("boom")')
    has(out, 'panic: boom')
    eq(s.out('x'), '6\n')                      # the session as the input left it
    out = s.out('func deep(n) { if n == 0 { panic("deep") }; deep(n - 1) }; deep(3)')
    has(out, 'deep at <stdin>:1')
    eq(s.out('"ok"'), '"ok"\n')


def t_deadlock(s):
    s.out('c := chan()')
    out = s.out('<-c')
    has(out, 'all goroutines are asleep - deadlock!')
    has(out, '[chan receive]')
    eq(s.out('"still here"'), '"still here"\n')
    out = s.out('select {}')
    has(out, 'deadlock!')
    eq(s.out('1'), '1\n')


def t_background(s):
    s.out('ch := chan(10)')
    t0 = time.time()
    s.out('go func() { for i := 0; i < 3; i++ { time.sleep(100 * time.millisecond); ch <- i * 10 } }()')
    check(time.time() - t0 < 1, 'go at the prompt waited for the goroutine')
    time.sleep(0.6)
    eq(s.out('len(ch)'), '3\n')
    eq(s.out('<-ch'), '0\n')
    eq(s.out('<-ch'), '10\n')
    # a goroutine keeps working while the prompt waits
    s.out('res := chan(1)')
    s.out('go func() { sum := 0; for i := 0; i < 3000000; i++ { sum += i }; res <- sum }()')
    eq(s.out('<-res'), '4499998500000\n')
    # a panic in a background goroutine is reported; the REPL goes on
    m = s.mark()
    s.r.send('go func() { time.sleep(50 * time.millisecond); panic("bg") }()\r')
    time.sleep(0.6)
    s.r.settle(0.2)
    has(s.since(m), 'panic: bg')
    m = s.mark()
    s.r.send('\r')
    s.prompt(since=m)
    eq(s.out('"alive"'), '"alive"\n')


def t_goroutine_uses_session(s):
    s.out('func sq(x) { return x * x }')
    s.out('out := chan()')
    s.out('go func() { out <- sq(9) }()')
    eq(s.out('<-out'), '81\n')


def t_commands(s, csp):
    lib = os.path.join(s.home, 'lib.csp')
    with open(lib, 'w') as f:
        f.write('import "strings"\n'
                'const GREETING = "hello"\n'
                'func greet(name) { return strings.to_upper(GREETING) + " " + name }\n'
                'func main() { println("main must not run") }\n')
    # Tab completes the file name after :load
    out = s.out(':load ' + os.path.join(s.home, 'li') + TAB)
    check('main must not run' not in out, 'main ran:\n' + out)
    eq(s.out('greet("you")'), '"HELLO you"\n')
    eq(s.out('GREETING'), '"hello"\n')
    out = s.out(':disasm greet')
    has(out, 'func greet')
    has(out, 'RETURN')
    out = s.out(':help')
    has(out, ':quit')
    has(out, ':disasm')
    out = s.out(':nonsense')
    has(out, 'unknown command')
    out = s.out(':load ' + os.path.join(s.home, 'missing.csp'))
    has(out, 'cannot read')
    bad = os.path.join(s.home, 'bad.csp')
    with open(bad, 'w') as f:
        f.write('func main() { return nope }\n')
    out = s.out(':load ' + bad)
    has(out, 'undefined: nope')
    s.r.send(':quit\r')
    eq(s.r.wait(), 0)


def t_import(s):
    lib = os.path.join(s.home, 'mylib.csp')
    with open(lib, 'w') as f:
        f.write('func twice(x) { return 2 * x }\n')
    s.out('import "%s"' % lib)
    eq(s.out('mylib.twice(21)'), '42\n')
    s.out('import "math"')
    eq(s.out('math.sqrt(16)'), '4\n')


def t_ctrl_d(s):
    s.out('x := 1')
    s.r.send(CTRL_D)
    eq(s.r.wait(), 0)


def t_os_exit(s):
    s.r.send('os.exit(3)\r')
    eq(s.r.wait(), 3)


def t_os_exit_background(s):
    # os.exit from a goroutine while libedit has the terminal: it is restored
    s.line('go func() { time.sleep(300 * time.millisecond); os.exit(4) }()')
    eq(s.r.wait(), 4)
    lflag = termios.tcgetattr(s.r.fd)[3]
    check(lflag & termios.ECHO and lflag & termios.ICANON, 'terminal left in raw mode')


def t_no_home(csp):
    s = Session(csp, env={'HOME': ''})
    try:
        eq(s.out('"no home"'), '"no home"\n')
        s.r.send(CTRL_D)
        eq(s.r.wait(), 0)
    finally:
        s.close()


def t_not_a_terminal(csp):
    p = subprocess.run([csp], input=b'func main() { println("from stdin") }\n',
                       capture_output=True, timeout=20)
    eq(p.stdout, b'from stdin\n')
    eq(p.returncode, 0)


# name -> (function, how it is called: 's' a Session, 'sc' Session and csp, 'c' csp)
TESTS = [
    ('expressions', t_expressions, 's'),
    ('persistence', t_persistence, 's'),
    ('errors_keep_session', t_errors_keep_session, 's'),
    ('continuation', t_continuation, 's'),
    ('history_recall', t_history_recall, 's'),
    ('history_across_sessions', t_history_across_sessions, 'c'),
    ('completion', t_completion, 's'),
    ('ctrl_c_loop', t_ctrl_c_loop, 's'),
    ('ctrl_c_blocked', t_ctrl_c_blocked, 's'),
    ('ctrl_c_at_prompt', t_ctrl_c_at_prompt, 's'),
    ('panic', t_panic, 's'),
    ('deadlock', t_deadlock, 's'),
    ('background', t_background, 's'),
    ('goroutine_uses_session', t_goroutine_uses_session, 's'),
    ('commands', t_commands, 'sc'),
    ('import', t_import, 's'),
    ('ctrl_d', t_ctrl_d, 's'),
    ('os_exit', t_os_exit, 's'),
    ('os_exit_background', t_os_exit_background, 's'),
    ('no_home', t_no_home, 'c'),
    ('not_a_terminal', t_not_a_terminal, 'c'),
]


def run_one(csp, name, fn, how):
    start = time.time()
    s = None
    try:
        if how == 'c':
            fn(csp)
        else:
            s = Session(csp)
            fn(s) if how == 's' else fn(s, csp)
        return name, None, time.time() - start
    except Exception as e:  # noqa: BLE001 — every failure is reported
        msg = str(e) or traceback.format_exc()
        if not isinstance(e, AssertionError):
            msg = traceback.format_exc()
        if s is not None and 'screen' not in msg:
            msg += '\n--- screen:\n' + s.r.clean()[-1500:]
        return name, msg, time.time() - start
    finally:
        if s is not None:
            s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--csp', default=None)
    ap.add_argument('-j', type=int, default=1)
    ap.add_argument('names', nargs='*')
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    csp = os.path.abspath(a.csp or os.path.join(root, 'csp'))
    if not os.access(csp, os.X_OK):
        print('no csp at %s' % csp)
        print('0 passed, 1 failed')
        return 1
    tests = [t for t in TESTS if not a.names or t[0] in a.names]
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.j)) as ex:
        futs = [ex.submit(run_one, csp, *t) for t in tests]
        for f in futs:
            name, err, secs = f.result()
            if err is None:
                passed += 1
                print('ok   %-26s %.1fs' % (name, secs))
            else:
                failed += 1
                print('FAIL %s\n%s' % (name, '\n'.join('     ' + l for l in err.splitlines())))
            sys.stdout.flush()
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
