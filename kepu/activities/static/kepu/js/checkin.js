/* The check-in desk: type a ticket code or scan its QR code with the phone camera.
   Uses the browser's BarcodeDetector where it exists, else jsQR (vendored) on video
   frames. Each code is posted once; the server decides (each ticket counts once). */
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  if (!form) { return; }
  var input = document.getElementById("id_code");
  var result = document.getElementById("checkin-result");
  var startBtn = document.getElementById("scan-start");
  var video = document.getElementById("scan-video");
  var unavailable = document.getElementById("scan-unavailable");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var busy = false, lastCode = "", lastAt = 0;

  function show(ok, message) {
    result.textContent = "";
    var div = document.createElement("div");
    div.className = "alert mb-0 " + (ok ? "alert-success" : "alert-danger");
    div.textContent = message;
    result.appendChild(div);
    if (navigator.vibrate) { navigator.vibrate(ok ? 80 : [60, 60, 60]); }
  }

  function submit(code) {
    code = (code || "").trim();
    if (!code || busy) { return; }
    busy = true;
    var body = new URLSearchParams();
    body.append("code", code);
    fetch(form.dataset.url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body,
      credentials: "same-origin"
    }).then(function (r) {
      // 200 with the counts; a refusal is the API's error body {code, message, fields}.
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (answer) {
      var data = answer.data;
      show(answer.ok, data.message);
      if (data.arrived !== undefined) {
        document.getElementById("count-arrived").textContent = data.arrived;
        document.getElementById("count-confirmed").textContent = data.confirmed;
      }
      input.value = "";
    }).catch(function () {
      show(false, form.dataset.offline || "Network error");
    }).then(function () { busy = false; input.focus(); });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); submit(input.value); });

  var canCamera = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  if (!canCamera) { unavailable.hidden = false; return; }
  startBtn.hidden = false;
  var canvas = document.createElement("canvas");
  var ctx = canvas.getContext("2d", { willReadFrequently: true });
  var detector = ("BarcodeDetector" in window) ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;

  function found(code) {
    var now = Date.now();
    if (code === lastCode && now - lastAt < 4000) { return; } // the same ticket still in view
    lastCode = code; lastAt = now;
    submit(code);
  }

  function tick() {
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      if (detector) {
        detector.detect(video).then(function (codes) {
          if (codes.length) { found(codes[0].rawValue); }
        }).catch(function () {});
      } else if (window.jsQR) {
        canvas.width = video.videoWidth; canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var qr = window.jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
        if (qr && qr.data) { found(qr.data); }
      }
    }
    window.setTimeout(function () { window.requestAnimationFrame(tick); }, 200);
  }

  startBtn.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream; video.hidden = false; startBtn.hidden = true;
        video.play(); tick();
      })
      .catch(function () { unavailable.hidden = false; startBtn.hidden = true; });
  });
})();
