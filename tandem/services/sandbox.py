"""Stdio partners run in a Landlock file-system sandbox: a partner reads the system, Python and its own
program, writes only its own ``HOME``, and cannot open the user's data under ``TANDEM_HOME`` (profile,
memory, keys, the journal, other partners' files).

A partner is started through this module as a launcher::

    python -m tandem.services.sandbox --read DIR ... --write DIR ... -- COMMAND ARGS...

The launcher restricts itself with Landlock (Linux >= 5.13; the restriction is inherited across
``exec`` and by every child) and then ``exec``s the partner's command. ``grants`` decides the paths from
what the partner runs: system and interpreter directories to read; its own ``HOME`` and the directories of
absolute paths its command names (the user saw that command when adding the partner) to write; Tandem's
reference partners (``-m tandem.partners.…`` on Tandem's interpreter, Tandem's own code) also write their databases in
``$TANDEM_HOME/partners``. Nothing under ``TANDEM_HOME`` is granted except those: where an allowed
directory contains ``TANDEM_HOME`` (a source tree that holds it, ``/tmp`` in tests) the grant is split
around it, so the home and its parents can be listed but not read. A named directory that holds
``TANDEM_HOME`` or the user's home is read, never written (``~/.bashrc`` would run code unconfined). A
symbolic link met while splitting is granted as its target, and only when that lies apart from the home.

The partner's environment reaches the launcher under a prefix (``launcher_env``) and is set only for the
command it execs: a ``PYTHONPATH`` or ``LD_PRELOAD`` from a manifest would otherwise run the partner's code
in the launcher before it confines itself.

Where the kernel's Landlock can confine TCP (ABI 4, Linux 6.7), the partner cannot connect to Tandem's own
API port (``closed_ports``): without keys a loopback caller may confirm purchases, and a partner must
never be that caller. Other ports stay open (partners call their own backends).

Of ``/proc`` a partner reads what describes the machine and its own ``/proc/<pid>``, never another process's
(``environ`` there holds Tandem's keys and other partners' tokens). Its own subprocesses (a helper program it
runs) have the same rules and so no ``/proc/self``: Landlock grants paths that exist when the partner
confines itself, and the only path above a later pid is ``/proc`` itself. A helper that needs ``/proc/self``
(``ps``, some runtimes' memory probes) fails there; Python's ``subprocess`` and programs that go on without it
run. Giving it back safely needs a ``/proc`` of the partner's own (a pid and mount namespace), not a wider grant.

Tandem's reference partners are started faster as forks of the partner starter (``services.starter``),
which confines each child with the same grants through ``restrict`` before the partner's module runs.

A kernel without Landlock runs the partner unconfined and says so on its stderr (the partner's log);
``tandem doctor`` reports it.
"""

from __future__ import annotations

import ctypes
import os
import stat
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Grants", "available", "grants", "launcher_argv", "launcher_env", "reference", "restrict"]

_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446  # the same on x86-64 and arm64
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2
_NET_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1 << 0, 1 << 1
_PR_SET_NO_NEW_PRIVS = 38
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_TRUNCATE, _IOCTL_DEV = 1 << 14, 1 << 15
_FILE_ONLY = _EXECUTE | _WRITE_FILE | _READ_FILE | _TRUNCATE | _IOCTL_DEV  # rights a rule on a file may carry
_READ = _EXECUTE | _READ_FILE | _READ_DIR
SYSTEM_READ = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/opt", "/sys", "/run")
# Of /proc only what describes the machine, and the partner's own /proc/<pid> (added by ``restrict``): another
# process's environ would hand over Tandem's keys and other partners' tokens.
PROC_READ = ("/proc/meminfo", "/proc/cpuinfo", "/proc/stat", "/proc/loadavg", "/proc/uptime", "/proc/version",
             "/proc/filesystems", "/proc/sys")
SYSTEM_WRITE = ("/dev",)  # /dev/null, /dev/urandom, the terminal
_ENV = "TANDEM_SANDBOX_ENV_"  # the partner's variables, inert for the launcher itself


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _NetPort(ctypes.Structure):
    _fields_ = [("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _abi() -> int:
    """The kernel's Landlock ABI version, 0 when there is none (old kernel, disabled, not Linux)."""
    if not sys.platform.startswith("linux"):
        return 0
    version = _libc().syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    return max(int(version), 0)


def available() -> bool:
    return _abi() > 0


def _handled(abi: int) -> int:
    """Every file-system right this ABI knows: what is not granted below is then denied."""
    top = {1: 13, 2: 14, 3: 15, 4: 15}.get(abi, 16)
    return (1 << top) - 1


@dataclass
class Grants:
    read: list[Path] = field(default_factory=list)
    write: list[Path] = field(default_factory=list)
    listed: list[Path] = field(default_factory=list)  # names may be listed, nothing read (parents of the home)
    closed_ports: list[int] = field(default_factory=list)  # TCP ports it may not connect to (Tandem's API)

    def flags(self) -> list[str]:
        paths = [x for kind, paths in (("--read", self.read), ("--write", self.write), ("--list", self.listed))
                 for p in paths for x in (kind, str(p))]
        return paths + [x for port in self.closed_ports for x in ("--close-port", str(port))]


def _around(allowed: Path, home: Path) -> tuple[list[Path], list[Path]]:
    """``allowed`` split so nothing under ``home`` is in it: (directories to list only, paths to grant)."""
    if allowed.is_relative_to(home):
        return [], []
    if not home.is_relative_to(allowed):
        return [], [allowed]
    listed: list[Path] = [allowed]
    granted: list[Path] = []
    try:
        children = list(allowed.iterdir())
    except OSError:
        return listed, granted
    for child in children:
        if child.is_symlink():  # Landlock grants the inode a path opens: a link must not name the home
            target = _real(child)
            if not (target.is_relative_to(home) or home.is_relative_to(target)):
                granted.append(target)
            continue
        more_listed, more_granted = _around(child, home)
        listed += more_listed
        granted += more_granted
    return listed, granted


def _python_paths() -> list[Path]:
    paths = {Path(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    paths |= {Path(p) for p in sys.path if p and Path(p).is_dir()}
    paths.add(Path(sys.executable).parent)
    import tandem  # the reference partners are Tandem's own modules

    paths.add(Path(tandem.__file__).parent)
    return sorted(paths)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def reference(argv: Sequence[str], env: Mapping[str, str]) -> bool:
    """Tandem's own partner module on Tandem's own interpreter, with no variable that loads other code
    (``/opt/x/python -m tandem.partners.y`` or a ``PYTHONPATH`` of the manifest's would run the partner's)."""
    if len(argv) < 3 or argv[1] != "-m" or not argv[2].startswith("tandem.partners."):
        return False
    loaders = [k for k in env if k.startswith(("PYTHON", "LD_"))]
    return _real(Path(argv[0])) == _real(Path(sys.executable)) and all(env[k] == os.environ.get(k) for k in loaders)


def grants(argv: Sequence[str], own_home: Path, home: Path, env: Mapping[str, str] | None = None,
           closed_ports: Sequence[int] = ()) -> Grants:
    """What a stdio partner running ``argv`` with ``env`` may read, write and connect to (see the module
    docstring)."""
    home, own_home = _real(home), _real(own_home)
    read = [Path(p) for p in SYSTEM_READ + PROC_READ if Path(p).exists()] + _python_paths()
    write = [Path(p) for p in SYSTEM_WRITE if Path(p).exists()]
    holders = (home, _real(Path.home()))
    for arg in argv[1:]:  # paths the command names: its data (--db /x/y.db), its program
        if os.path.isabs(arg):
            where = _real(Path(arg) if Path(arg).is_dir() else Path(arg).parent)
            if where.exists():
                (read if any(h.is_relative_to(where) for h in holders) else write).append(where)
    out = Grants(write=[own_home], closed_ports=list(closed_ports))
    if reference(argv, os.environ if env is None else env):
        out.write.append(home / "partners")  # Tandem's reference partners keep their databases there
    for wanted, into in ((read, out.read), (write, out.write)):
        for path in wanted:
            listed, granted = _around(_real(path), home)
            out.listed += listed
            into += granted
    return out


def launcher_argv(argv: Sequence[str], rules: Grants) -> list[str]:
    """The command line that runs ``argv`` under ``rules``."""
    return [sys.executable, "-m", "tandem.services.sandbox", *rules.flags(), "--", *argv]


def launcher_env(env: Mapping[str, str]) -> dict[str, str]:
    """The launcher's environment: Tandem's own ``PATH`` and ``PYTHONPATH``, and the partner's ``env``
    under a prefix that ``main`` removes for the command it execs, after confining itself."""
    own = {k: os.environ[k] for k in ("PATH", "PYTHONPATH") if k in os.environ}
    return own | {_ENV + k: v for k, v in env.items()}


def _add(libc: ctypes.CDLL, ruleset: int, path: Path, access: int) -> None:
    try:  # not following a link: one swapped in since the grant was computed could name the home
        fd = os.open(path, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return  # gone since the grant was computed: nothing to allow
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISLNK(mode):
            return
        if not stat.S_ISDIR(mode):
            access &= _FILE_ONLY
        rule = _PathBeneath(allowed_access=access, parent_fd=fd)
        if libc.syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}: {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(fd)


def _open_ports(libc: ctypes.CDLL, ruleset: int, closed: set[int]) -> None:
    """Landlock allows, it cannot deny: every TCP port but the closed ones is allowed, one rule each."""
    rule = _NetPort(allowed_access=_NET_CONNECT_TCP, port=0)
    for port in range(1, 65536):
        if port not in closed:
            rule.port = port
            if libc.syscall(_SYS_ADD_RULE, ruleset, _RULE_NET_PORT, ctypes.byref(rule), 0) != 0:
                raise OSError(ctypes.get_errno(), f"landlock_add_rule port {port}: {os.strerror(ctypes.get_errno())}")


def restrict(read: Iterable[Path], write: Iterable[Path], listed: Iterable[Path] = (),
             closed_ports: Iterable[int] = ()) -> bool:
    """Confine this process (and what it ``exec``s) to the given paths, and keep it from connecting to
    ``closed_ports`` where the kernel can (ABI 4). False when the kernel has no Landlock; raises OSError
    when it has one and refuses the rules."""
    abi = _abi()
    if abi == 0:
        return False
    handled = _handled(abi)
    closed = set(closed_ports) if abi >= 4 else set()
    libc = _libc()
    scoped = _SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL if abi >= 6 else 0  # only its own domain: no signal to Tandem
    attr = _RulesetAttr(handled_access_fs=handled, handled_access_net=_NET_CONNECT_TCP if closed else 0, scoped=scoped)
    fields = 3 if scoped else 2 if closed else 1  # an older ABI knows only the first fields
    size = fields * ctypes.sizeof(ctypes.c_uint64)
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        # /proc/self of the process that becomes the partner, not of its later children (module docstring)
        _add(libc, ruleset, Path(f"/proc/{os.getpid()}"), _READ)
        for path in listed:
            _add(libc, ruleset, path, _READ_DIR)
        for path in read:
            _add(libc, ruleset, path, _READ)
        for path in write:
            _add(libc, ruleset, path, handled)
        if closed:
            _open_ports(libc, ruleset, closed)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS) failed")
        if libc.syscall(_SYS_RESTRICT_SELF, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    return True


def main(args: list[str]) -> None:
    if "--" not in args:
        raise SystemExit("usage: python -m tandem.services.sandbox [--read|--write|--list DIR]... "
                         "[--close-port N]... -- COMMAND ...")
    cut = args.index("--")
    flags, command = args[:cut], args[cut + 1:]
    if not command or len(flags) % 2 or set(flags[::2]) - {"--read", "--write", "--list", "--close-port"}:
        raise SystemExit("tandem sandbox: give --read/--write/--list DIR and --close-port N pairs, then -- and a "
                         "command")
    pairs = list(zip(flags[::2], flags[1::2], strict=True))
    read, write, listed = ([Path(v) for k, v in pairs if k == kind] for kind in ("--read", "--write", "--list"))
    closed = [int(v) for k, v in pairs if k == "--close-port"]
    if not restrict(read, write, listed, closed):
        print("tandem sandbox: this kernel has no Landlock; the partner runs unconfined", file=sys.stderr)
    env = {k: v for k, v in os.environ.items() if not k.startswith(_ENV)}
    env.update({k[len(_ENV):]: v for k, v in os.environ.items() if k.startswith(_ENV)})
    os.execvpe(command[0], command, env)


if __name__ == "__main__":
    main(sys.argv[1:])
