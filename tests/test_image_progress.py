"""The image build's progress bar: steps, bytes, items, rate limit, pipes."""

from __future__ import annotations

import io

from schemos.image.progress import ProgressBar


class TTY(io.StringIO):
    """A string stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_pipe_gets_one_line_per_step() -> None:
    out = io.StringIO()
    bar = ProgressBar(out)
    for step in ("lower", "realize", "root"):
        for i in range(5):
            bar(step, i, 4)
    bar.close()
    assert out.getvalue().splitlines() == ["schemos image: [1/6] lower",
                                           "schemos image: [2/6] realize",
                                           "schemos image: [3/6] root"]


def test_terminal_bar_shows_bytes_items_and_each_steps_last_state() -> None:
    out = TTY()
    bar = ProgressBar(out)
    bar("realize", 0, 0)
    for i in range(1, 200):
        bar("realize", i, 0)              # rate-limited: most are not drawn
    bar("root", 0, 8 * 2**20)
    bar("root", 8 * 2**20, 8 * 2**20)
    bar.close()
    lines = out.getvalue().split("\n")
    assert lines[0].rsplit("\r", 1)[-1].strip() == "[2/6] realize      199 item(s)"
    assert out.getvalue().count("item(s)") < 20
    assert lines[1].rsplit("\r", 1)[-1].endswith("8.0/8.0 MiB")
    assert "#" * 30 in lines[1]
