# Runs a command with its stderr on a pseudo-terminal (so it sees a TTY) and its stdout on a
# pipe; prints a JSON object {code, stdout, stderr} when it ends. Used by tests of the lines
# imdiag writes only for a person at a terminal.
import json, os, pty, subprocess, sys, threading

master, slave = pty.openpty()
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
os.close(slave)
out = []
reader = threading.Thread(target=lambda: out.append(child.stdout.read()))
reader.start()
tty = b''
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    tty += chunk
reader.join()
stdout = out[0]
code = child.wait()
print(json.dumps({'code': code, 'stdout': stdout.decode('utf8', 'replace'), 'stderr': tty.decode('utf8', 'replace')}))
