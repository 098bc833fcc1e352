# SPDX-License-Identifier: MIT
"""Checks of the page `mmapc report` writes, as a browser left it after its script ran
(chromium --dump-dom), against the tool's JSON for the same snapshot. Used by
test_tool_report.sh; each command exits non-zero with the reason on the first mismatch.

  report_check.py page SNAPSHOT.json DOM      every figure shown equals the snapshot's
  report_check.py live DOM PID                identity, and the totals against smaps_rollup
  report_check.py rows DOM SNAPSHOT.json PAGE [SORT]  the rows of a page of the table
  report_check.py small DOM                   the document stays small (rows, parts, elements)
  report_check.py diff DOM DIFF.json          the changes against `mmapc --json diff`
  report_check.py netlog NETLOG [requests]    no request from the page (or some: the control)
  report_check.py static HTML                 nothing that could fetch, a strict policy
"""
import html.parser
import json
import os
import re
import sys

KINDS = {"code": "image code", "image-data": "image data", "file": "mapped file",
         "shmem": "shared memory", "heap": "heap", "stack": "stack",
         "anon": "private anonymous", "reserved": "reserved", "guard": "guard",
         "pseudo": "pseudo"}
# the table's names of the -x columns, by JSON field
COLUMNS = {"KernelPageSize": "kernel_page_size", "MMUPageSize": "mmu_page_size", "Rss": "rss",
           "Pss": "pss", "Pss_Dirty": "pss_dirty", "Shared_Clean": "shared_clean",
           "Shared_Dirty": "shared_dirty", "Private_Clean": "private_clean",
           "Private_Dirty": "private_dirty", "Referenced": "referenced",
           "Anonymous": "anonymous", "KSM": "ksm", "LazyFree": "lazy_free",
           "AnonHugePages": "anon_huge_pages", "ShmemPmdMapped": "shmem_pmd_mapped",
           "FilePmdMapped": "file_pmd_mapped", "Shared_Hugetlb": "shared_hugetlb",
           "Private_Hugetlb": "private_hugetlb", "Swap": "swap", "SwapPss": "swap_pss",
           "Locked": "locked", "THPeligible": "thp_eligible",
           "ProtectionKey": "protection_key", "Resident_Shared": "resident_shared",
           "Resident_Private": "resident_private"}
INTS = ("thp_eligible", "protection_key")
FIGS = ("size", "rss", "pss", "private_dirty", "swap", "locked")


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []
        self.text_parts = []

    def text(self):
        return "".join(p if isinstance(p, str) else p.text() for p in self.text_parts)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def find_all(self, tag=None, **attrs):
        for n in self.walk():
            if (tag is None or n.tag == tag) and all(
                    n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                yield n

    def find(self, tag=None, **attrs):
        return next(self.find_all(tag, **attrs), None)


VOID = {"meta", "link", "br", "input", "img", "hr", "col", "area", "base", "wbr", "source"}


class Tree(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root
        self.count = 0

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.count += 1
        self.cur.children.append(n)
        self.cur.text_parts.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.count += 1
        self.cur.children.append(n)
        self.cur.text_parts.append(n)

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.text_parts.append(data)


def parse(path):
    t = Tree()
    t.feed(open(path, encoding="utf-8").read())
    t.close()
    return t


def fail(*what):
    print("FAILED:", *what, file=sys.stderr)
    sys.exit(1)


def check(cond, *what):
    if not cond:
        fail(*what)


def start(a):
    return int(a["start"], 16)


def end(a):
    return int(a["end"], 16)


def name(a):
    n = "[anon]" if a["kind"] == "anon" else a["path"]
    return n + " (deleted)" if a.get("deleted") else n


def is_shmem(a):
    p = a["path"]
    if a["kind"] == "file":
        return a["shared"] and (p.startswith("/SYSV") or p.startswith("/memfd:") or
                                p.startswith("/dev/shm/") or p == "/dev/zero")
    return a["kind"] == "anon_shmem" or (a["kind"] == "anon" and a["shared"])


def classify(areas):
    """The kind of each area, as the report's summary defines them (its page says how)."""
    images = {(a["dev_major"], a["dev_minor"], a["inode"], a["path"]) for a in areas
              if a["kind"] == "file" and a["exec"] and not is_shmem(a)}
    out = []
    for i, a in enumerate(areas):
        none = not (a["read"] or a["write"] or a["exec"])
        if is_shmem(a):
            k = "shmem"
        elif a["kind"] == "file":
            img = (a["dev_major"], a["dev_minor"], a["inode"], a["path"]) in images
            k = ("code" if a["exec"] else "image-data") if img else "file"
        elif a["kind"] == "heap":
            k = "heap"
        elif a["kind"] == "stack" or "gd" in a.get("vm_flags", []):
            k = "stack"
        elif a["kind"] in ("anon", "anon_named"):
            def acc(j):
                b = areas[j]
                return b["read"] or b["write"] or b["exec"]
            if not none:
                k = "anon"
            elif a["size"] <= 65536 and (
                    (i > 0 and end(areas[i - 1]) == start(a) and acc(i - 1)) or
                    (i + 1 < len(areas) and start(areas[i + 1]) == end(a) and acc(i + 1))):
                k = "guard"
            else:
                k = "reserved"
        else:
            k = "pseudo"
        out.append(k)
    return out


def kib(v):
    return str(v // 1024)


def data_block(root):
    block = root.find("script", id="mmapc-data")
    check(block is not None, "no mmapc-data block")
    return json.loads(block.text())


def expected_cells(a, cols, kind):
    """The cells of an area's row as the page must show them, and its data row."""
    cells, data = [], []
    for c in cols:
        n = c["name"]
        if n == "Start":
            v = a["start"]
        elif n == "End":
            v = a["end"]
        elif n == "Perm":
            v = a["perms"]
        elif n == "Offset":
            v = "0x%x" % a["offset"]
        elif n == "Device":
            v = "%02x:%02x" % (a["dev_major"], a["dev_minor"])
        elif n == "Inode":
            v = a["inode"]
        elif n == "Size":
            v = a["size"]
        elif n in COLUMNS:
            v = a.get(COLUMNS[n])
        elif n == "VmFlags":
            v = " ".join(a["vm_flags"])
        elif n == "BuildID":
            v = a.get("build_id")
        elif n == "Kind":
            v = KINDS[kind]
        elif n == "Mapping":
            v = name(a)
        else:
            fail("unknown column", n)
        data.append(v)
        if v is None:
            cells.append("-")
        elif c["type"] == "k":
            cells.append(kib(v))
        else:
            cells.append(str(v))
    return cells, data


def shown_rows(root):
    body = root.find("table", id="areas").find("tbody")
    return [(int(tr.attrs["data-row"]), [td.text() for td in tr.find_all("td")])
            for tr in body.find_all("tr")]


def check_picture(root, areas, kinds, has_usage, map_id="map"):
    """The picture map_id: its parts cover every area once, in order, with their figures."""
    parts = list(root.find("svg", id=map_id).find_all("rect", **{"class": "seg"}))
    check(parts, "no parts in the picture")
    i = 0
    for p in parts:
        title = p.find("title").text()
        m = re.match(r"0x([0-9a-f]+)-0x([0-9a-f]+) (?:([r-][w-][x-][ps]) (\d+) KiB|(\d+) areas, "
                     r"(\d+) KiB mapped)\n", title)
        check(m, "part title", title)
        lo, hi = int(m.group(1), 16), int(m.group(2), 16)
        members = []
        while i < len(areas) and end(areas[i]) <= hi:
            check(start(areas[i]) >= lo, "an area outside the parts", areas[i]["start"])
            members.append(areas[i])
            i += 1
        check(members and start(members[0]) == lo and end(members[-1]) == hi, "part", title)
        if m.group(3):
            a = members[0]
            check(len(members) == 1 and m.group(3) == a["perms"] and m.group(4) == kib(a["size"]),
                  "part", title)
            check(title.split("\n")[1] == name(a), "part name", title)
        else:
            check(int(m.group(5)) == len(members), "part count", title, len(members))
            check(m.group(6) == kib(sum(a["size"] for a in members)), "part size", title)
        figs = title.split("\n")[-1]
        if has_usage:
            for label, f in (("resident", "rss"), ("Pss", "pss"),
                             ("private dirty", "private_dirty"), ("swapped", "swap"),
                             ("locked", "locked")):
                want = "%s %s KiB" % (label, kib(sum(a[f] for a in members)))
                check(want in figs, "part figures", title, want)
        kind_id = p.attrs["data-kind"]
        check(kind_id in {kinds[areas.index(x)] for x in members[:1]} or len(members) > 1,
              "part kind", title, kind_id)
    check(i == len(areas), "the picture leaves out areas from", i)
    return parts


def cmd_page(snapshot, dom):
    areas = json.load(open(snapshot))
    kinds = classify(areas)
    root = parse(dom).root
    # identity
    check(root.find("dd", id="id-areas").text() == str(len(areas)), "areas in the identity")
    check(os.path.basename(snapshot) in root.find("dd", id="id-source").text(), "source")
    check(root.find("dd", id="id-pid").text() == "-", "a snapshot has no pid")
    # the data behind the table: every area, every figure, the tool's JSON
    d = data_block(root)
    cols = d["columns"]
    names = [c["name"] for c in cols]
    check(names[:7] == ["Start", "End", "Perm", "Offset", "Device", "Inode", "Size"], names)
    check(names[-2:] == ["Kind", "Mapping"], names)
    want_cols = [n for n, f in COLUMNS.items() if any(f in a for a in areas)
                 and not (n.startswith("Resident_") and any("shared_clean" in a for a in areas))]
    check(sorted(n for n in names if n in COLUMNS) == sorted(want_cols), "columns", names)
    check(("BuildID" in names) == any("build_id" in a for a in areas), "BuildID column")
    check(len(d["rows"]) == len(areas), "rows", len(d["rows"]), len(areas))
    for a, k, row in zip(areas, kinds, d["rows"]):
        cells, data = expected_cells(a, cols, k)
        check(row == data, "data row of", a["start"], row, data)
    # the rows on the page
    rows = shown_rows(root)
    check(0 < len(rows) <= 100, "rows shown", len(rows))
    head = [th.text() for th in root.find("table", id="areas").find("thead").find_all("th")]
    check(head == names, "header", head)
    for i, cells in rows:
        want, _ = expected_cells(areas[i], cols, kinds[i])
        check(cells == want, "row", i, cells, want)
    # the summary: each kind's figures, the total
    summary = root.find("table", id="summary")
    has_usage = all("rss" in a for a in areas)
    seen = set()
    for tr in summary.find("tbody").find_all("tr"):
        k = tr.attrs["data-kind"]
        if k == "rollup":
            continue
        members = areas if k == "total" else [a for a, kk in zip(areas, kinds) if kk == k]
        seen.add(k)
        check(members, "a summary row of a kind without areas:", k)
        got = {td.attrs["data-f"]: td.text() for td in tr.find_all("td") if "data-f" in td.attrs}
        check(got["areas"] == str(len(members)), k, "areas", got["areas"], len(members))
        for f in FIGS:
            if f == "size" or has_usage:
                want = kib(sum(a[f] for a in members))
            else:
                want = "-"
            check(got[f] == want, k, f, got[f], want)
    check(seen == set(kinds) | {"total"}, "summary kinds", seen, set(kinds))
    # the bars: resident memory by file and kind, largest first
    groups = {}
    for a, k in zip(areas, kinds):
        key = name(a) if a["kind"] != "anon" and a["path"] else KINDS[k]
        g = groups.setdefault(key, [0, 0, 0])
        g[0] += a.get("rss", 0)
        g[1] += a.get("pss", 0)
        g[2] += 1
    last = None
    bars = list(root.find("svg", id="bars").find_all("g", **{"class": "bar"}))
    check(len(bars) == min(25, len(groups)), "bars", len(bars), len(groups))
    for g in bars:
        key = g.find("title").text()
        check(key in groups, "a bar of no group:", key)
        rss, pss, n = groups[key]
        value = g.find("text", **{"class": "bar-value"}).text()
        want = "%s KiB, Pss %s KiB, %d %s" % (kib(rss), kib(pss), n, "area" if n == 1 else "areas")
        check(value == want, "bar", key, value, want)
        label = g.find("text", **{"class": "bar-name"}).text()
        check(key.endswith(label.replace("...", "", 1)), "bar label", label, key)
        check(last is None or rss <= last, "bars out of order at", key)
        last = rss
    parts = check_picture(root, areas, kinds, has_usage)
    print("page: %d areas, %d rows shown, %d parts, %d bars: every figure matches"
          % (len(areas), len(rows), len(parts), len(bars)))


def smaps_rollup(pid):
    out = {}
    for line in open("/proc/%s/smaps_rollup" % pid):
        f = line.split()
        if len(f) >= 3 and f[-1] == "kB":
            out[f[0].rstrip(":")] = int(f[1])
    return out


def cmd_live(dom, pid):
    root = parse(dom).root
    check(root.find("dd", id="id-pid").text() == pid, "pid")
    cmdline = open("/proc/%s/cmdline" % pid, "rb").read().rstrip(b"\0").replace(b"\0", b" ")
    check(root.find("dd", id="id-cmdline").text() == cmdline.decode(), "command line")
    check(root.find("dd", id="id-exe").text() == os.readlink("/proc/%s/exe" % pid), "exe")
    check(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", root.find("dd", id="id-time").text()),
          "time")
    summary = root.find("table", id="summary")
    rows = {tr.attrs["data-kind"]: {td.attrs["data-f"]: td.text() for td in tr.find_all("td")
                                    if "data-f" in td.attrs}
            for tr in summary.find("tbody").find_all("tr")}
    check("rollup" in rows, "no smaps_rollup row")
    roll = smaps_rollup(pid)
    total, r = rows["total"], rows["rollup"]
    for f, key in (("rss", "Rss"), ("private_dirty", "Private_Dirty"), ("swap", "Swap"),
                   ("locked", "Locked")):
        check(r[f] == str(roll[key]), "rollup", f, r[f], roll[key])
        # the process holds still: the areas add up to the kernel's totals
        check(total[f] == r[f], "total against rollup", f, total[f], r[f])
    # Pss: the pages the child shares with the looking process (its C library, when the tool
    # has the same) count half while the tool runs and whole once it ended: the clean pages, at
    # most Rss - Private_Dirty, may move it
    clean = roll["Rss"] - roll["Private_Dirty"]
    check(abs(int(r["pss"]) - roll["Pss"]) <= clean, "rollup Pss", r["pss"], roll["Pss"], clean)
    print("live: identity and totals match smaps_rollup (Rss %s KiB)" % r["rss"])


def cmd_rows(dom, snapshot, page, sort=None):
    areas = json.load(open(snapshot))
    root = parse(dom).root
    rows = shown_rows(root)
    page = int(page)
    check(len(rows) == 100 or (rows and page * 100 >= len(areas)), "rows on page", page, len(rows))
    if sort:
        order = sorted(range(len(areas)), key=lambda i: (-areas[i][sort], i))
    else:
        order = list(range(len(areas)))
    want = order[(page - 1) * 100:page * 100]
    got = [i for i, _ in rows]
    check(got == want, "page", page, "sort", sort, "rows", got[:3], "want", want[:3])
    starts = [cells[0] for _, cells in rows]
    check(starts == [areas[i]["start"] for i in want], "starts on page", page)
    info = root.find("span", id="rows-shown").text()
    check(info == "rows %d-%d of %d" % ((page - 1) * 100 + 1, (page - 1) * 100 + len(rows),
                                       len(areas)), "rows-shown", info)
    print("rows: page %d%s shows areas %d to %d" % (page, " by " + sort if sort else "",
                                                   want[0], want[-1]))


def cmd_small(dom):
    t = parse(dom)
    rows = shown_rows(t.root)
    parts = list(t.root.find("svg", id="map").find_all("rect"))
    check(len(rows) <= 100, "rows in the document", len(rows))
    check(len(parts) <= 2 * 1500 + 20, "parts of the picture", len(parts))
    check(t.count <= 12000, "elements in the document", t.count)
    print("small: %d elements, %d rows, %d rectangles" % (t.count, len(rows), len(parts)))


def cmd_diff(dom, diff_json, before=None, after=None):
    changes = json.load(open(diff_json))
    root = parse(dom).root
    # the two pictures: "map-before" of the first snapshot, "map" of the second
    for snap, map_id, caption_id in ((before, "map-before", "caption-before"),
                                     (after, "map", "caption")):
        if not snap:
            continue
        areas = json.load(open(snap))
        parts = check_picture(root, areas, classify(areas), all("rss" in a for a in areas),
                              map_id)
        check(root.find("div", id=caption_id), "no caption of", map_id)
        # the outlines: a part of the picture before is "vanished" when it holds a piece that
        # was removed, one of the picture after "appeared" when it holds one that was added;
        # some part of each is "changed" (the scripted change resizes and protects areas)
        word, kind = ("vanished", "removed") if map_id == "map-before" else ("appeared", "added")
        pieces = [(int(c["start"], 16), int(c["end"], 16)) for c in changes
                  if c["change"] == kind]
        changed = False
        for p in parts:
            m = re.match(r"0x([0-9a-f]+)-0x([0-9a-f]+)", p.find("title").text())
            lo, hi = int(m.group(1), 16), int(m.group(2), 16)
            words = p.attrs.get("data-change", "").split()
            holds = any(a < hi and lo < b for a, b in pieces)
            check((word in words) == holds, map_id, "part", hex(lo), "outlined", words,
                  "holds a piece", kind, holds)
            check(not words or p.attrs.get("stroke"), map_id, "part", hex(lo), "no outline")
            changed |= "changed" in words
        check(changed, "no part of", map_id, "outlined as changed")
    d = data_block(root)
    names = [c["name"] for c in d["columns"]]
    check(len(d["rows"]) == len(changes), "changes", len(d["rows"]), len(changes))
    counts = {}
    for row, c in zip(d["rows"], changes):
        r = dict(zip(names, row))
        word = {"added": "appeared", "removed": "vanished", "protection": "protection"}.get(
            c["change"])
        if c["change"] == "resized":
            word = "grew" if c["size"] >= c["old_size"] else "shrank"
        elif c["change"] == "rss":
            word = "resident grew" if c["rss"] >= c["old_rss"] else "resident shrank"
        counts[word] = counts.get(word, 0) + 1
        check(r["Change"] == word and r["Start"] == c["start"] and r["End"] == c["end"] and
              r["Size"] == c["size"] and r["Perm"] == c["perms"], "change", r, c)
        check(r["Old size"] == c.get("old_size") and r["Old perm"] == c.get("old_perms"),
              "old", r, c)
        if c["change"] == "rss":
            check(r["Old Rss"] == c["old_rss"] and r["Rss"] == c["rss"], "rss", r, c)
    for td in root.find("table", id="counts").find_all("td"):
        if "data-change" in td.attrs:
            w = td.attrs["data-change"]
            check(td.text() == str(counts.get(w, 0)), "count of", w, td.text(), counts.get(w, 0))
    for w in ("appeared", "vanished", "grew", "shrank", "protection"):
        check(counts.get(w), "the scripted change has no", w)
    rows = shown_rows(root)
    check(len(rows) == len(changes), "change rows shown")
    print("diff: %d changes match mmapc --json diff" % len(changes))


def cmd_netlog(path, expect=None):
    d = json.load(open(path))
    page = set()
    for e in d["events"]:
        p = e.get("params", {})
        # requests of the browser itself have no page as their initiator ("not an origin")
        if "url" in p and not p["url"].startswith(("file:", "data:", "chrome")) and \
                p.get("initiator") not in (None, "not an origin"):
            page.add(p["url"])
    if expect:
        check(page, "the control page's requests are not in the net log: the check is blind")
        print("netlog: the control page's requests are seen:", " ".join(sorted(page)))
    else:
        check(not page, "the page made requests:", page)
        print("netlog: no request from the page (%d events)" % len(d["events"]))


def cmd_static(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', text)
    check(m, "no Content-Security-Policy")
    policy = [p.strip() for p in m.group(1).split(";")]
    check(policy[0] == "default-src 'none'", "policy", policy)
    check("unsafe" not in m.group(1) and "http" not in m.group(1), "policy", policy)
    # nothing that could fetch: no src or href attribute, no url() nor @import, no address but
    # the SVG namespace
    rest = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for bad in (" src=", " href=", "url(", "@import", "http:", "https:", "//cdn", "<link",
                "<iframe", "<object", "<embed"):
        check(bad not in rest, "the page holds", repr(bad))
    print("static: policy %s; nothing that fetches" % policy[0])


def main():
    cmds = {"page": cmd_page, "live": cmd_live, "rows": cmd_rows, "small": cmd_small,
            "diff": cmd_diff, "netlog": cmd_netlog, "static": cmd_static}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        fail("usage: report_check.py", "|".join(cmds), "...")
    cmds[sys.argv[1]](*sys.argv[2:])


main()
