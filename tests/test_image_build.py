"""The image backend end to end: a test cache, `schemos image`, the checks, the boot.

The cache is made by scripts/make-test-cache (stand-in package outputs, the
real 32-bit GNU Mach, spinning ELF programs for the Hurd's servers), the
images by `schemos image` from the seed's template and from its serial-console
variant, and the serial variant is booted under qemu-system-i386, as
docs/image.md tells users to do by hand.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BARE = ROOT / "examples" / "bare-hurd.tmpl"
SERIAL = ROOT / "examples" / "bare-hurd-serial.tmpl"
MiB = 2**20


def run(*args: str, check: bool = True, **kw) -> subprocess.CompletedProcess[str]:
    """Run a command, failing the test with its output when it fails."""
    kw.setdefault("cwd", ROOT)
    p = subprocess.run(list(args), capture_output=True, text=True, **kw)
    if check and p.returncode != 0:
        raise AssertionError(f"{args} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p


def schemos(*args: str, check: bool = True, **kw) -> subprocess.CompletedProcess[str]:
    """Run the schemos command line."""
    return run(sys.executable, "-m", "schemos.cli", *args, check=check, **kw)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A test cache for the serial variant (its closure includes bare-hurd's packages)."""
    d = tmp_path_factory.mktemp("cache")
    cache = d / "cache"
    out = run(sys.executable, "scripts/make-test-cache", str(cache), "--template",
              str(SERIAL)).stdout
    assert f"file://{cache}" in out
    return {"dir": cache, "acl": cache / "acl", "store": d / "store", "work": d}


def build(cache: dict[str, Path], template: Path, image_type: str, output: Path,
          *extra: str, check: bool = True, store: Path | None = None
          ) -> subprocess.CompletedProcess[str]:
    """`schemos image` with the test cache."""
    return schemos("image", "-t", image_type, "--substitute-urls", f"file://{cache['dir']}",
                   "--acl", str(cache["acl"]), "--store", str(store or cache["store"]),
                   str(template), "-o", str(output), *extra, check=check)


@pytest.fixture(scope="module")
def raw(cache: dict[str, Path]) -> Path:
    """The hurd-raw image of the serial variant."""
    img = cache["work"] / "hurd.img"
    p = build(cache, SERIAL, "hurd-raw", img)
    assert p.stdout.strip() == str(img)
    return img


def partition(image: Path, dest: Path) -> Path:
    """Copy the first partition of the MBR disk ``image`` to ``dest``."""
    table = run("sfdisk", "-J", str(image)).stdout
    import json

    part = json.loads(table)["partitiontable"]["partitions"][0]
    with open(image, "rb") as src, open(dest, "wb") as out:
        src.seek(part["start"] * 512)
        remaining = part["size"] * 512
        while remaining:
            chunk = src.read(min(remaining, 4 * MiB))
            if not chunk:
                break
            out.write(chunk)
            remaining -= len(chunk)
    return dest


def debugfs(fs: Path, request: str) -> str:
    """What ``debugfs -R REQUEST`` prints for the file system image ``fs``."""
    return run("debugfs", "-R", request, str(fs)).stdout


def sha256(path: Path) -> str:
    """The SHA-256 of a file, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ------------------------------------------------------------- the image


def test_partition_table_and_boot_sector(raw: Path) -> None:
    dump = run("sfdisk", "-d", str(raw)).stdout
    assert "label: dos" in dump
    line = [ln for ln in dump.splitlines() if ln.startswith(str(raw))][0]
    assert "start=        2048" in line or "start=2048" in line.replace(" ", "")
    assert "type=83" in line and "bootable" in line
    sector0 = raw.read_bytes()[:512]
    assert sector0[510:] == b"\x55\xaa"
    assert b"GRUB" in sector0              # boot.img's message text


def test_file_system_is_clean_labelled_and_holds_the_closure(raw: Path, tmp_path: Path,
                                                              cache: dict[str, Path]) -> None:
    fs = partition(raw, tmp_path / "root.ext2")
    check = run("e2fsck", "-fn", str(fs), check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    header = run("dumpe2fs", "-h", str(fs)).stdout
    assert re.search(r"Filesystem volume name:\s+my-root", header)
    assert re.search(r"Filesystem OS type:\s+Hurd", header)    # mke2fs -o hurd
    store = debugfs(fs, "ls -p /gnu/store")
    names = set(re.findall(r"/([0-9a-df-np-sv-z]{32}-[^/]+)/", store))
    assert any(n.endswith("-system") for n in names)
    assert any("-gnumach-" in n for n in names)
    assert any(re.search(r"-hurd-\d", n) for n in names)
    # the kernel is the real one from the cache, not a stand-in
    gnumach = next(n for n in names if "-gnumach-" in n)
    kernel = tmp_path / "gnumach"
    debugfs(fs, f"dump /gnu/store/{gnumach}/boot/gnumach {kernel}")
    assert kernel.read_bytes()[:4] == b"\x7fELF"
    # grub.cfg multiboots that kernel and loads the Hurd's ext2fs
    grub = tmp_path / "grub.cfg"
    debugfs(fs, f"dump /boot/grub/grub.cfg {grub}")
    text = grub.read_text()
    assert f"multiboot /gnu/store/{gnumach}/boot/gnumach root=part:1:device:wd0" in text
    assert "/hurd/ext2fs.static ext2fs --multiboot-command-line='${kernel-command-line}'" \
        in text
    assert "serial --unit=0 --speed=115200" in text
    # the system generation and the store database
    link = debugfs(fs, "stat /var/guix/profiles/system-1-link")
    assert "Type: symlink" in link and "-system" in link
    db = tmp_path / "db.sqlite"
    debugfs(fs, f"dump /var/guix/db/db.sqlite {db}")
    conn = sqlite3.connect(db)
    paths = {r[0] for r in conn.execute("SELECT path FROM ValidPaths")}
    refs = conn.execute("SELECT count(*) FROM Refs").fetchone()[0]
    conn.close()
    assert paths == {f"/gnu/store/{n}" for n in names}
    assert refs > 0
    # the Hurd's nodes
    assert "startup" in debugfs(fs, "ls /servers")


def test_image_is_reproducible(raw: Path, cache: dict[str, Path]) -> None:
    again = cache["work"] / "again.img"
    build(cache, SERIAL, "hurd-raw", again)
    assert sha256(again) == sha256(raw)
    again.unlink()


def test_boot_raw(raw: Path, tmp_path: Path) -> None:
    log = tmp_path / "serial.log"
    p = schemos("vm", str(raw), "--timeout", "120", "--serial-log", str(log),
                "--expect", r"Booting .GNU with the Hurd", "--expect", r"GNU Mach 1\.8",
                "--expect", r"task loaded: ext2fs .*part:1:device:wd0",
                "--expect", r"task loaded: exec", check=False)
    text = log.read_text(errors="replace")
    assert p.returncode == 0, p.stderr + text[-3000:]
    assert "GNU GRUB" in text                  # GRUB's menu, on the serial line
    ext2fs = re.search(r"task loaded: ext2fs[^\n]*", text)
    assert ext2fs and "part:1:device:wd0" in ext2fs.group(0)


def test_hurd_qcow2_builds_and_boots(cache: dict[str, Path], tmp_path: Path) -> None:
    img = tmp_path / "hurd.qcow2"
    build(cache, SERIAL, "hurd-qcow2", img)
    info = run("qemu-img", "info", "--output=json", str(img)).stdout
    assert '"format": "qcow2"' in info
    # compressed, as Guix's compressed-qcow2: smaller than the same disk as plain qcow2
    raw = tmp_path / "back.img"
    plain = tmp_path / "plain.qcow2"
    run("qemu-img", "convert", "-O", "raw", str(img), str(raw))
    run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", str(raw), str(plain))
    assert img.stat().st_size < plain.stat().st_size
    log = tmp_path / "serial.log"
    p = schemos("vm", str(img), "--timeout", "120", "--serial-log", str(log),
                "--expect", r"Booting .GNU with the Hurd", "--expect", r"GNU Mach 1\.8",
                "--expect", r"task loaded: ext2fs .*part:1:device:wd0",
                "--expect", r"task loaded: exec", check=False)
    assert p.returncode == 0, p.stderr + log.read_text(errors="replace")[-3000:]


def test_seed_template_image(cache: dict[str, Path], tmp_path: Path) -> None:
    """The seed's own template: the same packages, hd0 as Guix writes for it, and it
    boots (its console is the VGA screen, which `schemos vm --screen-log` follows)."""
    img = tmp_path / "bare.img"
    build(cache, BARE, "hurd-raw", img)
    fs = partition(img, tmp_path / "root.ext2")
    assert run("e2fsck", "-fn", str(fs), check=False).returncode == 0
    grub = tmp_path / "grub.cfg"
    debugfs(fs, f"dump /boot/grub/grub.cfg {grub}")
    assert "root=part:1:device:hd0 root=my-root" in grub.read_text()
    # its console is the screen: boot it and follow the VGA text console
    screen = tmp_path / "screen.log"
    p = schemos("vm", str(img), "--timeout", "120", "--serial-log", str(tmp_path / "serial"),
                "--screen-log", str(screen),
                "--expect", r"Booting .GNU with the Hurd", "--expect", r"GNU Mach 1\.8",
                "--expect", r"task loaded: ext2fs .*part:1:device:hd0",
                "--expect", r"task loaded: exec", check=False)
    text = screen.read_text()
    assert p.returncode == 0, p.stderr + text[-3000:]
    system = re.search(r"gnu\.system=(/gnu/store/[0-9a-z]{32}-system)", text.replace("\n", ""))
    assert system and system.group(1) in debugfs(fs, "stat /var/guix/profiles/system-1-link")


# ------------------------------------------------------------- bad input


def test_unknown_image_type_is_an_error_before_work(cache: dict[str, Path],
                                                    tmp_path: Path) -> None:
    out = tmp_path / "x.img"
    p = build(cache, SERIAL, "hurd-rwa", out, check=False)
    assert p.returncode == 1
    assert "hurd-rwa" in p.stderr and "hurd-raw" in p.stderr
    assert "Traceback" not in p.stderr
    assert not out.exists()


def test_size_too_small(cache: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "small.img"
    p = build(cache, SERIAL, "hurd-raw", out, "--image-size", "1MiB", check=False)
    assert p.returncode == 1
    assert "too small" in p.stderr and "--image-size" in p.stderr
    assert "Traceback" not in p.stderr
    assert not out.exists()
    assert not [f for f in tmp_path.iterdir() if f.name.startswith(".")]


def test_os_without_root_file_system(cache: dict[str, Path], tmp_path: Path) -> None:
    tmpl = tmp_path / "noroot.tmpl"
    tmpl.write_text(f'(include "{SERIAL}")\n'
                    "(operating-system (inherit %hurd-os) (file-systems %base-file-systems))\n")
    out = tmp_path / "x.img"
    p = build(cache, tmpl, "hurd-raw", out, check=False)
    assert p.returncode == 1
    assert "root file system" in p.stderr and "Traceback" not in p.stderr
    assert not out.exists()


def test_missing_substitutes_are_listed(tmp_path: Path) -> None:
    """Without a cache the packages are missing: one error lists them all."""
    out = tmp_path / "x.img"
    p = schemos("image", "-t", "hurd-raw", "--store", str(tmp_path / "store"), str(SERIAL),
                "-o", str(out), check=False)
    assert p.returncode == 1
    assert "gnumach" in p.stderr and "hurd" in p.stderr
    assert "--substitute-urls" in p.stderr
    assert not out.exists()


def test_interrupted_build_leaves_nothing(cache: dict[str, Path], tmp_path: Path) -> None:
    """Ctrl-C while the image is being assembled: no image, no temporary left.

    The assembly takes a fraction of a second, so the interrupt may come too
    late on a fast run; then the finished image is removed and it is tried
    again (a 2 GiB image makes the window larger)."""
    out = tmp_path / "int.img"
    for _attempt in range(5):
        proc = subprocess.Popen([sys.executable, "-m", "schemos.cli", "image", "-t",
                                 "hurd-raw", "--image-size", "2GiB",
                                 "--substitute-urls", f"file://{cache['dir']}", "--acl",
                                 str(cache["acl"]), "--store", str(cache["store"]),
                                 str(SERIAL), "-o", str(out)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # wait until the build is laying out the root, then interrupt it
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if any(f.name.startswith(".schemos-image-") for f in tmp_path.iterdir()):
                break
            time.sleep(0.005)
        if proc.poll() is None:
            break
        proc.communicate()
        assert proc.returncode == 0
        out.unlink()                    # finished before the interrupt: try again
    else:
        raise AssertionError("the build always ended before it could be interrupted")
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in err
    assert not out.exists()
    assert os.listdir(tmp_path) == []


def test_development_childhurd_image(tmp_path: Path) -> None:
    """The seed's development childhurd configuration as a hurd-qcow2 image."""
    dev = ROOT / "examples" / "hurd-dev.tmpl"
    cache = tmp_path / "cache"
    run(sys.executable, "scripts/make-test-cache", str(cache), "--template", str(dev))
    img = tmp_path / "dev.qcow2"
    schemos("image", "-t", "hurd-qcow2", "--substitute-urls", f"file://{cache}", "--acl",
            str(cache / "acl"), "--store", str(tmp_path / "store"), str(dev), "-o", str(img))
    raw = tmp_path / "dev.img"
    run("qemu-img", "convert", "-O", "raw", str(img), str(raw))
    fs = partition(raw, tmp_path / "root.ext2")
    assert run("e2fsck", "-fn", str(fs), check=False).returncode == 0
    store = debugfs(fs, "ls -p /gnu/store")
    # the development tools the configuration adds to the Hurd's packages
    for name in ("gdb-minimal", "git-minimal", "make", "m4"):
        assert re.search(rf"/[0-9a-z]{{32}}-{name}-\d", store), name


def test_a_file_whose_value_is_an_image(cache: dict[str, Path], tmp_path: Path) -> None:
    """As `guix system image FILE`: FILE may evaluate to an (image …) of (gnu image)."""
    f = tmp_path / "my-image.scm"
    f.write_text(f'''(use-modules (gnu) (gnu image) (gnu system image) (gnu system images hurd))
(include "{BARE}")
(image
  (inherit hurd-disk-image)
  (name 'my-hurd)
  (format 'compressed-qcow2)
  (operating-system %hurd-os))
''')
    p = schemos("image", "--substitute-urls", f"file://{cache['dir']}", "--acl",
                str(cache["acl"]), "--store", str(cache["store"]), str(f), cwd=tmp_path)
    out = tmp_path / "my-hurd.qcow2"            # named after the image, its format's suffix
    assert p.stdout.strip() == str(out)
    assert '"format": "qcow2"' in run("qemu-img", "info", "--output=json", str(out)).stdout
    # neither an operating system nor an image
    g = tmp_path / "five.scm"
    g.write_text("5\n")
    bad = schemos("image", str(g), check=False)
    assert bad.returncode == 1
    assert "neither an operating system nor an image" in bad.stderr
    assert "Traceback" not in bad.stderr


def _unprivileged() -> list[str]:
    """A command prefix under which permissions apply (root ignores them)."""
    if os.geteuid() != 0:
        return []
    import shutil

    # setpriv is util-linux's, on every Debian system
    assert shutil.which("setpriv"), "running as root without setpriv (util-linux)"
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


BAD_INPUT = [
    # (options, the template, exit status, what stderr says)
    (["--image-size", "-5"], SERIAL, 2, "invalid size: '-5'"),
    (["--image-size", "abc"], SERIAL, 2, "invalid size: 'abc'"),
    (["--image-size", "0"], SERIAL, 2, "invalid image size: '0'"),
    (["--substitute-urls", "ftp://x"], SERIAL, 1, "unsupported substitute URL: ftp://x"),
    (["--substitute-urls", "file:///nonexistent/cache"], SERIAL, 1,
     "file:///nonexistent/cache: no such cache directory"),
    (["--acl", "/nonexistent/acl"], SERIAL, 1, "/nonexistent/acl: no such ACL file"),
    (["--acl", "{bad_acl}"], SERIAL, 1, "bad.acl:1:0: invalid S-expression: expected '('"),
    (["--acl", "{tmp}"], SERIAL, 1, "cannot read the ACL file"),
    (["--store", "{bad_acl}"], SERIAL, 1, "bad.acl as the store: it is not a directory"),
    (["-o", "{tmp}/missing/x.img"], SERIAL, 1, "missing does not exist or is not a directory"),
    (["-o", "{tmp}"], SERIAL, 1, "is a directory"),
    ([], Path("/nonexistent.tmpl"), 1, 'No such file or directory: "/nonexistent.tmpl"'),
    ([], Path("{syntax}"), 1, "syntax.tmpl:2:0: In procedure read: unexpected end of input"),
    ([], Path("{unbound}"), 1, "unbound.tmpl:2:0: Unbound variable: %hurd-oss"),
]


@pytest.mark.parametrize("options,template,status,message", BAD_INPUT,
                         ids=[" ".join(c[0]) or c[1].name for c in BAD_INPUT])
def test_bad_input_is_refused_before_work(cache: dict[str, Path], tmp_path: Path,
                                          options: list[str], template: Path, status: int,
                                          message: str) -> None:
    """Each mistake: a clear message and hint (or a usage error), no traceback, nothing
    written (no image, no hidden work directory), and the store not even opened."""
    names = {"tmp": str(tmp_path), "bad_acl": str(tmp_path / "bad.acl"),
             "syntax": str(tmp_path / "syntax.tmpl"), "unbound": str(tmp_path / "unbound.tmpl")}
    (tmp_path / "bad.acl").write_text("garbage\n")
    (tmp_path / "syntax.tmpl").write_text(f'(include "{SERIAL}")\n(operating-system\n')
    (tmp_path / "unbound.tmpl").write_text(f'(include "{SERIAL}")\n%hurd-oss\n')
    store = tmp_path / "store"
    out = tmp_path / "x.img"
    before = sorted(p.name for p in tmp_path.iterdir())
    p = build(cache, Path(str(template).format(**names)), "hurd-raw", out, "--store",
              str(store), *[o.format(**names) for o in options], check=False)
    assert p.returncode == status, p.stderr
    assert message in p.stderr, p.stderr
    assert "Traceback" not in p.stderr
    if status == 1:
        assert "hint: " in p.stderr or " | " in p.stderr      # a hint, or the source line
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert p.stdout == ""


def test_output_in_a_read_only_directory(cache: dict[str, Path], tmp_path: Path) -> None:
    """Refused before the lowering, not a PermissionError from the middle of the work."""
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        p = run(*_unprivileged(), sys.executable, "-m", "schemos.cli", "image",
                "--substitute-urls", f"file://{cache['dir']}", "--acl", str(cache["acl"]),
                "--store", str(cache["store"]), str(SERIAL), "-o", str(ro / "x.img"),
                check=False)
    finally:
        ro.chmod(0o755)
    assert p.returncode == 1
    assert f"cannot write {ro / 'x.img'}: permission denied in {ro}" in p.stderr
    assert "hint: give -o a file in a directory you can write" in p.stderr
    assert "[1/6] lower" not in p.stderr and "Traceback" not in p.stderr
    assert list(ro.iterdir()) == []


@pytest.mark.parametrize("phase,count", [("downloading", 20), ("building", 3)])
def test_interrupted_build_with_substitutes_leaves_a_clean_store(
        cache: dict[str, Path], tmp_path: Path, phase: str, count: int) -> None:
    """Ctrl-C during `schemos build --substitute-urls …` of a system, while it
    substitutes or while it builds: status 130 and a message, no traceback, and in
    the store root no temporary, hidden or unregistered item."""
    store = tmp_path / "store"
    proc = subprocess.Popen([sys.executable, "-m", "schemos.cli", "build", "-v", "--target",
                             "i586-pc-gnu", "--substitute-urls", f"file://{cache['dir']}",
                             "--acl", str(cache["acl"]), "--store", str(store), str(SERIAL)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:                # -v: a line per substitution and build
        seen.append(line)
        if line.startswith(phase) and sum(x.startswith(phase) for x in seen) >= count:
            break
    assert proc.poll() is None, "".join(seen)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "schemos build: interrupted" in err and "Traceback" not in err
    entries = [e for e in os.listdir(store) if e != ".schemos"]
    assert [e for e in entries if e.startswith(".") or ".tmp-" in e] == []
    db = sqlite3.connect(store / ".schemos" / "db.sqlite")
    valid = {p.rsplit("/", 1)[1] for (p,) in db.execute("SELECT path FROM ValidPaths")}
    db.close()
    assert sorted(set(entries) - valid) == []
