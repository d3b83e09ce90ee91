// The job page: poll the job's status once a second until it finished, update the bar,
// then go on to the job's next page (an import's report, the list it filled).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") { return; }
  var url = box.dataset.statusUrl;
  function part(name) { return box.querySelector('[data-job="' + name + '"]'); }
  function show(el, on) { if (el) { el.classList.toggle("d-none", !on); } }
  function render(s) {
    var bar = part("bar");
    if (s.percent === null) { bar.removeAttribute("value"); } else { bar.value = s.percent; }
    bar.textContent = (s.percent || 0) + "%";
    bar.classList.toggle("kepu-job-done", s.status === "succeeded");
    bar.classList.toggle("kepu-job-failed", s.status === "failed");
    part("status_label").textContent = s.status_label;
    part("counts").textContent = s.counts;
    part("started_at").textContent = s.started_at;
    part("finished_at").textContent = s.finished_at;
    part("message").textContent = s.message || "";
    var error = part("error");
    error.textContent = s.error || "";
    show(error, s.status === "failed" && s.error);
    var file = part("file");
    if (file && s.file) { file.href = s.file; show(file, true); }
    var next = part("next");
    if (s.next) { next.href = s.next; show(next, true); }
  }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { setTimeout(poll, 5000); return; }
        render(s);
        if (!s.finished) { setTimeout(poll, 1000); return; }
        if (s.next && s.status === "succeeded") { window.location.assign(s.next); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 500);
})();
