#!/usr/bin/python3
"""Writes large sample logs for bench/samples_golden.sh: big enough (several
MiB) that the reader takes its whole-file paths (threads, chunks), with the
irregular rows that must give identical results before and after a change:
missing values, duplicates, clocks going back, comments, blank lines, CRLF,
exponents, signs, and one bad row late in the file (its line and column
must stay the same)."""
import random
import sys


def eco(path, rows, bad_at=None, crlf=False, irregular=False):
    rnd = random.Random(7)
    nl = "\r\n" if crlf else "\n"
    with open(path, "w", newline="") as f:
        f.write("time_unix_s,cpu_usage_frac,ram_used_gb,gpu0_power_w,gpu1_power_w" + nl)
        t = 1700000000.0
        for i in range(rows):
            t += rnd.choice((1.0, 1.0, 1.0, 0.5, 2.0)) if irregular else 1.0
            cpu = "0.%03d" % rnd.randrange(1000)
            ram = "%d.%02d" % (rnd.randrange(20, 50), rnd.randrange(100))
            g0 = "%d.%02d" % (rnd.randrange(60, 400), rnd.randrange(100))
            g1 = "%d.%02d" % (rnd.randrange(60, 400), rnd.randrange(100))
            tt = "%.1f" % t
            if irregular:
                k = rnd.randrange(200)
                if k == 0:
                    cpu = ""
                elif k == 1:
                    g0 = "N/A"
                elif k == 2:
                    f.write("# a comment" + nl)
                elif k == 3:
                    f.write(nl)
                elif k == 4:
                    tt = "%.1f" % (t - 3.0)  # back
                elif k == 5:
                    g1 = "1.5e2"
                elif k == 6:
                    ram = "+%s" % ram
                elif k == 7:
                    cpu = " 0.5 "
                elif k == 8:
                    g0 = "%.20f" % (rnd.random() * 300)
                elif k == 9:
                    t += 100.0  # a gap
                    tt = "%.1f" % t
                elif k == 10:
                    g0 = "123456789012345678901234.5e-22"
                elif k == 11:
                    tt = "%.1f" % (t - 1.0)  # duplicate of the previous
            if bad_at is not None and i == bad_at:
                g1 = "12,5" if False else "x12"
            f.write(",".join((tt, cpu, ram, g0, g1)) + nl)


def eco_odd(path, rows, long_at=None, last_newline=True):
    """Comment lines of 10 kB (longer than the test build's blocks), one
    line of 70 kB (too long) at long_at, no newline at the end."""
    rnd = random.Random(5)
    with open(path, "w") as f:
        f.write("time_unix_s,cpu_usage_frac,gpu0_power_w\n")
        for i in range(rows):
            if rnd.randrange(300) == 0:
                f.write("# " + "x" * 10000 + "\n")
            if long_at is not None and i == long_at:
                f.write("# " + "y" * 70000 + "\n")
            end = "\n" if last_newline or i + 1 < rows else ""
            f.write("%d,0.%03d,%d.%d%s" % (1700000000 + i, rnd.randrange(1000),
                                          rnd.randrange(60, 400), rnd.randrange(10), end))


def nvsmi(path, ticks, gpus=4, index=True, bad_at=None):
    rnd = random.Random(11)
    with open(path, "w") as f:
        cols = ["timestamp"] + (["index"] if index else []) + [
            "name", "power.draw [W]", "utilization.gpu [%]"]
        f.write(", ".join(cols) + "\n")
        base = 1704164645  # 2024-01-02 03:04:05
        for k in range(ticks):
            for g in range(gpus):
                ms = k * 1000 + g * 3
                s = base + ms // 1000
                # civil time, good enough: seconds in a day from 2024-01-02
                d, r = divmod(s - 1704153600, 86400)
                h, r = divmod(r, 3600)
                m, sec = divmod(r, 60)
                ts = "2024/01/%02d %02d:%02d:%02d.%03d" % (2 + d, h, m, sec, ms % 1000)
                p = "%d.%02d W" % (rnd.randrange(60, 400), rnd.randrange(100))
                if rnd.randrange(500) == 0:
                    p = "[N/A]"
                u = "%d %%" % rnd.randrange(101)
                if bad_at is not None and k * gpus + g == bad_at:
                    u = "101 %"
                row = [ts] + (["%d" % g] if index else []) + [
                    "NVIDIA A100-SXM4-80GB", p, u]
                f.write(", ".join(row) + "\n")


if __name__ == "__main__":
    d = sys.argv[1]
    eco(d + "/eco-big.csv", 300000)
    eco(d + "/eco-big-irregular.csv", 300000, irregular=True)
    eco(d + "/eco-big-crlf.csv", 200000, crlf=True, irregular=True)
    eco(d + "/eco-big-bad.csv", 300000, bad_at=250000)
    eco_odd(d + "/eco-odd.csv", 200000, last_newline=False)
    eco_odd(d + "/eco-odd-long.csv", 200000, long_at=150000)
    nvsmi(d + "/nvsmi-big.csv", 60000)
    nvsmi(d + "/nvsmi-big-noindex.csv", 30000, index=False)
    nvsmi(d + "/nvsmi-big-bad.csv", 60000, bad_at=200001)
