"""Per-host progress of an image pre-distribution job, shared by `nova` and `openstack`.

On a terminal, one line per host (host, bar, percent, bytes, state), redrawn in place with
ANSI cursor movement after every poll. Anywhere else (a log, CI) a line is printed only
when a host's state changes, so the output stays readable there.

    display = ProgressDisplay(sys.stderr)
    api.wait_for_predistribution(sess, job_id, on_progress=display)

Everything but ProgressDisplay is a pure function of the job's host dicts.
"""

import shutil

BAR_WIDTH = 30
# A cached host has the whole image, whatever its byte counters say.
COMPLETE_STATES = frozenset({"done", "already_cached"})
CURSOR_UP = "\x1b[%dA"
CLEAR_LINE = "\r\x1b[2K"
CLEAR_BELOW = "\x1b[J"


def host_percent(host):
    """0-100 for one host's download."""
    if host["state"] in COMPLETE_STATES:
        return 100.0
    total = host.get("bytes_total")
    if not total:  # size unknown until the download starts
        return 0.0
    return max(0.0, min(100.0, 100.0 * (host.get("bytes_done") or 0) / total))


def format_percent(percent):
    """Right-aligned, rounded down: "100%" only once it is really complete."""
    return "%3d%%" % int(max(0.0, min(100.0, percent)))


def bar(percent, width=BAR_WIDTH):
    """"[#####-----]": `width` cells between the brackets, filled in proportion."""
    filled = int(width * max(0.0, min(100.0, percent)) / 100)
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def format_bytes(count):
    """Binary units with one decimal ("1.5 MiB"); "?" for an unknown size."""
    if count is None:
        return "?"
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(value) < 1024:
            return "%d %s" % (value, unit) if unit == "B" else "%.1f %s" % (value, unit)
        value /= 1024
    return "%.1f TiB" % value


def host_bytes(host):
    """"done/total" in binary units, e.g. "128.0 KiB/256.0 KiB"."""
    return "%s/%s" % (format_bytes(host.get("bytes_done") or 0),
                      format_bytes(host.get("bytes_total")))


def host_line(host, name_width=0, bar_width=BAR_WIDTH):
    """The terminal line for one host: name, bar, percent, bytes, state (and message)."""
    percent = host_percent(host)
    line = "%-*s %s %s  %s  %s" % (name_width, host["host"], bar(percent, bar_width),
                                    format_percent(percent), host_bytes(host), host["state"])
    if host.get("message"):
        line += ": " + host["message"]
    return line


def log_line(host):
    """The line printed, off a terminal, when a host changes state."""
    line = "%s: %s %s (%s)" % (host["host"], host["state"], host_bytes(host),
                               format_percent(host_percent(host)).strip())
    if host.get("message"):
        line += ": " + host["message"]
    return line


def changed_hosts(hosts, seen):
    """The hosts whose state differs from `seen` ({host: state} of the lines printed)."""
    return [h for h in hosts if seen.get(h["host"]) != h["state"]]


def redraw(hosts, drawn, columns=80):
    """The text that replaces the `drawn` lines printed last time with one line per host.

    Lines are cut to the terminal width: a wrapped line would throw the cursor-up count off.
    """
    name_width = max((len(h["host"]) for h in hosts), default=0)
    # The fixed part of a line is about 45 characters; the bar gets what is left, 10-30.
    bar_width = max(10, min(BAR_WIDTH, columns - name_width - 48))
    text = CURSOR_UP % drawn if drawn else ""
    for host in hosts:
        text += CLEAR_LINE + host_line(host, name_width, bar_width)[:max(columns - 1, 1)]
        text += "\n"
    return text + CLEAR_BELOW


class ProgressDisplay:
    """An `on_progress` callback writing a job's per-host progress to `stream`.

    `tty` defaults to stream.isatty(): redraw in place on a terminal, otherwise one
    line per host state change.
    """

    def __init__(self, stream, tty=None):
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self._drawn = 0
        self._seen = {}

    def __call__(self, job):
        hosts = job.get("hosts") or []
        if self.tty:
            columns = shutil.get_terminal_size().columns
            self.stream.write(redraw(hosts, self._drawn, columns))
            self._drawn = len(hosts)
        else:
            for host in changed_hosts(hosts, self._seen):
                self.stream.write(log_line(host) + "\n")
                self._seen[host["host"]] = host["state"]
        self.stream.flush()
