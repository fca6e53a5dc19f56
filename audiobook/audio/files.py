"""Writing files into an output folder so that no reader ever sees half a file.

Two writers, one rule: every file is written under a temporary name and
renamed into place only once complete.

* `FolderWriter` writes a few files into a folder (a preview, say).  Its
  temporary names are unique (created with ``O_EXCL``, never through a
  symbolic link someone planted), so two writers cannot tread on each other.
* `EditionFolder` owns one edition's folder for a whole build: it holds a
  lock on the folder (``flock`` on the folder itself, so no lock file is left
  behind) so that a second build into it is refused in one line; it stages
  files in a private hidden folder inside it; and it keeps a manifest (the
  hidden file ``.audiobook-manifest.json``) of the files it wrote with the
  content key of each, written atomically after every file, so that

  - a rebuild reuses what is finished and unchanged (also after ``kill -9``),
  - files a previous build wrote and this one no longer writes are removed,
    and nothing else is (a user's own files in the folder stay).

Every OS error names its file, in one line.
"""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

from audiobook.errors import EngineError, UserError, whole

Progress = Callable[[str], None]

MANIFEST = ".audiobook-manifest.json"
MANIFEST_FORMAT = 1
STAGING_PREFIX = ".audiobook-staging-"

# OS errors a user can fix by choosing another folder or freeing a name.
_USER_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.EISDIR, errno.ENOTDIR, errno.ELOOP,
                errno.ENAMETOOLONG, errno.EEXIST}


def os_error(err: OSError, path: Path | str, doing: str = "cannot write") -> Exception:
    """`err` as a one-line error naming `path`: a `UserError` when the user can
    fix it (permissions, a read-only disk, a directory in the way), else an
    `EngineError` (a full disk, an I/O error)."""
    reason = err.strerror or str(err)
    path = shown_path(path)
    if err.errno in _USER_ERRNOS:
        return UserError(f"{doing}: {reason}", str(path))
    return EngineError(f"{path}: {doing}: {reason}")


_STAGED = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]+\.partial")


def shown_path(path: Path | str) -> Path:
    """The path to name in a message: a staged temporary file (see
    `unique_file`) by the name it will have in its edition folder, which is
    the file the user knows; any other path as it is."""
    path = Path(path)
    match = _STAGED.fullmatch(path.name)
    if match is None:
        return path
    folder = path.parent.parent if path.parent.name.startswith(STAGING_PREFIX) else path.parent
    return folder / match["name"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


def unique_file(folder: Path, name: str) -> Path:
    """Create an empty file with a unique hidden name for `name` in `folder`
    (``O_EXCL``: never an existing file, never through a symlink)."""
    short = name.encode("utf-8")[:200].decode("utf-8", "ignore")  # whole for any name a build makes
    fd, temporary = tempfile.mkstemp(prefix=f".{short}.", suffix=".partial", dir=folder)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # as any file the user makes, not mkstemp's private 0600
    finally:
        os.close(fd)
    return Path(temporary)


class FolderWriter:
    """Writes files into one folder atomically and remembers what it wrote."""

    def __init__(self, out_dir: Path, progress: Optional[Progress]):
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise os_error(err, out_dir, "cannot create the folder") from None
        self.out_dir = out_dir
        self.progress = progress
        self.written: list[Path] = []

    @contextmanager
    def staged(self, name: str) -> Iterator[Path]:
        """Yield a temporary path for `name`; move it into place if the block succeeds.

        On any failure the temporary file is removed and the final name keeps
        whatever it held before.  The final name is a regular file, never a
        symbolic link (a rename replaces a link, it does not follow it).
        """
        final = self.out_dir / name
        try:
            partial = unique_file(self.out_dir, name)
        except OSError as err:
            raise os_error(err, final) from None
        try:
            yield partial
            try:
                os.replace(partial, final)
            except OSError as err:
                raise os_error(err, final) from None
        finally:
            partial.unlink(missing_ok=True)
        self.written.append(final)
        if self.progress:
            self.progress(f"wrote {final}")

    def text(self, name: str, content: str) -> None:
        """Write a UTF-8 text file atomically."""
        with self.staged(name) as partial:
            write_text(partial, content)


def write_text(path: Path, content: str) -> None:
    """Write `content` as UTF-8 into `path`, naming the file in any OS error."""
    try:
        path.write_text(content, encoding="utf-8", newline="\n")
    except OSError as err:
        raise os_error(err, path) from None


class EditionFolder:
    """One edition's output folder, locked, staged and tracked for a build.

    Use as a context manager; on a clean exit call `finish` first so files
    the last build wrote and this one did not are removed.
    """

    def __init__(self, path: Path, progress: Optional[Progress] = None):
        self.path = Path(path)
        self.progress = progress
        self._fd: Optional[int] = None
        self._created = False
        self.staging: Optional[Path] = None
        self.previous: dict[str, dict] = {}
        self.entries: dict[str, dict] = {}
        self.current: set[str] = set()  # names this build wrote or kept

    # ------------------------------------------------------------------ open / close

    def __enter__(self) -> "EditionFolder":
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> None:
        import fcntl

        if self.path.is_symlink():
            raise UserError("the output folder is a symbolic link: refusing to write through it", self.path)
        try:
            self._created = not self.path.exists()
            self.path.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as err:
            raise os_error(err, self.path, "cannot create the output folder") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            self._fd = None
            raise UserError("another build is writing into this folder; try again when it has finished",
                            self.path) from None
        if not os.access(self.path, os.W_OK):
            self.close()
            raise UserError("cannot write into the output folder", self.path)
        for stale in self.path.glob(STAGING_PREFIX + "*"):  # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        self.previous = self._read_manifest()
        self.entries = {name: dict(entry) for name, entry in self.previous.items()}
        try:
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.path))
        except OSError as err:
            self.close()
            raise os_error(err, self.path) from None

    def close(self) -> None:
        """Remove the staging folder and release the lock (files in place stay)."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._fd is not None:
            if self._created and not any(self.path.iterdir()):
                with _suppress_os():
                    self.path.rmdir()  # nothing was made: leave no empty folder behind
            os.close(self._fd)
            self._fd = None

    # ------------------------------------------------------------------ writing

    def temporary(self, name: str) -> Path:
        """A fresh, empty, uniquely named file in the staging folder for `name`."""
        assert self.staging is not None, "open the folder first"
        try:
            return unique_file(self.staging, name)
        except OSError as err:
            raise os_error(err, self.path / name) from None

    def commit(self, temporary: Path | str, name: str, **facts) -> Path:
        """Move a finished temporary file into place as `name` and record it
        (with `facts`, such as its content key) in the manifest."""
        final = self.path / name
        with whole():  # a stop signal waits until the file is in place and recorded
            try:
                os.replace(temporary, final)
                stat = final.stat()
            except OSError as err:
                raise os_error(err, final) from None
            self.entries[name] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, **facts}
            self.current.add(name)
            self._write_manifest()
        if self.progress:
            self.progress(f"wrote {final}")
        return final

    @contextmanager
    def staged(self, name: str, **facts) -> Iterator[Path]:
        """Yield a temporary path for `name`; commit it if the block succeeds."""
        temporary = self.temporary(name)
        try:
            yield temporary
            self.commit(temporary, name, **facts)
        finally:
            temporary.unlink(missing_ok=True)

    def text(self, name: str, content: str, **facts) -> Path:
        with self.staged(name, **facts) as temporary:
            write_text(temporary, content)
        return self.path / name

    def data(self, name: str, content: bytes, **facts) -> Path:
        with self.staged(name, **facts) as temporary:
            try:
                temporary.write_bytes(content)
            except OSError as err:
                raise os_error(err, temporary) from None
        return self.path / name

    # ------------------------------------------------------------------ reuse

    def reusable(self, name: str, key: str) -> Optional[dict]:
        """The manifest entry of `name` if the file in place is the one a
        build wrote with content key `key` (same size and modification time),
        else None."""
        entry = self.entries.get(name)
        if not entry or entry.get("key") != key:
            return None
        try:
            stat = (self.path / name).lstat()
        except OSError:
            return None
        if not os.path.isfile(self.path / name) or (self.path / name).is_symlink():
            return None
        if stat.st_size != entry.get("size") or stat.st_mtime_ns != entry.get("mtime_ns"):
            return None
        return entry

    def keep(self, name: str) -> None:
        """Count `name`, already in place, as part of this build."""
        self.current.add(name)

    def finish(self) -> list[str]:
        """Remove the files an earlier build wrote here that this one neither
        wrote nor kept (only when they are still as that build left them);
        return their names."""
        removed = []
        for name in sorted(set(self.entries) - self.current):
            entry = self.entries.pop(name)
            path = self.path / name
            try:
                stat = path.lstat()
            except OSError:
                continue
            if path.is_file() and not path.is_symlink() and stat.st_size == entry.get("size"):
                try:
                    path.unlink()
                except OSError as err:
                    raise os_error(err, path, "cannot remove") from None
                removed.append(name)
        self._write_manifest()
        return removed

    # ------------------------------------------------------------------ manifest

    def _read_manifest(self) -> dict[str, dict]:
        try:
            data = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            return {}
        files = data.get("files")
        if not isinstance(files, dict):
            return {}
        return {name: entry for name, entry in files.items()
                if isinstance(entry, dict) and isinstance(name, str) and "/" not in name and name != MANIFEST}

    def _write_manifest(self) -> None:
        temporary = self.temporary(MANIFEST)
        try:
            temporary.write_text(json.dumps({"format": MANIFEST_FORMAT, "files": self.entries},
                                            ensure_ascii=False, indent=0), encoding="utf-8")
            os.replace(temporary, self.path / MANIFEST)
        except OSError as err:
            temporary.unlink(missing_ok=True)
            raise os_error(err, self.path / MANIFEST) from None


@contextmanager
def _suppress_os():
    try:
        yield
    except OSError:
        pass
