"""novalite.client.progress: the per-host progress lines both CLIs draw for an image
pre-distribution job (pure functions; no server)."""

import io

import pytest

from novalite.client import progress as p


def host(name="compute1", state="downloading", done=0, total=None, message=None):
    return {"host": name, "state": state, "bytes_done": done, "bytes_total": total,
            "message": message}


@pytest.mark.parametrize("percent,width,expected", [
    (0, 10, "[----------]"),
    (50, 10, "[#####-----]"),
    (99.9, 10, "[#########-]"),  # rounded down: full only when complete
    (100, 10, "[##########]"),
    (150, 4, "[####]"),
    (-5, 4, "[----]"),
])
def test_bar(percent, width, expected):
    assert p.bar(percent, width) == expected
    assert len(p.bar(percent, width)) == width + 2


def test_bar_default_width():
    assert len(p.bar(42)) == p.BAR_WIDTH + 2


@pytest.mark.parametrize("percent,expected", [
    (0, "  0%"), (5.5, "  5%"), (99.99, " 99%"), (100, "100%"), (101, "100%")])
def test_format_percent(percent, expected):
    assert p.format_percent(percent) == expected


@pytest.mark.parametrize("count,expected", [
    (None, "?"), (0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (262144, "256.0 KiB"),
    (1536 * 1024, "1.5 MiB"), (3 * 1024 ** 3, "3.0 GiB"), (2 * 1024 ** 4, "2.0 TiB")])
def test_format_bytes(count, expected):
    assert p.format_bytes(count) == expected


def test_host_percent():
    assert p.host_percent(host(done=64, total=256)) == 25.0
    assert p.host_percent(host(done=10, total=None)) == 0.0  # size not known yet
    assert p.host_percent(host(state="pending")) == 0.0
    # Cached hosts are complete even when the server reports no byte counts.
    assert p.host_percent(host(state="already_cached")) == 100.0
    assert p.host_percent(host(state="done", done=0, total=0)) == 100.0
    assert p.host_percent(host(done=300, total=256)) == 100.0


def test_host_line():
    line = p.host_line(host(done=131072, total=262144), name_width=10, bar_width=10)
    assert line == "compute1   [#####-----]  50%  128.0 KiB/256.0 KiB  downloading"
    line = p.host_line(host("c2", "error", message="fetch failed"), bar_width=4)
    assert line == "c2 [----]   0%  0 B/?  error: fetch failed"


def test_log_line():
    assert p.log_line(host(state="done", done=262144, total=262144)) == \
        "compute1: done 256.0 KiB/256.0 KiB (100%)"
    assert p.log_line(host("compute2", "error", message="no space")) == \
        "compute2: error 0 B/? (0%): no space"


def test_changed_hosts():
    hosts = [host("compute1", "downloading"), host("compute2", "pending")]
    assert p.changed_hosts(hosts, {}) == hosts
    assert p.changed_hosts(hosts, {"compute1": "downloading", "compute2": "pending"}) == []
    assert p.changed_hosts(hosts, {"compute1": "pending", "compute2": "pending"}) == \
        hosts[:1]


def test_redraw_moves_the_cursor_back_over_the_last_drawing():
    hosts = [host("compute1", done=1, total=4), host("compute22", "pending")]
    first = p.redraw(hosts, drawn=0, columns=120)
    assert first.startswith(p.CLEAR_LINE)  # nothing drawn yet: no cursor movement
    lines = first.split("\n")
    assert len(lines) == 3 and lines[-1] == p.CLEAR_BELOW
    assert lines[0] == p.CLEAR_LINE + p.host_line(hosts[0], 9, p.BAR_WIDTH)
    assert lines[1].startswith(p.CLEAR_LINE + "compute22 [")  # names aligned
    again = p.redraw(hosts, drawn=2, columns=120)
    assert again.startswith("\x1b[2A") and again[len("\x1b[2A"):] == first


def test_redraw_fits_a_narrow_terminal():
    hosts = [host(message="x" * 200, done=1, total=2)]
    text = p.redraw(hosts, drawn=0, columns=60)
    line = text.split("\n")[0][len(p.CLEAR_LINE):]
    assert len(line) == 59  # never wraps, so the cursor-up count stays right
    assert "[#####-----]" in line  # the bar shrinks to its 10-cell minimum


def job(*hosts):
    return {"id": "j", "status": "running", "hosts": list(hosts)}


def test_display_off_a_terminal_prints_state_changes_only():
    out = io.StringIO()
    display = p.ProgressDisplay(out)
    assert display.tty is False
    display(job(host("compute1", "pending"), host("compute2", "pending")))
    display(job(host("compute1", "downloading", 1, 4), host("compute2", "pending")))
    display(job(host("compute1", "downloading", 3, 4), host("compute2", "pending")))
    display(job(host("compute1", "done", 4, 4), host("compute2", "already_cached")))
    assert out.getvalue().splitlines() == [
        "compute1: pending 0 B/? (0%)",
        "compute2: pending 0 B/? (0%)",
        "compute1: downloading 1 B/4 B (25%)",
        "compute1: done 4 B/4 B (100%)",
        "compute2: already_cached 0 B/? (100%)",
    ]
    assert "\x1b" not in out.getvalue()


def test_display_on_a_terminal_redraws_in_place():
    out = io.StringIO()
    display = p.ProgressDisplay(out, tty=True)
    display(job(host("compute1", "pending")))
    display(job(host("compute1", "downloading", 1, 2)))
    text = out.getvalue()
    assert text.count("\x1b[1A") == 1  # the second drawing goes back over the first
    assert "compute1" in text and " 50%" in text
