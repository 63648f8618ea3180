"""End-to-end test of ``python -m otr chat``: two chat processes over a local TCP port go
secure (OTR version 3 AKE), pass a message, run SMP and end the conversation; the key file
named by ``--key`` is created in libotr's format and names the key the peer saw.
"""

from __future__ import annotations

import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from otr import _keyfile

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0  # seconds for any one expected line (two cold Python starts on a busy box)
SECURE = re.compile(
    r"\[status\] secure \(OTR v3\): peer fingerprint ([0-9A-F ]{44}), ssid ([0-9a-f]{16})"
)


def free_port() -> int:
    """A port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Chat:
    """One ``python -m otr chat`` process with its output lines queued by a thread."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "otr", "chat", *args],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def expect(self, pattern: str) -> re.Match[str]:
        """Wait for an output line matching ``pattern`` (a regular expression)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                self.kill()
                stderr = self.proc.stderr.read() if self.proc.stderr else ""
                raise AssertionError(f"no line matching {pattern!r}; saw {self.seen}\n{stderr}")
            self.seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match

    def write(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def chats(tmp_path: Path) -> Iterator[tuple[Chat, Chat, Path]]:
    port = free_port()
    key = tmp_path / "alice.private_key"
    started: list[Chat] = []
    try:
        listener = Chat("--listen", str(port), "--account", "alice", "--key", str(key))
        started.append(listener)
        listener.expect(rf"listening on 127\.0\.0\.1:{port}")
        connector = Chat("--connect", f"127.0.0.1:{port}", "--account", "bob")
        started.append(connector)
        connector.expect(r"\[info\] connected")
        listener.expect(r"\[info\] connection from")
        yield listener, connector, key
    finally:
        for chat in started:
            chat.kill()


def test_chat_goes_secure_and_talks(chats: tuple[Chat, Chat, Path]) -> None:
    alice, bob, key_file = chats
    bob.write("/query")
    bob.expect(r"\[status\] AKE in progress")
    a, b = alice.expect(SECURE.pattern), bob.expect(SECURE.pattern)
    assert a.group(2) == b.group(2)  # the same session id on both sides
    # Bob saw the key alice's process wrote (and generated) in libotr's key file format.
    (entry,) = _keyfile.read_private_keys(key_file.read_text())
    assert entry.account == "alice"
    assert b.group(1) == _keyfile.human_fingerprint(_keyfile.fingerprint(entry.key.public_key()))
    assert a.group(1) != b.group(1)
    bob.write("hello over OTR")
    alice.expect(r"^<peer> hello over OTR$")
    alice.write("and back ✓")
    bob.expect(r"^<peer> and back ✓$")
    # The peer's control characters are shown escaped, never sent to the terminal.
    bob.write("clear\x1b[2J screen")
    alice.expect(r"^<peer> clear\\u001b\[2J screen$")
    # SMP with a question, answered rightly.
    alice.write("/smp sesame favourite word?")
    bob.expect(r"\[smp\] peer started SMP; question: favourite word\?")
    bob.write("/smp sesame")
    alice.expect(r"\[smp\] success")
    bob.expect(r"\[smp\] success")
    # The end of the conversation reaches the other side.
    alice.write("/end")
    alice.expect(r"\[status\] insecure: the private conversation ended")
    bob.expect(r"\[status\] finished: the peer ended")
    bob.write("/end")
    bob.expect(r"\[status\] insecure$")
    bob.write("in the clear again")
    alice.expect(r"^<peer> in the clear again$")


def test_chat_smp_wrong_secret_and_quit(chats: tuple[Chat, Chat, Path]) -> None:
    alice, bob, _ = chats
    alice.write("/query")
    alice.expect(SECURE.pattern)
    bob.expect(SECURE.pattern)
    bob.write("/smp right")
    alice.expect(r"\[smp\] peer started SMP")
    alice.write("/smp wrong")
    alice.expect(r"\[smp\] failure")
    bob.expect(r"\[smp\] failure")
    bob.write("/quit")
    alice.expect(r"\[info\] the peer closed the connection")


def test_bad_usage_exits_nonzero() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "otr", "chat", "--connect", "nonsense"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode != 0
    assert "HOST:PORT" in done.stderr
