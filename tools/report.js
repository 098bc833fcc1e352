// SPDX-License-Identifier: MIT
// The page of `mmapc report`: the table of every area (or change), one page of rows in the
// document at a time, sorted by a click on a column's name and filtered by a word of the path;
// the caption of the picture under the pointer. The rows come from the JSON block
// "mmapc-data": {"columns": [{"name": ..., "type": "a" | "s" | "k" | "i"}], "rows": [[...]]}
// ("k": bytes, shown in KiB; "i": a number shown as it is; "a": an address; "s": text); a number
// past 2^53 is a string of its digits, which a JavaScript number would not hold exactly.
// The page's address may say where to start: #page=N&sort=COLUMN&dir=asc|desc&filter=WORD.
"use strict";
(function () {
    var PAGE = 100;
    var block = document.getElementById("mmapc-data");
    if (block) {
        table(JSON.parse(block.textContent));
    }
    caption("map", "caption");
    caption("map-before", "caption-before");

    function table(data) {
        var cols = data.columns, rows = data.rows;
        var order = rows.map(function (_, i) { return i; });
        var shown = order, page = 0, sortCol = -1, sortDir = 1, word = "";
        var thead = document.querySelector("#areas thead");
        var tbody = document.querySelector("#areas tbody");
        var info = document.getElementById("rows-shown");
        var num = document.getElementById("page-number");
        var filter = document.getElementById("filter");
        var pathCol = -1;
        var tr = document.createElement("tr");
        cols.forEach(function (c, i) {
            var th = document.createElement("th");
            th.textContent = c.name;
            th.dataset.col = String(i);
            if (c.type === "k" || c.type === "i") th.className = "n";
            if (c.path) pathCol = i;
            th.addEventListener("click", function () {
                // figures largest first at the first click, text and addresses ascending
                var dir = sortCol === i ? -sortDir : (c.type === "k" || c.type === "i" ? -1 : 1);
                sortBy(i, dir);
                page = 0;
                draw();
            });
            tr.appendChild(th);
        });
        thead.appendChild(tr);

        function key(c, v) {
            if (c.type === "a") return v === null ? -1 : parseInt(v, 16);
            if (c.type === "k" || c.type === "i") return v === null ? -Infinity : Number(v);
            return v === null ? "" : String(v);
        }
        function sortBy(i, dir) {
            sortCol = i;
            sortDir = dir;
            var c = cols[i];
            order = rows.map(function (_, k) { return k; });
            order.sort(function (x, y) {
                var a = key(c, rows[x][i]), b = key(c, rows[y][i]);
                if (a < b) return -dir;
                if (a > b) return dir;
                return x - y; // ties in the order of the rows (address order)
            });
            refilter();
        }
        function refilter() {
            if (!word || pathCol < 0) {
                shown = order;
            } else {
                shown = order.filter(function (k) {
                    var p = rows[k][pathCol];
                    return p !== null && String(p).indexOf(word) >= 0;
                });
            }
        }
        function cell(c, v) {
            if (v === null) return "-";
            if (c.type === "k") {
                return typeof v === "string" ? String(BigInt(v) / BigInt(1024)) : String(Math.floor(v / 1024));
            }
            // a control character as \ooo, as the tool's tables and the picture write it
            return String(v).replace(/[\x00-\x1f\x7f]/g, function (ch) {
                return "\\" + ("00" + ch.charCodeAt(0).toString(8)).slice(-3);
            });
        }
        function draw() {
            var pages = Math.max(1, Math.ceil(shown.length / PAGE));
            if (page >= pages) page = pages - 1;
            if (page < 0) page = 0;
            var from = page * PAGE, to = Math.min(shown.length, from + PAGE);
            var frag = document.createDocumentFragment();
            for (var r = from; r < to; r++) {
                var row = rows[shown[r]];
                var line = document.createElement("tr");
                line.dataset.row = String(shown[r]);
                for (var i = 0; i < cols.length; i++) {
                    var td = document.createElement("td");
                    var c = cols[i];
                    td.textContent = cell(c, row[i]);
                    td.className = c.type === "k" || c.type === "i" ? "n" : c.path ? "path" : c.type === "a" ? "a" : "";
                    line.appendChild(td);
                }
                frag.appendChild(line);
            }
            tbody.replaceChildren(frag);
            Array.prototype.forEach.call(thead.querySelectorAll("th"), function (th) {
                var i = Number(th.dataset.col);
                th.classList.toggle("sorted-asc", i === sortCol && sortDir > 0);
                th.classList.toggle("sorted-desc", i === sortCol && sortDir < 0);
            });
            info.textContent = shown.length ? "rows " + (from + 1) + "-" + to + " of " + shown.length +
                (shown.length !== rows.length ? " (of " + rows.length + ")" : "") : "no rows";
            num.value = String(page + 1);
            num.max = String(pages);
            document.getElementById("page-count").textContent = String(pages);
        }
        function go(p) { page = p; draw(); }
        document.getElementById("first").addEventListener("click", function () { go(0); });
        document.getElementById("prev").addEventListener("click", function () { go(page - 1); });
        document.getElementById("next").addEventListener("click", function () { go(page + 1); });
        document.getElementById("last").addEventListener("click", function () { go(1e15); });
        num.addEventListener("change", function () { go((parseInt(num.value, 10) || 1) - 1); });
        filter.addEventListener("input", function () {
            word = filter.value;
            refilter();
            go(0);
        });
        // a value of the address; one with a bad escape (a "%" alone) as it is written
        function decode(v) {
            try {
                return decodeURIComponent(v);
            } catch (e) {
                return v;
            }
        }
        // where the address says to start
        var want = {};
        location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
            var at = kv.indexOf("=");
            if (at > 0) want[kv.slice(0, at)] = decode(kv.slice(at + 1));
        });
        if (want.sort) {
            for (var i = 0; i < cols.length; i++) {
                if (cols[i].name.toLowerCase() === want.sort.toLowerCase()) {
                    sortBy(i, want.dir === "asc" ? 1 : want.dir === "desc" ? -1 :
                        (cols[i].type === "k" || cols[i].type === "i" ? -1 : 1));
                }
            }
        }
        if (want.filter) {
            filter.value = want.filter;
            word = want.filter;
            refilter();
        }
        page = want.page ? (parseInt(want.page, 10) || 1) - 1 : 0;
        draw();
    }

    // A picture: the title of the part under the pointer (or last clicked) in its caption.
    function caption(mapId, captionId) {
        var out = document.getElementById(captionId);
        var map = document.getElementById(mapId);
        if (!out || !map) return;
        var fixed = false;
        function show(e, stick) {
            var t = e.target.closest ? e.target.closest("[data-i]") : null;
            if (!t) return;
            var title = t.querySelector("title");
            if (!title) return;
            if (stick) fixed = true;
            if (stick || !fixed) out.textContent = title.textContent;
        }
        map.addEventListener("mouseover", function (e) { show(e, false); });
        map.addEventListener("click", function (e) { fixed = false; show(e, true); });
    }
})();
