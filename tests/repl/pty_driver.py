"""pty_driver.py — runs csp on a pseudo-terminal, types into it and reads
what the terminal shows, for the REPL tests (tests/repl/run.py).

Repl(csp, home) starts `csp` with HOME=home and TERM=xterm on a new pty.
send(text) types text; expect(pattern) waits until the output since the
last match contains the regex pattern (terminal escape sequences and
carriage returns are stripped first) and returns the text up to and
including the match; close() sends Ctrl-D and returns the exit status.
"""
import os
import pty
import re
import select
import signal
import struct
import termios
import fcntl
import time

ANSI = re.compile(rb'\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x07')


class Timeout(Exception):
    pass


class Repl:
    def __init__(self, csp, home, args=(), env=None, cols=120):
        e = dict(os.environ)
        e.update({'HOME': home, 'TERM': 'xterm', 'LC_ALL': 'C.UTF-8'})
        e.pop('CSP_THREADS', None)
        if env:
            e.update(env)
        pid, fd = pty.fork()
        if pid == 0:
            try:
                os.execve(csp, [csp] + list(args), e)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, cols, 0, 0))
        self.raw = b''       # everything read, escapes included
        self.pos = 0         # where the next expect starts, in clean text
        self.status = None

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b''
        if not data:
            raise EOFError
        self.raw += data
        return True

    def clean(self):
        text = ANSI.sub(b'', self.raw).replace(b'\r', b'')
        return text.decode('utf-8', 'replace')

    def send(self, text):
        os.write(self.fd, text.encode() if isinstance(text, str) else text)

    def expect(self, pattern, timeout=10):
        rx = re.compile(pattern)
        end = time.time() + timeout
        while True:
            text = self.clean()
            m = rx.search(text, self.pos)
            if m:
                out = text[self.pos:m.end()]
                self.pos = m.end()
                return out
            left = end - time.time()
            if left <= 0:
                raise Timeout('expected %r, got:\n%s' % (pattern, text[self.pos:]))
            try:
                self._read(min(left, 0.2))
            except EOFError:
                text = self.clean()
                m = rx.search(text, self.pos)
                if m:
                    out = text[self.pos:m.end()]
                    self.pos = m.end()
                    return out
                raise Timeout('csp ended; expected %r, got:\n%s' % (pattern, text[self.pos:]))

    def settle(self, quiet=0.3, timeout=5):
        """Reads until nothing arrives for `quiet` seconds."""
        end = time.time() + timeout
        while time.time() < end:
            try:
                if not self._read(quiet):
                    return
            except EOFError:
                return

    def wait(self, timeout=10):
        """Waits for csp to exit; returns its exit status (or -signal)."""
        end = time.time() + timeout
        while time.time() < end:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(st)
                try:
                    while self._read(0.05):
                        pass
                except EOFError:
                    pass
                return self.status
            try:
                self._read(0.05)
            except EOFError:
                time.sleep(0.02)
        raise Timeout('csp did not exit')

    def kill(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
        try:
            os.close(self.fd)
        except OSError:
            pass
