"""`tandem services add` on what is no manifest says so in one line: a file that is not UTF-8 was a
UnicodeDecodeError traceback; a URL answering 404 printed httpx's two lines (with a link to MDN); a URL that streams
without end was read into memory whole."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tandem.cli import main


class _Endless(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.endswith("missing.json"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        try:
            for _ in range(4096):  # 16 MiB of one JSON string, if anyone read it all
                self.wfile.write(b'{"id": "' + b"x" * 4096)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _refused(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(["services", "add", "--yes", *args])
    err = capsys.readouterr().err
    assert exit_.value.code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_a_file_that_is_not_text(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "partner.toml"
    binary.write_bytes(b"\x00\xff\xfe manifest")
    assert "is not UTF-8 text" in _refused([str(binary)], capsys)


def test_a_url_that_answers_404(home: Path, site: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert "HTTP 404" in _refused([f"{site}/missing.json"], capsys)


def test_a_url_that_streams_more_than_a_manifest(home: Path, site: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert "more than 1 MiB: not a manifest" in _refused([f"{site}/partner.json"], capsys)
