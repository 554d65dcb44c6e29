// Live updates for the review pages that `lecture-pipeline watch` serves. The server adds this
// script to the pages as it sends them; the files on disk never carry it.
//
// It follows the server's events (/.watch/events) for its lesson (data-lesson; the index follows
// every lesson): "built" reloads the page, keeping the video where it was; "building", "budget"
// and "failed" show in a panel over the page, so the last good build stays on screen under it.
// Lesson text arrives as data and is only ever set as text, never as markup.
(function () {
  "use strict";
  var script = document.currentScript;
  var lesson = script.getAttribute("data-lesson") || "";
  var missing = script.hasAttribute("data-missing");  // a placeholder: no build of the page yet
  var storeKey = "lecture-pipeline-watch:" + location.pathname;
  var states = {};  // stem -> {building, budget, failed}
  var server = null;
  var panel = null;

  function mine(data) { return lesson === "" || data.lesson === lesson; }

  // --- the video's place across a reload ---------------------------------------------------

  function saveVideo() {
    var video = document.getElementById("video");
    if (!video) { return; }
    try {
      sessionStorage.setItem(storeKey, JSON.stringify({ time: video.currentTime, paused: video.paused }));
    } catch (e) { /* storage refused: the video starts from the beginning */ }
  }

  function restoreVideo() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(storeKey) || "null");
      sessionStorage.removeItem(storeKey);
    } catch (e) { saved = null; }
    var video = document.getElementById("video");
    if (!saved || !video) { return; }
    function apply() {
      var end = isFinite(video.duration) ? video.duration : saved.time;
      video.currentTime = Math.min(saved.time, end);
      if (!saved.paused) {
        var playing = video.play();
        if (playing && playing.catch) { playing.catch(function () {}); }
      }
    }
    if (video.readyState >= 1) { apply(); } else { video.addEventListener("loadedmetadata", apply, { once: true }); }
  }

  function reload() {
    saveVideo();
    location.reload();
  }

  // --- the panel ---------------------------------------------------------------------------

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function ensurePanel() {
    if (panel) { return panel; }
    var style = element("style");
    style.textContent =
      "#watch-panel{position:fixed;left:12px;right:12px;bottom:12px;z-index:1000;max-height:45vh;overflow:auto;" +
      "margin:0 auto;max-width:1156px;padding:12px 16px;border-radius:8px;border:1px solid #9aa3b0;" +
      "background:#fff;color:#1d2430;box-shadow:0 4px 18px rgba(0,0,0,.18);font:14px/1.45 system-ui,sans-serif}" +
      "#watch-panel[hidden]{display:none}" +
      "#watch-panel h2{font-size:15px;margin:0 0 6px}" +
      "#watch-panel .watch-lesson+.watch-lesson{border-top:1px solid #dfe3e8;margin-top:10px;padding-top:10px}" +
      "#watch-panel .watch-error{margin:6px 0 0;padding:8px 12px;border-left:4px solid #a61b1b;background:#fde3e1;" +
      "white-space:pre-wrap;overflow-wrap:anywhere;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace}" +
      "#watch-panel table{border-collapse:collapse;margin-top:6px}" +
      "#watch-panel th,#watch-panel td{padding:2px 10px 2px 0;text-align:left;vertical-align:top}" +
      "#watch-panel .n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}" +
      "#watch-panel .over{color:#a61b1b;font-weight:600}" +
      "#watch-panel button{float:right;margin-left:12px}";
    document.head.appendChild(style);
    panel = element("section");
    panel.id = "watch-panel";
    panel.setAttribute("role", "status");
    panel.setAttribute("aria-live", "polite");
    panel.setAttribute("aria-label", "Live build");
    panel.hidden = true;
    document.body.appendChild(panel);
    return panel;
  }

  function budgetTable(budget) {
    var box = element("div");
    var verdict = budget.status === "over_cap" || budget.status === "over_target" ? "over" : "";
    var total = element("p");
    total.appendChild(document.createTextNode(
      "Estimated " + budget.duration + " (" + budget.words + " words at " + budget.pace_wpm +
      " wpm, effective " + budget.wpm + ") against target " + budget.target + ", cap " + budget.cap + ": "));
    total.appendChild(element("span", budget.status_label, verdict));
    box.appendChild(total);
    var table = element("table");
    table.className = "watch-budget";
    var head = element("tr");
    ["#", "Slide", "Words", "Estimate", "wpm", "Share"].forEach(function (name, i) {
      var th = element("th", name, i === 1 ? "" : "n");
      th.setAttribute("scope", "col");
      head.appendChild(th);
    });
    var thead = element("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = element("tbody");
    budget.slides.forEach(function (slide) {
      var row = element("tr");
      row.appendChild(element("td", slide.n, "n"));
      row.appendChild(element("td", slide.title));
      row.appendChild(element("td", slide.words, "n"));
      row.appendChild(element("td", slide.estimate_s.toFixed(1) + " s", "n"));
      row.appendChild(element("td", slide.wpm, "n"));
      row.appendChild(element("td", slide.share + "%", "n"));
      body.appendChild(row);
    });
    table.appendChild(body);
    box.appendChild(table);
    budget.advice.forEach(function (line) { box.appendChild(element("p", line)); });
    return box;
  }

  function render() {
    var box = ensurePanel();
    while (box.firstChild) { box.removeChild(box.firstChild); }
    var shown = Object.keys(states).sort().filter(function (stem) {
      var s = states[stem];
      return s.building || s.budget || s.failed;
    });
    box.hidden = shown.length === 0;
    if (box.hidden) { return; }
    var close = element("button", "Hide");
    close.type = "button";
    close.addEventListener("click", function () { box.hidden = true; });
    box.appendChild(close);
    shown.forEach(function (stem) {
      var s = states[stem];
      var part = element("div", null, "watch-lesson");
      var title = lesson === "" ? stem + ": " : "";
      if (s.failed) {
        part.appendChild(element("h2", title + "The lesson has an error; this page shows the last good build"));
        part.appendChild(element("pre", s.failed.message, "watch-error"));
      } else if (s.building) {
        part.appendChild(element("h2", title + "Rebuilding…"));
      }
      if (s.budget) { part.appendChild(budgetTable(s.budget)); }
      box.appendChild(part);
    });
  }

  function update(stem, change) {
    var s = states[stem] || (states[stem] = {});
    change(s);
    render();
  }

  // --- the events ------------------------------------------------------------------------------

  if (!window.EventSource) { return; }
  restoreVideo();
  var source = new EventSource(script.getAttribute("data-events"));

  function on(name, handle) {
    source.addEventListener(name, function (event) { handle(JSON.parse(event.data)); });
  }

  on("hello", function (data) {
    // A new server (restarted watch) may have built while this page was away.
    if (server !== null && server !== data.server) { reload(); return; }
    server = data.server;
    states = {};  // what is current follows this event
    render();
  });
  on("building", function (data) {
    if (mine(data)) { update(data.lesson, function (s) { s.building = true; s.failed = null; s.budget = null; }); }
  });
  on("budget", function (data) {
    if (mine(data)) { update(data.lesson, function (s) { s.budget = data; }); }
  });
  on("failed", function (data) {
    if (mine(data)) { update(data.lesson, function (s) { s.building = false; s.failed = data; }); }
  });
  on("built", function (data) {
    if (!mine(data)) { return; }
    // A build that reused every output leaves the page as it is: only the panel goes.
    if ((data.reused && !missing) || lesson === "") {
      update(data.lesson, function (s) { s.building = false; s.failed = null; s.budget = null; });
    } else {
      reload();
    }
  });
  on("index", function () {
    if (lesson === "" || missing) { reload(); }
  });
})();
