/* buildup pages: live forms (the URL is the state), explanations in a dialog, sortable tables.
 * Loaded with <script src>; nothing runs inline. Without JavaScript every page still works:
 * forms submit as GET, explanation links open their own page. */
(function () {
  "use strict";

  function syncSliders(root) {
    root.querySelectorAll("input[data-sync]").forEach(function (slider) {
      var target = document.getElementById(slider.getAttribute("data-sync"));
      if (!target) { return; }
      slider.addEventListener("input", function () {
        target.value = slider.value;
        target.dispatchEvent(new Event("change", { bubbles: true }));
      });
      target.addEventListener("input", function () { if (target.value) { slider.value = target.value; } });
    });
  }

  function queryOf(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, key) {
      if (value !== "") { pairs.push([key, value]); }
    });
    return new URLSearchParams(pairs).toString();
  }

  var pending = null;
  var generation = 0;

  function load(url, push) {
    var mine = ++generation;
    document.body.classList.add("busy");
    return fetch(url, { headers: { "Accept": "text/html" } }).then(function (response) {
      return response.text();
    }).then(function (text) {
      if (mine !== generation) { return; } // a later change has been asked for
      var next = new DOMParser().parseFromString(text, "text/html");
      var main = document.getElementById("main");
      var fresh = next.getElementById("main");
      if (!main || !fresh) { window.location.assign(url); return; }
      var active = document.activeElement && document.activeElement.id;
      main.replaceWith(fresh);
      document.title = next.title;
      if (push) { history.pushState({ buildup: true }, "", url); }
      var twin = next.querySelector("link[rel=alternate]");
      var mine2 = document.querySelector("link[rel=alternate]");
      if (twin && mine2) { mine2.setAttribute("href", twin.getAttribute("href")); }
      var footer = next.querySelector("footer.foot");
      var old = document.querySelector("footer.foot");
      if (footer && old) { old.replaceWith(footer); }
      start(fresh);
      if (active) {
        var again = document.getElementById(active);
        if (again) { again.focus(); }
      }
      return window.buildupCharts ? window.buildupCharts.drawAll(fresh) : null;
    }).then(function () {
      if (mine === generation) {
        document.body.classList.remove("busy");
        document.documentElement.setAttribute("data-updated", String(mine));
      }
    }).catch(function () { window.location.assign(url); });
  }

  function liveForm(form) {
    var action = form.getAttribute("action") || window.location.pathname;
    function changed() {
      clearTimeout(pending);
      pending = setTimeout(function () {
        var query = queryOf(form);
        load(action + (query ? "?" + query : ""), true);
      }, 250);
    }
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(pending); var q = queryOf(form); load(action + (q ? "?" + q : ""), true); });
  }

  function explainLinks(root) {
    var dialog = document.getElementById("explain-dialog");
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    root.querySelectorAll("a.explain").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        fetch(link.getAttribute("href"), { headers: { "X-Fragment": "1" } }).then(function (r) {
          return r.text();
        }).then(function (text) {
          var body = dialog.querySelector(".dialog-body");
          body.innerHTML = "";
          var parsed = new DOMParser().parseFromString(text, "text/html");
          Array.prototype.forEach.call(parsed.body.childNodes, function (node) {
            body.appendChild(document.importNode(node, true));
          });
          dialog.showModal();
          var heading = dialog.querySelector("h1");
          if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
        });
      });
    });
  }

  function sortable(root) {
    root.querySelectorAll("table[data-sortable]").forEach(function (table) {
      table.querySelectorAll("th.sortable button").forEach(function (button, index) {
        button.addEventListener("click", function () {
          var th = button.parentElement;
          var column = Array.prototype.indexOf.call(th.parentElement.children, th);
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          table.querySelectorAll("th.sortable").forEach(function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = parseFloat(a.cells[column].getAttribute("data-value"));
            var y = parseFloat(b.cells[column].getAttribute("data-value"));
            if (isNaN(x)) { return 1; }
            if (isNaN(y)) { return -1; }
            return ascending ? x - y : y - x;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  function start(root) {
    root.querySelectorAll("form[data-live]").forEach(liveForm);
    syncSliders(root);
    explainLinks(root);
    sortable(root);
    if (window.buildupJobs) { window.buildupJobs(root); }
  }

  window.addEventListener("popstate", function () { load(window.location.href, false); });
  window.buildupLoad = load;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(document); });
  } else {
    start(document);
  }
})();

/* A running job: poll the API for its progress; when it has finished, reload the page. */
(function () {
  "use strict";
  function watch(section) {
    var url = section.getAttribute("data-job");
    var bar = section.querySelector("progress");
    var status = section.querySelector("#job-status");
    var unit = section.getAttribute("data-unit") || "draws";
    function tick() {
      fetch(url, { headers: { "Accept": "application/json" } }).then(function (r) {
        return r.json();
      }).then(function (job) {
        if (bar && job.progress) { bar.value = job.progress.fraction; bar.textContent = Math.round(job.progress.fraction * 100) + " %"; }
        if (status) { status.textContent = job.state + " — " + (job.progress ? (job.progress.done || 0).toLocaleString() : "0") + " " + unit + " so far"; }
        if (job.state === "queued" || job.state === "running") {
          setTimeout(tick, 300);
        } else {
          window.location.reload();
        }
      }).catch(function () { setTimeout(tick, 1000); });
    }
    tick();
  }
  /* called by start() above for the document and for every page swapped in */
  window.buildupJobs = function (root) {
    root.querySelectorAll("section[data-job]").forEach(watch);
  };
})();
