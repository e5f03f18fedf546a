"""LAC (tandem/privacy/lac_names.py) reads its model once: one onnxruntime session, on one thread."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.privacy.lac_names import LacNames


def test_the_model_is_read_once_into_a_one_thread_session(monkeypatch: pytest.MonkeyPatch) -> None:
    import onnxruntime

    opened: list[Any] = []

    class Counted(onnxruntime.InferenceSession):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(onnxruntime, "InferenceSession", Counted)
    lac = LacNames()
    assert lac.persons("张三在北京市工作") == [(0, 2)]
    assert lac.tags("王明说") == ["PER-B", "PER-I", "v-B"]  # the second use reads nothing again
    (session,) = opened
    assert session.get_session_options().intra_op_num_threads == 1
