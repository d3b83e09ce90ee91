/* Taking a contest round. The server decides everything (deadline, what is late, what is
   right); this script only makes the page pleasant on a phone:
   - the countdown shows the server's deadline (corrected for the phone's clock) and
     submits the page when it reaches zero;
   - answers are saved as the participant goes (JSON, one at a time, in order) and the
     questions change without loading a page; without this script every question is a
     plain form that posts and goes on to the next. */
(function () {
  "use strict";
  var timer = document.querySelector("[data-timer]");
  var submitForm = document.querySelector("[data-submit-form]");
  var paper = document.querySelector("[data-paper]");
  var chain = Promise.resolve(true);

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function currentForm() {
    return paper ? paper.querySelector("[data-question]:not([hidden])") : null;
  }

  function chosen(form) {
    return Array.prototype.map.call(
      form.querySelectorAll("input[name=choice]:checked"),
      function (input) { return parseInt(input.value, 10); }
    );
  }

  var saved = {};
  var error = paper ? paper.querySelector("[data-paper-error]") : null;

  function showError(text) {
    if (!error) { return; }
    error.textContent = text || "";
    error.hidden = !text;
  }

  function save(form) {
    if (!form) { return Promise.resolve(true); }
    var position = parseInt(form.getAttribute("data-question"), 10);
    var choice = chosen(form);
    var key = JSON.stringify(choice);
    if (!choice.length || saved[position] === key) { return Promise.resolve(true); }
    return fetch(paper.getAttribute("data-save-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ answers: [{
        position: position, item: parseInt(form.getAttribute("data-item"), 10), choice: choice
      }] })
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      if (result.status === 200) {
        saved[position] = key;
        form.querySelector("[data-saved]").hidden = false;
        showError("");
        return true;
      }
      showError(result.body.error || "");
      if (result.status === 409) {  // time is up or already submitted: the summary says which
        window.setTimeout(function () {
          window.location.href = paper.getAttribute("data-summary-url");
        }, 2500);
      }
      return false;
    }, function () {
      showError(paper.getAttribute("data-offline"));
      return false;
    });
  }

  function queue(form) {
    chain = chain.then(function () { return save(form); }, function () { return save(form); });
    return chain;
  }

  function finish() {
    var done = function () { submitForm.submit(); };
    queue(currentForm()).then(done, done);
  }

  if (timer && submitForm) {
    var deadline = parseInt(timer.getAttribute("data-deadline"), 10);
    var offset = parseInt(timer.getAttribute("data-now"), 10) - Date.now();
    var out = timer.querySelector("[data-countdown]");
    var finished = false;
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - (Date.now() + offset)) / 1000));
      out.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
      if (left <= 60) { out.classList.add("is-low"); }
      if (left === 0 && !finished) { finished = true; finish(); }
    };
    tick();
    window.setInterval(tick, 1000);
  }

  if (!paper) { return; }
  var forms = Array.prototype.slice.call(paper.querySelectorAll("[data-question]"));
  var total = forms.length;
  forms.forEach(function (form) {
    saved[form.getAttribute("data-question")] = JSON.stringify(chosen(form));
  });

  function show(position, push) {
    var shown = null;
    forms.forEach(function (form) {
      var here = parseInt(form.getAttribute("data-question"), 10) === position;
      form.hidden = !here;
      if (here) { shown = form; }
    });
    if (!shown) { return; }
    if (push) { window.history.pushState({ position: position }, "", shown.getAttribute("data-url")); }
    window.scrollTo(0, 0);
    var legend = shown.querySelector("legend");
    if (legend) { legend.setAttribute("tabindex", "-1"); legend.focus(); }
  }

  var clicked = null;
  paper.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=go]");
    if (button) { clicked = button.value; }
  });

  paper.addEventListener("submit", function (event) {
    var form = event.target;
    var go = (event.submitter && event.submitter.value) || clicked || "next";
    event.preventDefault();
    queue(form).then(function (ok) {
      if (!ok) { return; }
      var position = parseInt(form.getAttribute("data-question"), 10);
      if (go === "prev") {
        show(position - 1, true);
      } else if (go === "summary" || position >= total) {
        window.location.href = paper.getAttribute("data-summary-url");
      } else {
        show(position + 1, true);
      }
    });
  });

  var later = null;
  paper.addEventListener("change", function (event) {
    var form = event.target.closest("[data-question]");
    if (!form) { return; }
    window.clearTimeout(later);
    if (event.target.type === "radio") {
      queue(form);
    } else {  // several boxes are often ticked in a row: save once they settle
      later = window.setTimeout(function () { queue(form); }, 800);
    }
  });

  var first = currentForm();
  if (first) {
    window.history.replaceState(
      { position: parseInt(first.getAttribute("data-question"), 10) }, "", first.getAttribute("data-url")
    );
  }
  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.position) { show(event.state.position, false); }
  });
}());
