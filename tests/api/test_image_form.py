"""/v1/images/analyze parses its form on the event loop (~50-75 µs a part): it reads one file and a few fields, and a
form with more is refused at the first part beyond that (starlette's own bound is 1,000 of each)."""

from __future__ import annotations

from pathlib import Path

from tests.test_api_shapes import scripted_api


def _form(fields: int, files: int) -> tuple[bytes, dict[str, str]]:
    parts = ['Content-Disposition: form-data; name="model"\r\n\r\nocr'] * fields
    parts += ['Content-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nPNG'] * files
    body = "".join(f"--b0undary\r\n{part}\r\n" for part in parts) + "--b0undary--\r\n"
    return body.encode(), {"content-type": "multipart/form-data; boundary=b0undary"}


def test_an_image_form_of_more_parts_than_it_reads_is_a_400(tmp_path: Path) -> None:
    with scripted_api(tmp_path) as api:
        for (fields, files), said in {(999, 1): "Too many fields", (9, 1): "Too many fields",
                                      (0, 999): "Too many files", (0, 2): "Too many files"}.items():
            answer = api.post("/v1/images/analyze", content=_form(fields, files)[0], headers=_form(0, 0)[1])
            error = answer.json()["error"]
            assert (answer.status_code, error["type"], error["param"]) == (400, "invalid_request_error", "file")
            assert error["message"].startswith(said), error
        within = api.post("/v1/images/analyze", content=_form(8, 1)[0], headers=_form(0, 0)[1])
        assert within.status_code == 400 and within.json()["error"]["param"] == "file"  # read: no image in it
        assert "Too many" not in within.json()["error"]["message"], within.text
